from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

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
        for event in services.listed(
            services.upcoming_events(index, limit=5, include_cancelled=False), related=("forum",)
        )
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

    from . import admin_views, write_up_views

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
        path("fora/events/<int:event_id>/write-up/", write_up_views.write_up, name="forums_write_up"),
        path("fora/write-ups/", write_up_views.write_ups, name="forums_write_ups"),
    ]


@hooks.register("register_log_actions")
def forum_log_actions(actions):
    actions.register_action("forums.bookings_printed", "Bookings printed", "Printed the bookings")
    actions.register_action("forums.bookings_downloaded", "Bookings downloaded", "Downloaded the bookings")
    actions.register_action("forums.notice_sent", "Notice sent", "Sent a notice to the forum's members")
    actions.register_action("forums.attendance_recorded", "Attendance recorded", "Recorded who came")
    actions.register_action("forums.written_up", "Written up", "Marked the meeting as written up")


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


# --- Meeting write-ups ----------------------------------------------------------------------------


def _write_up_buttons(page, user):
    """A finished forum meeting's "Write-up" checklist, for those who may write it up."""
    from django.urls import reverse
    from django.utils import timezone

    from .models import EventPage

    if page.specific_class is not EventPage:
        return []
    specific = page.specific  # one query for the fields below, where deferred ones take one each
    if (
        not specific.needs_write_up
        or specific.is_translation  # written up once, on the English meeting
        or specific.end > timezone.now()
        or not services.may_write_up(user, specific)
    ):
        return []
    return [("Write-up", reverse("forums_write_up", args=[page.pk]), 20)]


register_page_buttons(_write_up_buttons)


@hooks.register("register_page_listing_buttons")
def _write_up_listing_buttons(page, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    for label, url, priority in _write_up_buttons(page, user):
        yield ListingButton(label, url, priority=priority)


class WriteUpsPanel(Component):
    """The admin home page's "Meetings to write up": a coordinator's fora, or every forum's for
    those who review write-ups; overdue ones flagged."""

    name = "forums_write_ups"
    order = 95
    template_name = "forums/admin/write_up_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        meetings = services.meetings_awaiting_write_up(user=self.user)
        return {"meetings": meetings, "overdue": sum(1 for meeting in meetings if meeting.overdue)}


@hooks.register("construct_homepage_panels")
def write_ups_panel(request, panels):
    if services.sees_write_ups(request.user):
        panels.append(WriteUpsPanel(request.user))


class WriteUpsMenuItem(MenuItem):
    def is_shown(self, request):
        return services.sees_write_ups(request.user)


@hooks.register("register_admin_menu_item")
def write_ups_menu_item():
    from django.urls import reverse

    return WriteUpsMenuItem("Meetings to write up", reverse("forums_write_ups"), icon_name="tasks", order=262)
