"""Bookings in the Wagtail admin. Whoever may edit an event's page (its forum's coordinators, officers)
sees its bookings; nobody else does."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from messaging.services import CampaignError
from messaging.services import audience_size as campaign_size

from . import services
from .models import EventPage, ForumPage


def can_see_bookings(user, event):
    return event.permissions_for_user(user).can_edit()


def event_bookings(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    if not can_see_bookings(request.user, event):
        raise PermissionDenied
    bookings = list(event.bookings.order_by("status", "created_at"))
    return TemplateResponse(
        request,
        "forums/admin/event_bookings.html",
        {
            "event": event,
            "bookings": bookings,
            "taken": services.places_taken(event),
            "creche": sum(b.creche_places for b in bookings if b.status == "confirmed"),
        },
    )


def forum_members(request, forum_id):
    forum = get_object_or_404(ForumPage, pk=forum_id)
    if not forum.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return TemplateResponse(
        request,
        "forums/admin/forum_members.html",
        {"forum": forum, "members": list(services.current_members(forum))},
    )


def event_notice(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    if not can_see_bookings(request.user, event):
        raise PermissionDenied
    forum = event.forum or event.get_parent().specific
    if request.method == "POST":
        try:
            campaign = services.event_notice_campaign(event, user=request.user)
        except CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Sending the notice to {campaign_size(campaign)} member(s) who asked for it."
            )
            return redirect("forums_forum_members", forum_id=forum.pk)
    return TemplateResponse(
        request,
        "forums/admin/event_notice.html",
        {"event": event, "forum": forum, "members": services.current_members(forum).count()},
    )
