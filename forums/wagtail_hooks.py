from wagtail import hooks

from . import services
from .models import ForumIndexPage


@hooks.register("parentvoice_home_sections")
def upcoming_meetings(request):
    index = ForumIndexPage.objects.live().first()
    if index is None:
        return {}
    items = [
        {
            "title": event.title,
            "url": event.get_url(request=request),
            "meta": f"{event.start:%-d %B, %-I:%M%p}".replace("AM", "am").replace("PM", "pm")
            + (f" · {event.forum.title}" if event.forum else ""),
        }
        for event in services.upcoming_events(index, limit=5, include_cancelled=False)
    ]
    return {
        "events": {
            "items": items,
            "more_url": index.url + index.reverse_subpage("whats_on"),
            "more_text": "See what's on",
        }
    }


@hooks.register("register_admin_urls")
def forum_admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("fora/events/<int:event_id>/bookings/", admin_views.event_bookings, name="forums_event_bookings")
    ]


def _event_buttons(page, user):
    from django.urls import reverse

    from . import admin_views
    from .models import EventPage

    specific = page.specific_deferred
    if (
        isinstance(specific, EventPage)
        and specific.booking_required
        and admin_views.can_see_bookings(user, page)
    ):
        return [("Bookings", reverse("forums_event_bookings", args=[page.pk]), 5)]
    return []


@hooks.register("register_page_listing_more_buttons")
def event_listing_buttons(page, user, next_url=None):
    from wagtail.admin.widgets import Button

    for label, url, priority in _event_buttons(page, user):
        yield Button(label, url, priority=priority)


@hooks.register("register_page_header_buttons")
def event_header_buttons(page, user, view_name, next_url=None):
    from wagtail.admin.widgets import Button

    for label, url, priority in _event_buttons(page, user):
        yield Button(label, url, priority=priority)
