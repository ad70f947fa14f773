"""Bookings and members in the Wagtail admin: only for the forum's own coordinators (and superusers),
through the one permission check in forums/permissions.py. Being able to edit the pages is not enough."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from messaging.services import CampaignError
from messaging.services import audience_size as campaign_size

from . import services
from .models import EventPage, ForumPage
from .permissions import SEE_PEOPLE


def can_see_people(user, forum_or_event):
    return user.has_perm(SEE_PEOPLE, forum_or_event)


def event_bookings(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    if not can_see_people(request.user, event):
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
    if not can_see_people(request.user, forum):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "forums/admin/forum_members.html",
        {"forum": forum, "members": list(services.current_members(forum))},
    )


def event_notice(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    if not can_see_people(request.user, event):
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
