"""A parent's own page without an account: a one-time link sent on request to an email address or a
mobile number, and what the page shows (bookings, fora, "tell me what you decide" requests,
contact preferences).

Asking for a link never says whether the address is known. The request does the same work whatever
the address (one link row, one queued task holding only the row's id); the task decides whether to
send, and only then makes the token, so a link for an unknown address has no token anyone was given.
Only the token's SHA-256 is kept; neither the token nor the address is ever logged."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from messaging import services as messaging
from messaging.choices import Channel
from messaging.models import Contact, FollowRequest, Message
from messaging.one_time_links import (
    new_token,
    parse_address,
    token_has_shape,
    token_hash,
)
from parentvoice.dates import govuk_datetime

from ..choices import BookingStatus
from ..models import Booking, Membership, ParentPageLink
from .bookings import booking_token

PARENT_PAGE_KEY_PREFIX = "parent-page:"
# How long the page stays open in the browser after the link is used.
SESSION_MINUTES = 30
PAST_BOOKINGS_SHOWN = 5


def link_minutes() -> int:
    return int(getattr(settings, "PARENT_PAGE_LINK_MINUTES", 60))


# --- Asking for a link --------------------------------------------------------------------------


def request_parent_page_link(address: str) -> None:
    """Someone asked for a link to the page of `address` (as typed, or already normalised). Records the
    request and queues the sending; the task sends only if the address is known. AddressProblem for
    something that is not an address."""
    from ..tasks import send_parent_page_link as task

    channel, address = parse_address(address)
    now = timezone.now()
    link = ParentPageLink.objects.create(
        channel=channel,
        address=address,
        # The hash of a token nobody is given: the task replaces it when it sends one.
        token_hash=token_hash(new_token()),
        created_at=now,
        expires_at=now + timedelta(minutes=link_minutes()),
    )
    transaction.on_commit(lambda: task.enqueue(link.pk))


def address_is_known(channel: str, address: str) -> bool:
    """A contact holds this address, or a booking was made with it (and not yet anonymised)."""
    if not address:
        return False
    if messaging.contact_for_address(channel, address) is not None:
        return True
    return _bookings_of(channel, address).exists()


def parent_page_link_url(token: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("forums:parent_page_open", args=[token])


def _forget_link_after_send() -> bool:
    """Wipe the message (body and address) from the outbox once sent, so nobody reading the outbox can
    use someone's link. Not with the demo's SMS outbox, which delivers nothing: there the outbox is the
    only place the demo parent can read their link (and `check --deploy` refuses it in production)."""
    return settings.SMS_PROVIDER != "outbox"


def link_message(channel: str, url: str) -> tuple[str, str]:
    """(subject, body) of the message carrying the link. A text stays within 2 segments."""
    minutes = link_minutes()
    if channel == Channel.SMS:
        return "", f"Your page: {url} Works once, for {minutes} minutes. Not you? Ignore this."
    sender = settings.MESSAGING_SENDER_NAME
    return (
        f"Your link to your {sender} page",
        f"Someone, we hope you, asked for a link to see your bookings, forum memberships and the "
        f"messages you get from {sender}.\n\n"
        f"Open this link within {minutes} minutes. It works once:\n{url}\n\n"
        "If it was not you, ignore this email. Nobody can see your page without this link.",
    )


def send_parent_page_link(link_id: int) -> bool:
    """The task behind `request_parent_page_link`: send the link if the address is known. Runs once per
    link (the message's key); a link already used, expired or sent is left alone."""
    with transaction.atomic():
        link = (
            ParentPageLink.objects.select_for_update()
            .filter(pk=link_id, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        key = f"{PARENT_PAGE_KEY_PREFIX}{link_id}"
        if link is None or Message.objects.filter(idempotency_key=key).exists():
            return False
        if not address_is_known(link.channel, link.address):
            return False
        token = new_token()
        ParentPageLink.objects.filter(pk=link.pk).update(token_hash=token_hash(token))
        subject, body = link_message(link.channel, parent_page_link_url(token))
        messaging.send_service_message(
            channel=link.channel,
            recipient=link.address,
            subject=subject,
            body=body,
            key=key,
            forget_after_send=_forget_link_after_send(),
        )
    return True


# --- Using a link ---------------------------------------------------------------------------------


class LinkState:
    OK = "ok"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def link_state(token: str, now: datetime | None = None) -> str:
    """What opening this link would find, without using it (a GET, which mail scanners make too)."""
    if not token_has_shape(token):
        return LinkState.UNKNOWN
    link = ParentPageLink.objects.filter(token_hash=token_hash(token)).first()
    if link is None:
        return LinkState.UNKNOWN
    if link.used_at is not None:
        return LinkState.USED
    if link.expires_at <= (now or timezone.now()):
        return LinkState.EXPIRED
    return LinkState.OK


def use_parent_page_link(token: str, now: datetime | None = None) -> tuple[str, ParentPageLink | None]:
    """Use the link: (LinkState.OK, the link) for the one request that wins, whatever races it; else
    (why not, None). A single conditional UPDATE decides, so a replay or a second tab gets USED."""
    now = now or timezone.now()
    if not token_has_shape(token):
        return LinkState.UNKNOWN, None
    hashed = token_hash(token)
    won = ParentPageLink.objects.filter(token_hash=hashed, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if won:
        return LinkState.OK, ParentPageLink.objects.get(token_hash=hashed)
    return link_state(token, now), None


def session_until(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(minutes=SESSION_MINUTES)


# --- The page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowedTopic:
    topic: str
    title: str
    channels: tuple[str, ...]


@dataclass
class ParentPage:
    channel: str
    address: str
    contact: Contact | None
    upcoming: list
    past: list
    memberships: list
    follows: list
    preferences_url: str

    @property
    def is_empty(self) -> bool:
        return not (self.upcoming or self.past or self.memberships or self.follows or self.contact)


def _bookings_of(channel: str, address: str):
    if not address:  # an anonymised booking's blank address is nobody's
        return Booking.objects.none()
    return Booking.objects.filter(Q(email__iexact=address) if channel == Channel.EMAIL else Q(mobile=address))


def _contact_of(channel: str, address: str) -> Contact | None:
    return messaging.contact_for_address(channel, address)


def _topic_titles(topics) -> dict[str, str]:
    """Titles for "consultation:<page id>" and "event:<page id>" topics, from one query of pages."""
    ids = {}
    for topic in topics:
        _, _, value = topic.partition(":")
        if value.isdigit():
            ids[topic] = int(value)
    titles = dict(Page.objects.filter(pk__in=set(ids.values())).values_list("pk", "title"))
    return {topic: titles.get(page_id, "") for topic, page_id in ids.items()}


def parent_page_for(channel: str, address: str, now: datetime | None = None) -> ParentPage:
    """Everything the page shows for one address, in a fixed number of queries."""
    now = now or timezone.now()
    bookings = list(
        _bookings_of(channel, address).select_related("event", "event__forum").order_by("event__start", "pk")
    )
    upcoming = [b for b in bookings if b.event.end >= now]
    past = [b for b in bookings if b.event.end < now][::-1][:PAST_BOOKINGS_SHOWN]
    contact = _contact_of(channel, address)
    memberships, follows = [], []
    if contact is not None:
        memberships = list(
            Membership.objects.filter(contact=contact, left_at__isnull=True)
            .select_related("forum")
            .order_by("forum__title")
        )
        by_topic: dict[str, list[str]] = {}
        for follow in FollowRequest.objects.filter(contact=contact).order_by("topic", "channel"):
            by_topic.setdefault(follow.topic, []).append(Channel(follow.channel).label.lower())
        titles = _topic_titles(by_topic)
        follows = [
            FollowedTopic(topic, titles.get(topic) or "something you asked about", tuple(channels))
            for topic, channels in by_topic.items()
        ]
    return ParentPage(
        channel=channel,
        address=address,
        contact=contact,
        upcoming=[_booking_row(b, now) for b in upcoming],
        past=[_booking_row(b, now) for b in past],
        memberships=memberships,
        follows=follows,
        preferences_url=reverse("messaging:preferences", args=[messaging.preferences_token(contact.pk)])
        if contact
        else "",
    )


@dataclass(frozen=True)
class BookingRow:
    booking: Booking
    when: str
    can_cancel: bool
    calendar_url: str


def _booking_row(booking: Booking, now: datetime) -> BookingRow:
    live = booking.status != BookingStatus.CANCELLED
    return BookingRow(
        booking=booking,
        when=govuk_datetime(booking.event.start),
        can_cancel=live and booking.event.start > now,
        calendar_url=reverse("forums:booking_calendar", args=[booking_token(booking.pk)]) if live else "",
    )


def own_booking(channel: str, address: str, booking_id: int) -> Booking | None:
    """The booking, if it was made with this address; None for anyone else's."""
    return _bookings_of(channel, address).select_related("event").filter(pk=booking_id).first()


def own_membership(channel: str, address: str, membership_id: int) -> Membership | None:
    """The current membership, if it is of the contact holding this address; None otherwise."""
    contact = _contact_of(channel, address)
    if contact is None:
        return None
    return (
        Membership.objects.select_related("forum")
        .filter(pk=membership_id, contact=contact, left_at__isnull=True)
        .first()
    )


def stop_own_follow(channel: str, address: str, topic: str) -> str | None:
    """Stop a "tell me what you decide" request of the contact holding this address; its title, or
    None if they had none about that topic."""
    contact = _contact_of(channel, address)
    if contact is None:
        return None
    return messaging.stop_following(contact, topic)


# --- Retention ------------------------------------------------------------------------------------


def expired_parent_page_links(now: datetime):
    """Links whose time ran out over a day ago: nothing needs them, not even to say "expired"."""
    return ParentPageLink.objects.filter(expires_at__lt=now - timedelta(days=1))
