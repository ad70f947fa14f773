"""The public 'You said, we did' log: no personal data, only what officers published."""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse

from .forms import LogFilterForm
from .services import public_log

ITEMS_PER_PAGE = 20


def _render(request, page, template, context):
    return TemplateResponse(
        request,
        template,
        {"page": page, "self": page, **context},
    )


def log(request, page):
    form = LogFilterForm(request.GET or None)
    filters = form.filters()
    items = public_log.filter_items(public_log.public_items(), **filters)
    page_of_items = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        page,
        "feedback_loop/you_said_we_did_page.html",
        {
            "form": form,
            "items": page_of_items,
            "groups": public_log.group_by_source(page_of_items),
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "rss_url": page.url + page.reverse_subpage("rss"),
            "atom_url": page.url + page.reverse_subpage("atom"),
        },
    )


def decision_detail(request, page, decision_id):
    decision = public_log.public_decision(decision_id)
    if decision is None or not decision.feedback_items.all():
        raise Http404("No such decision")
    from .progress_views import progress_page

    actions = decision.actions.select_related("priority").order_by("priority__number", "number")
    return _render(
        request,
        page,
        "feedback_loop/decision.html",
        {
            "decision": decision,
            "items": decision.feedback_items.all(),
            "actions": actions,
            "progress_page": progress_page(),
        },
    )


def progress(request, page):
    from .progress_views import progress

    return progress(request, page)


def priority_progress(request, page, number):
    from .progress_views import priority_progress

    return priority_progress(request, page, number)
