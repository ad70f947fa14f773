"""The read-only open data API under /api/v1/ (docs/open-data.md), built on Django REST framework.

Anonymous GETs only: no authentication is read (a signed-in officer sees exactly what anyone sees),
JSON only, paginated (20 a page, `page_size` up to 100), limited per client by the site's own abuse
limiter (`PUBLIC_RATE_LIMITS["open_data"]`), cached publicly for five minutes. What each record holds
is built in `feedback_loop.services.open_data`, which the CSV downloads share.

A query parameter a list does not take, or a filter value that does not exist, is answered 400 with a
message naming what it does take: a typo never silently returns everything."""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.cache import patch_cache_control
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from parentvoice import ratelimit

from .services import open_data

RATE_LIMIT_ACTION = "open_data"
CACHE_SECONDS = 300
PAGING_PARAMETERS = ("page", "page_size")


class OpenDataThrottle(BaseThrottle):
    """The site's one limiter (parentvoice/ratelimit.py: allauth's, which knows which proxies to
    trust), counting every request against `PUBLIC_RATE_LIMITS["open_data"]`."""

    def allow_request(self, request, view):
        return ratelimit.consume(request._request, (RATE_LIMIT_ACTION, []))

    def wait(self):
        return None


class OpenDataPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number}: see 'count' for how many records there are."


class OpenDataList(APIView):
    """One dataset's list. Subclasses say which filters it takes, how to get its queryset (or list)
    and how to turn a page of it into records."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [OpenDataThrottle]
    filter_names: tuple[str, ...] = ()
    statuses: list[str] = []

    def objects(self, filters: open_data.Filters):
        raise NotImplementedError

    def records(self, page: list, request) -> list[dict]:
        raise NotImplementedError

    def check_parameters(self, request) -> open_data.Filters:
        allowed = (*self.filter_names, *PAGING_PARAMETERS)
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            raise exceptions.ValidationError(
                {"detail": f"Unknown parameter '{unknown[0]}'. This list takes: {', '.join(allowed)}."}
            )
        params = {name: request.query_params.get(name, "").strip() for name in self.filter_names}
        try:
            return open_data.parse_filters(params, statuses=self.statuses)
        except ValidationError as error:
            raise exceptions.ValidationError({"detail": error.messages[0]}) from None

    def get(self, request):
        filters = self.check_parameters(request)
        paginator = OpenDataPagination()
        page = paginator.paginate_queryset(self.objects(filters), request, view=self)
        response = paginator.get_paginated_response(self.records(list(page), request))
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
            response.data = {"detail": "Too many requests from your address. Try again in an hour."}
        return response


class DecisionList(OpenDataList):
    filter_names = ("status", "theme", "district")
    statuses = open_data.DECISION_STATUSES

    def objects(self, filters):
        return open_data.decisions_for_open_data(filters)

    def records(self, page, request):
        log = open_data.open_data_log_page()
        return [open_data.decision_record(decision, log=log, request=request) for decision in page]


class FeedbackItemList(OpenDataList):
    filter_names = ("status", "theme", "district")
    statuses = open_data.ITEM_STATUSES

    def objects(self, filters):
        return open_data.items_for_open_data(filters)

    def records(self, page, request):
        return [open_data.item_record(item) for item in page]


class PriorityList(OpenDataList):
    def objects(self, filters):
        return open_data.priorities_for_open_data()

    def records(self, page, request):
        return [open_data.priority_record(summary) for summary in page]


class ActionList(OpenDataList):
    filter_names = ("status", "priority", "district")
    statuses = open_data.ACTION_STATUSES

    def objects(self, filters):
        return open_data.actions_for_open_data(filters)

    def records(self, page, request):
        return [open_data.action_record(action) for action in page]


class ResultList(OpenDataList):
    def objects(self, filters):
        return open_data.results_for_open_data()

    def records(self, page, request):
        return open_data.result_records(page, request=request)


urlpatterns = [
    path("decisions/", DecisionList.as_view(), name="open_data_api_decisions"),
    path("feedback-items/", FeedbackItemList.as_view(), name="open_data_api_feedback_items"),
    path("priorities/", PriorityList.as_view(), name="open_data_api_priorities"),
    path("actions/", ActionList.as_view(), name="open_data_api_actions"),
    path("results/", ResultList.as_view(), name="open_data_api_results"),
]
