"""Booking places: the one place a booking's status changes, the waiting list, booking links, the
messages people booked are sent, reminders and telling them when an event changes."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import Channel, FollowRoute, ParentRole
from parentvoice.dates import govuk_datetime
from parentvoice.safeguarding.services import screen_in_a_task
from parentvoice.tokens import read_id, sign_id

from ..choices import BookingStatus
from ..models import Booking, EventPage
from .events import event_name

# --- Bookings ---------------------------------------------------------------------------------

BOOKING_TRANSITIONS = {
    BookingStatus.CONFIRMED: {BookingStatus.CANCELLED},
    BookingStatus.WAITING: {BookingStatus.CONFIRMED, BookingStatus.CANCELLED},
    BookingStatus.CANCELLED: set(),
}
BOOKING_SALT = "forums.booking"


class BookingError(Exception):
    pass


def _move_booking(booking, status):
    """The only place a booking's status changes."""
    if status not in BOOKING_TRANSITIONS[BookingStatus(booking.status)]:
        raise BookingError(f"A booking cannot go from {booking.status} to {status}.")
    booking.status, booking.status_changed_at = status, timezone.now()
    booking.save(update_fields=["status", "status_changed_at"])


def _locked_event(event_id):
    """The event row, locked so that bookings for it are decided one at a time."""
    events = (
        EventPage.objects.select_for_update(of=("self",))
        if connection.features.has_select_for_update_of
        else EventPage.objects
    )
    return events.get(pk=event_id)


def places_taken(event):
    return (
        event.bookings.filter(status=BookingStatus.CONFIRMED).aggregate(n=Sum(F("adults") + F("children")))[
            "n"
        ]
        or 0
    )


def places_left(event):
    if not event.booking_required or event.capacity is None:
        return None
    return max(0, event.capacity - places_taken(event))


WAITING_LIST_FULL = (
    "This event is full and so is its waiting list, so it cannot be booked now. "
    "If you need a place, contact us."
)


def waiting_list_full(event):
    """An event's waiting list holds at most BOOKING_WAITING_LIST_MAX bookings: a full event cannot be
    used to send confirmation after confirmation."""
    waiting = event.bookings.filter(status=BookingStatus.WAITING)
    return waiting.count() >= settings.BOOKING_WAITING_LIST_MAX


def booking_problem(event, now=None):
    """Why this event cannot be booked now, or None."""
    now = now or timezone.now()
    if not event.booking_required:
        return "You do not need to book this event: just come along."
    if event.cancelled:
        return "This event has been cancelled, so it cannot be booked."
    if event.start <= now:
        return "This event has already started or finished, so it cannot be booked."
    return None


class BookingState:
    """What an event's page offers: a place, the waiting list, or (both full) updates instead."""

    OPEN = "open"
    WAITING_LIST = "waiting_list"
    FULL = "full"


def booking_state(event: EventPage, now: datetime | None = None) -> str | None:
    """OPEN, WAITING_LIST (no places left, the waiting list has room), FULL (neither), or None
    when the event cannot be booked at all (a drop-in, cancelled, started)."""
    if booking_problem(event, now):
        return None
    if places_left(event):
        return BookingState.OPEN
    return BookingState.FULL if waiting_list_full(event) else BookingState.WAITING_LIST


