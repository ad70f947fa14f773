"""Bookings in the Wagtail admin. Whoever may edit an event's page (its forum's coordinators, officers)
sees its bookings; nobody else does."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from . import services
from .models import EventPage


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
