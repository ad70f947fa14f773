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
        path(
            "fora/events/<int:event_id>/bookings/print/",
            admin_views.event_bookings_print,
            name="forums_event_bookings_print",
        ),
        path(
            "fora/events/<int:event_id>/bookings.csv",
            admin_views.event_bookings_csv,
            name="forums_event_bookings_csv",
        ),
        path("fora/events/<int:event_id>/notice/", admin_views.event_notice, name="forums_event_notice"),
        path("fora/<int:forum_id>/members/", admin_views.forum_members, name="forums_forum_members"),
    ]


@hooks.register("register_log_actions")
def forum_log_actions(actions):
    actions.register_action("forums.bookings_printed", "Bookings printed", "Printed the bookings")
    actions.register_action("forums.bookings_downloaded", "Bookings downloaded", "Downloaded the bookings")
    actions.register_action("forums.notice_sent", "Notice sent", "Sent a notice to the forum's members")


def _people_buttons(page, user):
    """(label, url, priority) for a forum's or an event's people, for those who may see them."""
    from django.urls import reverse

    from .models import EventPage, ForumPage
    from .panels import people_actions
    from .permissions import SEE_PEOPLE

    specific = page.specific_deferred
    if not isinstance(specific, (EventPage, ForumPage)) or not user.has_perm(SEE_PEOPLE, specific):
        return []
    if isinstance(specific, ForumPage):
        return [("Members", reverse("forums_forum_members", args=[page.pk]), 5)]
    return [(label, url, 5 + number) for number, (label, url) in enumerate(people_actions(specific))]


# In the page's header menu as well as at the top of its edit form (forums/panels.py) ...
register_page_buttons(_people_buttons)


# ... and as buttons in the page listing's row, where the "more" menu would hide them.
@hooks.register("register_page_listing_buttons")
def _people_listing_buttons(page, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    for label, url, priority in _people_buttons(page, user):
        yield ListingButton(label, url, priority=priority)
