from wagtail import hooks

from parentvoice.admin_buttons import register_page_buttons
from parentvoice.dates import govuk_datetime

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
            "meta": govuk_datetime(event.start) + (f" · {event.forum.title}" if event.forum else ""),
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
        path(
            "fora/events/<int:event_id>/bookings/", admin_views.event_bookings, name="forums_event_bookings"
        ),
        path("fora/events/<int:event_id>/notice/", admin_views.event_notice, name="forums_event_notice"),
        path("fora/<int:forum_id>/members/", admin_views.forum_members, name="forums_forum_members"),
    ]


@register_page_buttons
def _event_buttons(page, user):
    from django.urls import reverse

    from .models import EventPage, ForumPage
    from .permissions import SEE_PEOPLE

    specific = page.specific_deferred
    if not isinstance(specific, (EventPage, ForumPage)) or not user.has_perm(SEE_PEOPLE, specific):
        return []
    if isinstance(specific, ForumPage):
        return [("Members", reverse("forums_forum_members", args=[page.pk]), 5)]
    buttons = [("Send a notice to members", reverse("forums_event_notice", args=[page.pk]), 6)]
    if specific.booking_required:
        buttons.append(("Bookings", reverse("forums_event_bookings", args=[page.pk]), 5))
    return buttons