def book(
    event_id,
    *,
    name,
    email="",
    mobile="",
    adults=1,
    children=0,
    creche_places=0,
    access_needs="",
    parent_role="",
):
    """Book places, or join the waiting list when there are not enough left. Atomic; concurrent
    bookings for one event are decided one at a time, so the event can never be overbooked.
    `parent_role` (optional, a ParentRole key) counts towards reach; anything else is not kept."""
    with transaction.atomic():
        event = _locked_event(event_id)
        if not event.live:
            raise BookingError("This event is not open for booking.")
        problem = booking_problem(event)
        if problem:
            raise BookingError(problem)
        places = adults + children
        if places < 1:
            raise BookingError("Book at least one place.")
        if places > event.capacity:
            raise BookingError(
                f"This event has {event.capacity} places in all. Book {event.capacity} or fewer."
            )
        if places > settings.BOOKING_MAX_PLACES:
            raise BookingError(f"Book {settings.BOOKING_MAX_PLACES} places or fewer in all.")
        fits = places_taken(event) + places <= event.capacity
        if not fits and waiting_list_full(event):
            raise BookingError(WAITING_LIST_FULL)
        booking = Booking.objects.create(
            event=event,
            name=name,
            email=email,
            mobile=mobile,
            adults=adults,
            children=children,
            creche_places=creche_places,
            access_needs=access_needs,
            parent_role=parent_role if parent_role in ParentRole.values else "",
            status=BookingStatus.CONFIRMED if fits else BookingStatus.WAITING,
        )
        if access_needs.strip():
            screen_in_a_task("forums.booking", booking.pk)
        _notify(booking, "confirmed" if fits else "waiting")
        if fits:
            schedule_reminders(booking, event)
    return booking


# --- "Tell me what happens because of this meeting" ------------------------------------------------

TELL_ME_LABEL = "Tell me what happens because of this meeting"
TELL_ME_HINT = (
    "We will send you a message when a decision is made about something parents raised at this "
    "meeting, and when it changes: by email, or by text if you gave no email address. New addresses "
    "get a message to confirm first. Every message tells you how to stop."
)
# Stored with the request as what the person agreed to: the label and the hint they read with it.
TELL_ME_WORDING = f"{TELL_ME_LABEL}. {TELL_ME_HINT}"


def event_topic(event_id: int) -> str:
    return f"event:{event_id}"


def event_topic_title(value: str) -> str:
    """The name of the meeting behind an "event:<id>" topic, for the preferences page; a meeting
    deleted since is still "a parent forum meeting" rather than an error."""
    event = (
        EventPage.objects.select_related("forum").filter(pk=int(value)).first() if value.isdigit() else None
    )
    return event_name(event) if event else "a parent forum meeting"


def ask_to_be_told(booking: Booking, *, wording: str = TELL_ME_WORDING) -> messaging.FollowResult:
    """The person who booked asked to be told what happens because of the meeting: on the channel
    the booking's messages go to (email when given, else text). Their address is one typed on a
    form, so messaging has its owner confirm it first (whoever they are); the booking stands whatever happens here. Returns messaging's FollowResult."""
    channel, address = (Channel.EMAIL, booking.email) if booking.email else (Channel.SMS, booking.mobile)
    return messaging.request_follow(
        topic=event_topic(booking.event_id),
        title=event_name(booking.event),
        channel=channel,
        route=FollowRoute.BOOKING,
        wording=wording,
        address=str(address),
    )


def cancel_booking(booking_id):
    """Cancel a booking (again is harmless) and offer the freed places to the waiting list, first
    come first served. Returns the bookings that got a place."""
    with transaction.atomic():
        booking = Booking.objects.get(pk=booking_id)
        event = _locked_event(booking.event_id)
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status == BookingStatus.CANCELLED:
            return []
        _move_booking(booking, BookingStatus.CANCELLED)
        _notify(booking, "cancelled")
        return _offer_places(event)


def _offer_places(event):
    if event.start <= timezone.now() or event.cancelled:
        return []
    left = event.capacity - places_taken(event)
    promoted = []
    for waiting in event.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk"):
        if waiting.places <= left:
            _move_booking(waiting, BookingStatus.CONFIRMED)
            _notify(waiting, "offered")
            schedule_reminders(waiting, event)
            left -= waiting.places
            promoted.append(waiting)
    return promoted


def booking_token(booking_id):
    return sign_id(BOOKING_SALT, booking_id)


def booking_for_token(token, now=None):
    """The booking a link was made for, or None: a link that is not ours, or one whose event ended
    more than BOOKING_LINK_DAYS_AFTER_EVENT days ago (personal links do not work for ever)."""
    booking_id = read_id(BOOKING_SALT, token)
    if not booking_id:
        return None
    expired_before = (now or timezone.now()) - timedelta(days=settings.BOOKING_LINK_DAYS_AFTER_EVENT)
    return (
        Booking.objects.select_related("event").filter(pk=booking_id, event__end__gte=expired_before).first()
    )


