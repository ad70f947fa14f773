"""This app's free text, registered with parentvoice.safeguarding (see its registry).

"forums.enquiry" is a message sent to a forum's coordinators (ForumEnquiry); "forums.booking" is the
access needs written on a booking. Only the forum's own coordinators can read either (the one
permission check in forums/permissions.py), so only they can flag them.
"""

from __future__ import annotations

from django.urls import reverse

from parentvoice.safeguarding.registry import SourceDetails, SourceText, register_source

from .models import Booking, ForumEnquiry
from .permissions import SEE_PEOPLE
from .services.coordinators import send_released_enquiry

ENQUIRY = "forums.enquiry"
BOOKING = "forums.booking"


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _enquiry(source_id: int) -> ForumEnquiry | None:
    return ForumEnquiry.objects.select_related("forum").filter(pk=source_id).first()


def _enquiry_label(enquiry: ForumEnquiry) -> str:
    return f"Enquiry to {_shorten(enquiry.forum.title)}"


def load_enquiry(source_id: int) -> SourceText | None:
    enquiry = _enquiry(source_id)
    if enquiry is None:
        return None
    return SourceText(text=enquiry.message, arrived_at=enquiry.created_at, label=_enquiry_label(enquiry))


def enquiry_details(source_id: int) -> SourceDetails | None:
    enquiry = _enquiry(source_id)
    if enquiry is None:
        return None
    contact = [("Name", enquiry.name)] if enquiry.name else []
    if enquiry.reply_to:
        contact.append(("Reply to", enquiry.reply_to))
    # Enquiries are emailed to the coordinators; the admin has no page for one.
    return SourceDetails(label=_enquiry_label(enquiry), admin_url=None, contact=contact)


def can_flag_enquiry(user, source_id: int) -> bool:
    enquiry = _enquiry(source_id)
    return enquiry is not None and user.is_active and user.has_perm(SEE_PEOPLE, enquiry.forum)


def _booking(source_id: int) -> Booking | None:
    return Booking.objects.select_related("event").filter(pk=source_id).first()


def _booking_label(booking: Booking) -> str:
    return f"Access needs on a booking: {_shorten(booking.event.title)}"


def load_booking(source_id: int) -> SourceText | None:
    booking = _booking(source_id)
    if booking is None:
        return None
    return SourceText(text=booking.access_needs, arrived_at=booking.created_at, label=_booking_label(booking))


def booking_details(source_id: int) -> SourceDetails | None:
    booking = _booking(source_id)
    if booking is None:
        return None
    contact = [
        (what, value)
        for what, value in (("Name", booking.name), ("Email", booking.email), ("Mobile", booking.mobile))
        if value
    ]
    return SourceDetails(
        label=_booking_label(booking),
        admin_url=reverse("forums_event_bookings", args=[booking.event_id]),
        contact=contact,
    )


def can_flag_booking(user, source_id: int) -> bool:
    booking = _booking(source_id)
    return booking is not None and user.is_active and user.has_perm(SEE_PEOPLE, booking.event)


register_source(
    ENQUIRY,
    load=load_enquiry,
    details=enquiry_details,
    can_flag=can_flag_enquiry,
    # A held enquiry was not emailed to the coordinators: it is once a lead finds no concern.
    on_release=lambda enquiry_id: send_released_enquiry(enquiry_id),
)
register_source(BOOKING, load=load_booking, details=booking_details, can_flag=can_flag_booking)
