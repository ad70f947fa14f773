"""Bookings as coordinators see, print and download them: ordered, masked on screen, and CSV cells
safe to open in a spreadsheet."""

from collections.abc import Iterator

from django.db.models import Case, QuerySet, Value, When

from parentvoice.dates import govuk_datetime
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
    return event.bookings.order_by(rank, "created_at", "pk")


def booking_rows(event: EventPage) -> Iterator[list[str]]:
    """The bookings as CSV rows, header first, every cell safe to open in a spreadsheet."""
    yield BOOKING_CSV_HEADER
    for booking in bookings_for_coordinator(event).iterator():
        yield [
            csv_safe(value)
            for value in (
                booking.name,
                booking.email,
                national_mobile(booking.mobile),
                booking.adults,
                booking.children,
                booking.places,
                booking.creche_places,
                booking.access_needs,
                booking.get_status_display(),
                govuk_datetime(booking.created_at, weekday=False),
            )
        ]


def record_people_seen(event: EventPage, user, how: str) -> None:
    """Who took the bookings away from the screen (printed or downloaded), in the event's history."""
    from wagtail.log_actions import log

    log(event, f"forums.bookings_{how}", user=user)