def booking_url(booking_id):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "forums:booking", args=[booking_token(booking_id)]
    )


NOTICES = {
    "confirmed": "Your booking for {title} at {when} is confirmed: {places}. See or cancel it: {link}",
    "waiting": "{title} at {when} is full, so you are on the waiting list. We will tell you if a place comes up: {link}",
    "offered": "Good news: a place came up. Your booking for {title} at {when} is confirmed: {places}. See or cancel it: {link}",
    "cancelled": "Your booking for {title} at {when} is cancelled. Thank you for letting us know.",
    "reminder": "{title} is at {when}. You have booked {places}. See or cancel: {link}",
    "changed": "{title} has changed: it is now at {when}{where}. See the details or cancel: {link}",
    "event_cancelled": "Sorry, {title} at {when} is cancelled. {notice}",
}


def _notify(booking, kind, *, suffix="", lead=""):
    event = booking.event
    text = lead + NOTICES[kind].format(
        title=event_name(event),
        when=govuk_datetime(event.start),
        where=f", at {event.venue_name}" if event.venue_name else " (online)" if event.online_link else "",
        places=_places_text(booking),
        link=booking_url(booking.pk),
        notice=event.cancellation_notice,
    )
    for channel, recipient in ((Channel.EMAIL, booking.email), (Channel.SMS, booking.mobile)):
        if recipient:
            messaging.send_service_message(
                channel=channel,
                recipient=recipient,
                subject=f"{event_name(event)}: booking {kind}",
                body=text,
                key=f"booking:{booking.pk}:{kind}:{suffix}:{channel}",
            )
            break  # one channel: email when given, else text


def _places_text(booking):
    parts = [f"{booking.adults} adult{'s' if booking.adults != 1 else ''}"]
    if booking.children:
        parts.append(f"{booking.children} child{'ren' if booking.children != 1 else ''}")
    if booking.creche_places:
        parts.append(f"{booking.creche_places} creche place{'s' if booking.creche_places != 1 else ''}")
    return ", ".join(parts)


# --- Reminders and changes ---------------------------------------------------------------------

REMINDERS = {"2 days": timedelta(days=2), "2 hours": timedelta(hours=2)}


def schedule_reminders(booking, event):
    """Queue the reminders 2 days and 2 hours before the event, those still ahead. Each carries the
    start time it was made for: if the event moves, it does nothing and new ones are queued."""
    from ..tasks import send_booking_reminder

    now = timezone.now()
    for which, before in REMINDERS.items():
        due = event.start - before
        if due > now:
            args = (booking.pk, which, event.start.isoformat())
            transaction.on_commit(
                lambda args=args, due=due: send_booking_reminder.using(run_after=due).enqueue(*args)
            )


def send_booking_reminder(booking_id, which, expected_start):
    booking = Booking.objects.select_related("event").filter(pk=booking_id).first()
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return False
    event = booking.event
    if event.cancelled or not event.live or event.start.isoformat() != expected_start:
        return False
    _notify(booking, "reminder", suffix=f"{which}:{expected_start}", lead=f"Reminder: in {which}. ")
    return True


def notify_event_change(event_id, sequence):
    """Tell everyone booked or waiting that the event changed or was cancelled (once per change),
    and queue reminders for the new time."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None or event.sequence != sequence:
        return 0  # changed again since: the newer change sends its own notice
    bookings = list(event.bookings.exclude(status=BookingStatus.CANCELLED).select_related("event"))
    with transaction.atomic():
        for booking in bookings:
            if event.cancelled:
                _notify(booking, "event_cancelled")
            else:
                _notify(booking, "changed", suffix=str(sequence))
                if booking.status == BookingStatus.CONFIRMED:
                    schedule_reminders(booking, event)
    return len(bookings)


def next_reminder(event: EventPage, now: datetime | None = None) -> datetime | None:
    """When the first reminder still to come is sent, or None."""
    now = now or timezone.now()
    due = [event.start - before for before in REMINDERS.values() if event.start - before > now]
    return min(due) if due else None
