"""Bookings as coordinators see, print and download them: ordered, contact details masked for staff
without privacy.view_contact_details, and CSV cells safe to open in a spreadsheet."""

from collections.abc import Iterator

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When

from parentvoice.dates import govuk_datetime
from parentvoice.privacy.services.masking import shown_address
from parentvoice.safeguarding.services import HELD_TEXT, held_ids
from parentvoice.text import national_mobile, spreadsheet_safe

from ..choices import BookingStatus
from ..models import Booking, EventPage

# --- Bookings for coordinators ------------------------------------------------------------------

BOOKING_CSV_HEADER = [
    "Name", "Email", "Mobile", "Adults", "Children", "Places", "Creche places", "Access needs",
    "Status", "Booked",
]  # fmt: skip


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text: one starting (after spaces) with = + - @, a tab or a
    carriage return would be run as a formula, so it gets a leading apostrophe."""
    return spreadsheet_safe("" if value is None else str(value))


def bookings_for_coordinator(event: EventPage) -> "QuerySet[Booking]":
    """Confirmed first, then the waiting list in its order, then cancelled ones."""
    rank = Case(
        When(status=BookingStatus.CONFIRMED, then=Value(0)),
        When(status=BookingStatus.WAITING, then=Value(1)),
        default=Value(2),
    )
    # Access needs flagged for safeguarding and not yet released are held: shown as HELD_TEXT.
    held = held_ids("forums.booking").filter(source_id=OuterRef("pk"))
    return event.bookings.annotate(access_needs_held=Exists(held)).order_by(rank, "created_at", "pk")


def shown_access_needs(booking: Booking) -> str:
    """The access needs as staff may see them: HELD_TEXT while they are held for safeguarding."""
    return HELD_TEXT if getattr(booking, "access_needs_held", False) else booking.access_needs


def booking_rows(event: EventPage, user) -> Iterator[list[str]]:
    """The bookings as CSV rows, header first, every cell safe to open in a spreadsheet; the email
    and mobile in full only if `user` may see contact details (privacy.view_contact_details)."""
    yield BOOKING_CSV_HEADER
    for booking in bookings_for_coordinator(event).iterator():
        yield [
            csv_safe(value)
            for value in (
                booking.name,
                shown_address(user, booking.email),
                national_mobile(shown_address(user, booking.mobile)),
                booking.adults,
                booking.children,
                booking.places,
                booking.creche_places,
                shown_access_needs(booking),
                booking.get_status_display(),
                govuk_datetime(booking.created_at, weekday=False),
            )
        ]


def record_people_seen(event: EventPage, user, how: str) -> None:
    """Who took the bookings away from the screen (printed or downloaded), in the event's history."""
    from wagtail.log_actions import log

    log(event, f"forums.bookings_{how}", user=user)
