"""Bookings and members in the Wagtail admin: only for the forum's own coordinators (and superusers),
through the one permission check in forums/permissions.py. Being able to edit the pages is not enough.

Contact details, on screen, printed and in the CSV, are in full only for staff with
privacy.view_contact_details; others (the coordinator role) see them masked, 07••• •••123. Each print
or download is recorded in the event's history."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from messaging.services import CampaignError, audience_size
from parentvoice.privacy.services.masking import shown_address
from parentvoice.text import national_mobile

from . import services
from .choices import BookingStatus
from .forms import EventNoticeForm
from .models import EventPage, ForumPage
from .permissions import SEE_PEOPLE


def can_see_people(user, forum_or_event):
    return user.has_perm(SEE_PEOPLE, forum_or_event)


def _event_for_people(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    if not can_see_people(request.user, event):
        raise PermissionDenied
    return event


def _bookings_context(event):
    bookings = list(services.bookings_for_coordinator(event))
    for booking in bookings:
        booking.access_needs_shown = services.shown_access_needs(booking)
    confirmed = [b for b in bookings if b.status == BookingStatus.CONFIRMED]
    return {
        "event": event,
        "forum": services.forum_of_event(event),
        "bookings": bookings,
        "taken": services.places_taken(event),
        "creche": sum(b.creche_places for b in confirmed),
        "waiting": sum(1 for b in bookings if b.status == BookingStatus.WAITING),
    }


@require_GET
def event_bookings(request, event_id):
    event = _event_for_people(request, event_id)
    context = _bookings_context(event)
    for booking in context["bookings"]:
        booking.masked_contact = shown_address(request.user, booking.email) or national_mobile(
            shown_address(request.user, booking.mobile)
        )
    return TemplateResponse(request, "forums/admin/event_bookings.html", context)


@require_GET
def event_bookings_print(request, event_id):
    event = _event_for_people(request, event_id)
    context = _bookings_context(event)
    for booking in context["bookings"]:
        booking.email_text = shown_address(request.user, booking.email)
        booking.mobile_text = national_mobile(shown_address(request.user, booking.mobile))
    services.record_people_seen(event, request.user, "printed")
    response = TemplateResponse(request, "forums/admin/event_bookings_print.html", context)
    response["Cache-Control"] = "no-store"
    return response


class _Echo:
    """csv.writer writes each row here and gets the line back, for a streamed response."""

    def write(self, value):
        return value


@require_GET
def event_bookings_csv(request, event_id):
    event = _event_for_people(request, event_id)
    services.record_people_seen(event, request.user, "downloaded")
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in services.booking_rows(event, request.user)),
        content_type="text/csv; charset=utf-8",
    )
    filename = (
        f"bookings-{slugify(event.title)[:60] or 'event'}-{timezone.localdate(event.start):%Y-%m-%d}.csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def forum_members(request, forum_id):
    forum = get_object_or_404(ForumPage, pk=forum_id)
    if not can_see_people(request.user, forum):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "forums/admin/forum_members.html",
        {"forum": forum, "members": list(services.current_members(forum))},
    )


def event_notice(request, event_id):
    """Write (from a starting text) → check exactly what members will get and how many → send.
    Nothing is sent without the check: "send" comes only from the preview's form."""
    event = _event_for_people(request, event_id)
    forum = services.forum_of_event(event)
    if forum is None:  # an event outside the fora has no members to send a notice to
        raise Http404("Notices go to a forum's members: this event belongs to no forum.")
    context = {
        "event": event,
        "forum": forum,
        "email_only": forum.for_practitioners,
        "members": services.current_members(forum).count(),
        "full": event.booking_required and services.places_left(event) == 0,
    }
    if not context["members"]:
        return TemplateResponse(request, "forums/admin/event_notice.html", context)
    action = request.POST.get("action") if request.method == "POST" else None
    form = EventNoticeForm(
        request.POST if action else None,
        initial=services.notice_defaults(event),
        email_only=forum.for_practitioners,
    )
    if action and action != "change" and form.is_valid():
        fields = form.notice_fields()
        if action == "send" and not services.notice_reach(event):
            messages.error(request, "None of the members has agreed to hear about meetings.")
        elif action == "send":
            try:
                campaign = services.event_notice_campaign(event, user=request.user, **fields)
            except CampaignError as error:
                messages.error(request, str(error))
            else:
                reach = audience_size(campaign)
                messages.success(request, f"Sending the notice to {reach} member{'s' if reach != 1 else ''}.")
                return redirect("forums_forum_members", forum_id=forum.pk)
        preview = services.notice_preview(event, **fields)
        return TemplateResponse(
            request, "forums/admin/event_notice_preview.html", {**context, "form": form, "preview": preview}
        )
    return TemplateResponse(request, "forums/admin/event_notice.html", {**context, "form": form})
