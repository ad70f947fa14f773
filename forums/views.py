"""Public fora pages. Thin: services.py builds the listings, feeds.py the calendars."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse

from . import feeds, services
from .forms import WhatsOnFilterForm

EVENTS_PER_PAGE = 20


def _render(request, page, template, context):
    return TemplateResponse(request, template, {"page": page, "self": page, **context})


def forum_index(request, index):
    return _render(
        request,
        index,
        "forums/forum_index_page.html",
        {
            "fora": services.fora_with_next_event(index),
            "whats_on_url": index.url + index.reverse_subpage("whats_on"),
        },
    )


def whats_on(request, index):
    form = WhatsOnFilterForm(request.GET or None)
    events = services.whats_on(index, **form.filters())
    page_of_events = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        index,
        "forums/whats_on.html",
        {
            "form": form,
            "events": page_of_events,
            "query": query.urlencode(),
            "calendar_url": index.url + index.reverse_subpage("calendar"),
        },
    )


def forum(request, forum_page):
    return _render(
        request,
        forum_page,
        "forums/forum_page.html",
        {
            "upcoming": services.upcoming_events(forum_page, limit=10),
            "past": services.past_events(forum_page),
            "calendar_url": forum_page.url + forum_page.reverse_subpage("calendar"),
        },
    )


def _calendar_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def site_calendar(request, index):
    events = services.public_events(index).order_by("start")
    return _calendar_response(
        feeds.calendar_bytes(events, name="Parent forum meetings", request=request), "parent-fora.ics"
    )


def forum_calendar(request, forum_page):
    events = services.public_events(forum_page).order_by("start")
    return _calendar_response(
        feeds.calendar_bytes(events, name=forum_page.title, request=request), f"{forum_page.slug}.ics"
    )
