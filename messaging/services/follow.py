"""'Tell me what you decide': a person asks to be told what happens about one thing (a consultation, a
meeting) on one channel. A `FollowRequest` is that narrow consent; outcome campaigns reach it through
the audience's follow topics (see `campaigns.audience` and docs/messaging.md).

Topics are "consultation:<page id>" and "event:<event page id>". Three ways in:

- a contact whose address is already proven (their personal link, a text from the number, general
  consent to outcomes): recorded at once;
- an address typed on a public form: always confirmed by its owner first (double opt-in, as sign-up
  is), even one that already gets outcomes, and the request is recorded when the owner confirms;
- anonymous consultations: nothing is written but a `HeldFollowRequest`, released in random order at the
  next FOLLOW_RELEASE_MINUTES boundary, so no row or time pairs a request with the response before it.
"""

import logging
import random
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from parentvoice import ratelimit

from .. import audiences
from ..choices import Channel, ConfirmedBy, ConsentSource, Purpose
from ..models import AddressConfirmation, Contact, FollowRequest, HeldFollowRequest, Message
from ..sms import GSM7_BASIC, GSM7_EXTENDED, gsm7_lookalikes
from .consent import (
    CONFIRMATION_KEY_PREFIX,
    _send_confirmation,
    current_consents,
    is_suppressed,
    normalise_email,
)

logger = logging.getLogger(__name__)

FOLLOW_UP_PREFIX = "follow:"
# Ownership of a contact's address shown some other way than confirming it for this request.
PROVEN_WITHOUT_CONFIRMING = frozenset(
    {
        ConfirmedBy.PERSONAL_LINK,
        ConfirmedBy.FROM_NUMBER,
        ConfirmedBy.SMS_REPLY,
        ConfirmedBy.EARLIER_CONSENT,
        ConfirmedBy.OFFICER,
    }
)
# A title in a text is cut to this many characters, so the confirmation stays short.
SMS_TITLE_LENGTH = 60

__all__ = [
    "FOLLOW_UP_PREFIX",
    "FollowResult",
    "follow_channels",
    "follow_title_for_sms",
    "follow_up_for",
    "follower_ids",
    "has_asked",
    "follows_of",
    "Following",
    "forget_follows",
    "next_release",
    "parse_follow_up",
    "record_follow",
    "release_held_follow_requests",
    "request_follow",
    "stop_following",
]


class FollowResult(StrEnum):
    FOLLOWING = "following"
    CONFIRMATION_SENT = "confirmation_sent"
    HELD = "held"


# --- Wording ----------------------------------------------------------------------------------


def follow_title_for_sms(title: str, limit: int = SMS_TITLE_LENGTH) -> str:
    """The title as a text shows it: GSM-7 only (typographic marks and accented letters GSM-7 lacks
    made plain, anything else dropped, so the text is not sent as UCS-2 at 70 characters a segment),
    spaces squeezed, and cut on a word with "..." when longer than `limit`."""
    plain = "".join(_gsm7_letter(ch) for ch in gsm7_lookalikes(title or ""))
    plain = re.sub(r"\s+", " ", plain).strip()
    if not any(ch.isalnum() for ch in plain):
        # A title in a script GSM-7 has no letters for (Arabic, Bengali...): better a dearer text
        # (UCS-2) the parent can read than "about ''". Shorter, as each character costs twice.
        plain = re.sub(r"\s+", " ", title or "").strip()
        limit = limit // 2
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 3]
    if " " in cut and plain[limit - 3] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "..."


# Letters with no decomposition to a plain letter (so NFKD alone would drop them).
_NO_DECOMPOSITION = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "ı": "i", "œ": "oe", "Œ": "OE"}


def _gsm7_letter(ch: str) -> str:
    """A GSM-7 character as is; any other as its plain letters ("ż" -> "z", "ł" -> "l"), or nothing,
    so "Żłobki" reads "Zlobki" rather than "obki"."""
    if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
        return ch
    if ch in _NO_DECOMPOSITION:
        return _NO_DECOMPOSITION[ch]
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if c in GSM7_BASIC or c in GSM7_EXTENDED)


def follow_up_for(route: str, topic: str) -> str:
    """The AddressConfirmation.follow_up that records a follow request once the address is confirmed."""
    follow_up = f"{FOLLOW_UP_PREFIX}{route}:{topic}"
    if len(follow_up) > AddressConfirmation._meta.get_field("follow_up").max_length:
        raise ValueError("The topic is too long to follow.")
    return follow_up


def parse_follow_up(follow_up: str) -> tuple[str, str] | None:
    """(route, topic) of a follow request's follow_up, or None for any other follow_up."""
    if not follow_up.startswith(FOLLOW_UP_PREFIX):
        return None
    route, _, topic = follow_up.removeprefix(FOLLOW_UP_PREFIX).partition(":")
    return (route, topic) if route and topic else None


# --- Recording --------------------------------------------------------------------------------


def record_follow(
    contact: Contact, *, topic: str, channel: str, route: str, wording: str, confirmed_by: str
) -> FollowRequest:
    """The follow request for this contact, topic and channel; asking again changes nothing."""
    follow, _ = FollowRequest.objects.get_or_create(
        contact=contact,
        topic=topic,
        channel=channel,
        defaults={
            "route": route,
            "wording": wording,
            "confirmed_by": confirmed_by,
            # A UK date, never a time: see FollowRequest's docstring.
            "requested_on": timezone.localdate(),
        },
    )
    return follow


def request_follow(
    *,
    topic: str,
    title: str,
    channel: str,
    route: str,
    wording: str,
    address: str | None = None,
    contact: Contact | None = None,
    confirmed_by: str = "",
    anonymous: bool = False,
) -> FollowResult:
    """Someone asked to be told what happens about `topic` on `channel`. Safe to call from any public
    form: an address typed there is confirmed by its owner before anything is recorded against it, and
    it counts against the per-recipient limit every public form shares.

    Give exactly one of `contact` (ownership already proven; say how in `confirmed_by`) or `address`
    (an email address, or a mobile number in +44 form). `anonymous`: the request is held and released
    later (see release_held_follow_requests). Raises ValueError for a call that cannot be honoured
    (both or neither, an unknown channel, a contact without an address on the channel)."""
    _check_request(topic, channel, route, address, contact, confirmed_by)
    if anonymous:
        return _hold(topic, title, channel, route, wording, address, contact, confirmed_by)
    return _follow_now(topic, title, channel, route, wording, address, contact, confirmed_by)


def _check_request(topic, channel, route, address, contact, confirmed_by) -> None:
    if (address is None) == (contact is None):
        raise ValueError("Give exactly one of address or contact.")
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    follow_up_for(route, topic)
    if contact is not None:
        if confirmed_by not in PROVEN_WITHOUT_CONFIRMING:
            raise ValueError("Say how the contact showed the address is theirs (confirmed_by).")
        if not contact.address_for(channel):
            raise ValueError("The contact has no address on that channel.")
    elif not address.strip():
        raise ValueError("The address is empty.")


def _follow_now(topic, title, channel, route, wording, address, contact, confirmed_by) -> FollowResult:
    if contact is not None:
        record_follow(
            contact, topic=topic, channel=channel, route=route, wording=wording, confirmed_by=confirmed_by
        )
        return FollowResult.FOLLOWING
    address = _normalised(channel, address)
    # A typed address is always confirmed by its owner, even one that already gets outcomes: anyone
    # may type anyone's address, and only the owner may choose to hear about this consultation (and a
    # shortcut would take a different time and path, telling a stranger the address is known).
    _ask_to_confirm(topic, title, channel, route, wording, address)
    # The same answer whether or not a confirmation went (limits, a STOP): a form shows nothing that
    # tells a stranger about the address's owner.
    return FollowResult.CONFIRMATION_SENT


def _normalised(channel: str, address: str) -> str:
    return normalise_email(address) if channel == Channel.EMAIL else address.strip()


def _ask_to_confirm(topic, title, channel, route, wording, address) -> AddressConfirmation | None:
    """Send the address a confirmation for this request, as sign-up does, unless a limit says no."""
    # Every public form that sends to an address shares this count (see parentvoice.ratelimit), so
    # one number cannot be sent confirmations from many forms. Refused: nothing is written or sent.
    if not ratelimit.allow(ratelimit.RECIPIENT, f"{channel}:{address}"):
        logger.info("follow request: confirmation not sent, recipient limit reached (%s)", channel)
        return None
    # A number that texted STOP is not texted to confirm (the STOP must be undone with START first);
    # an unsubscribed email still gets the link, since confirming is how someone signs up again.
    if channel == Channel.SMS and is_suppressed(channel, address):
        return None
    with transaction.atomic():
        confirmation = AddressConfirmation.objects.create(
            channel=channel,
            address=address,
            request_id=uuid.uuid4(),
            purposes=[],
            wording=wording,
            source=ConsentSource.WEB_FORM,
            details={"follow_title": title[:255]},
            follow_up=follow_up_for(route, topic),
            expires_at=timezone.now() + timedelta(hours=settings.CONFIRMATION_LINK_HOURS),
        )
        _send_confirmation(confirmation, "", follow_title=title)
    return confirmation


# --- Anonymous consultations: held, then released in random order ---------------------------


def next_release(now: datetime | None = None) -> datetime:
    """The first FOLLOW_RELEASE_MINUTES boundary (counted from midnight UTC) after `now`."""
    step = settings.FOLLOW_RELEASE_MINUTES * 60
    seconds = int((now or timezone.now()).timestamp())
    return datetime.fromtimestamp((seconds // step + 1) * step, tz=UTC)


def _release_window() -> timedelta:
    return timedelta(minutes=settings.FOLLOW_RELEASE_MINUTES)


def _release_moment(now: datetime | None = None) -> datetime:
    """The boundary this release belongs to: the last one at or before `now`."""
    return next_release(now) - _release_window()


def _hold(topic, title, channel, route, wording, address, contact, confirmed_by) -> FollowResult:
    from ..tasks import release_held_follow_requests as release_task

    if address is not None:
        address = _normalised(channel, address)
    HeldFollowRequest.objects.create(
        topic=topic,
        title=title[:255],
        channel=channel,
        address=address or "",
        contact=contact,
        route=route,
        wording=wording,
        confirmed_by=confirmed_by,
    )
    release_at = next_release()
    transaction.on_commit(lambda: _schedule_release(release_task, release_at))
    return FollowResult.HELD


def _schedule_release(release_task, release_at: datetime) -> None:
    """Queue the release at `release_at`, once per window. The queue's own row would otherwise record
    when the request was made (its enqueued_at), so the one row a window gets says the window's start."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: one task per request, each harmless
        release_task.using(run_after=release_at).enqueue()
        return
    waiting = DBTaskResult.objects.filter(
        task_path=release_task.module_path, status="READY", run_after=release_at
    )
    if waiting.exists():
        return
    result = release_task.using(run_after=release_at).enqueue()
    window_start = release_at - _release_window()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=window_start)


def release_held_follow_requests() -> int:
    """Handle every held request, in random order, exactly as a request that was not held; returns how
    many. Each row is deleted in the same transaction that handles it, so running twice (or two
    workers at once) handles each once; one that fails stays held for the next release.

    Every row written here carries the release's boundary as its time, never the moment of writing,
    and the random order means ids and task order say nothing about when each request was made."""
    released_at = _release_moment()
    held = list(HeldFollowRequest.objects.values_list("pk", flat=True))
    random.SystemRandom().shuffle(held)
    handled = 0
    for held_id in held:
        try:
            with transaction.atomic():
                row = HeldFollowRequest.objects.select_for_update(skip_locked=True).filter(pk=held_id).first()
                # Deleted first: a second release that read the same id deletes nothing and skips it.
                if row is None or not HeldFollowRequest.objects.filter(pk=held_id).delete()[0]:
                    continue
                confirmation = _release_one(row)
                if confirmation is not None:
                    # In the same transaction: no row is ever committed with its real time.
                    _stamp_with(released_at, [confirmation.pk])
        except ValueError:
            # A contact that lost its address since: nothing can be recorded; drop the request.
            HeldFollowRequest.objects.filter(pk=held_id).delete()
            logger.info("held follow request dropped: the contact has no address on its channel")
            continue
        handled += 1
    return handled


def _release_one(row: HeldFollowRequest) -> AddressConfirmation | None:
    """Handle one held request as request_follow would have; the confirmation it sent, if any."""
    if row.contact_id is not None:
        _check_request(row.topic, row.channel, row.route, None, row.contact, row.confirmed_by)
        record_follow(
            row.contact,
            topic=row.topic,
            channel=row.channel,
            route=row.route,
            wording=row.wording,
            confirmed_by=row.confirmed_by,
        )
        return None
    return _ask_to_confirm(row.topic, row.title, row.channel, row.route, row.wording, row.address)


def _stamp_with(released_at: datetime, confirmation_ids: list[int]) -> None:
    """Give the confirmations (and their messages) the release's time instead of the moment each was
    written, which would order them. The link still works its full CONFIRMATION_LINK_HOURS."""
    if not confirmation_ids:
        return
    expires_at = released_at + timedelta(hours=settings.CONFIRMATION_LINK_HOURS)
    AddressConfirmation.objects.filter(pk__in=confirmation_ids).update(
        created_at=released_at, expires_at=expires_at
    )
    Message.objects.filter(
        idempotency_key__in=[f"{CONFIRMATION_KEY_PREFIX}{pk}" for pk in confirmation_ids]
    ).update(created_at=released_at, status_changed_at=released_at)


# --- Who will be told -------------------------------------------------------------------------


def follow_channels(contact_id: int | None, topics: Iterable[str]) -> list[str]:
    """The channels on which this contact will be told about any of `topics`: those they asked on, or
    where they agreed to hear about outcomes in general, if they have an address there that is not
    suppressed. [] for no contact."""
    if contact_id is None:
        return []
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return []
    followed = set(
        FollowRequest.objects.filter(contact=contact, topic__in=list(topics)).values_list(
            "channel", flat=True
        )
    )
    consents = current_consents(contact)
    channels = []
    for channel in Channel.values:
        address = contact.address_for(channel)
        wanted = channel in followed or consents.get((channel, Purpose.OUTCOMES), False)
        if address and wanted and not is_suppressed(channel, address):
            channels.append(channel)
    return channels


def has_asked(contact_id: int, topic: str, channel: str) -> bool:
    """Whether this contact asked to be told about `topic` on `channel`, held requests included (an
    anonymous consultation's request waiting for its release): asking twice records once."""
    return (
        FollowRequest.objects.filter(contact_id=contact_id, topic=topic, channel=channel).exists()
        or HeldFollowRequest.objects.filter(contact_id=contact_id, topic=topic, channel=channel).exists()
    )


def follower_ids(topics: Iterable[str]) -> QuerySet:
    """`.values("contact_id")` of everyone who asked to be told about any of `topics`."""
    return FollowRequest.objects.filter(topic__in=list(topics)).values("contact_id").distinct()


# --- Changing one's mind ----------------------------------------------------------------------


def forget_follows(contact: Contact, channels: Iterable[str]) -> int:
    """Withdrawn: delete the contact's follow requests on these channels, held ones included (a held
    request released after the withdrawal would otherwise record what they had just withdrawn).
    Returns how many."""
    channels = list(channels)
    HeldFollowRequest.objects.filter(contact=contact, channel__in=channels).delete()
    return FollowRequest.objects.filter(contact=contact, channel__in=channels).delete()[0]


@dataclass(frozen=True)
class Following:
    """One thing a person asked to be told about, as their preferences page lists it."""

    id: str
    title: str
    channels: tuple[str, ...]


def follows_of(contact: Contact) -> list[Following]:
    """What this contact asked to be told about, one entry per topic, with its title."""
    by_topic: dict[str, list[FollowRequest]] = {}
    for follow in contact.follow_requests.order_by("topic", "channel"):
        by_topic.setdefault(follow.topic, []).append(follow)
    return [
        Following(
            id=topic,
            title=audiences.topic_title(topic),
            channels=tuple(Channel(f.channel).label.lower() for f in follows),
        )
        for topic, follows in by_topic.items()
    ]


def stop_following(contact: Contact, topic: str) -> str | None:
    """The person stopped being told about `topic` (every channel) from their preferences page.
    Returns its title, or None if they were not following it."""
    topic = str(topic)[:60]
    # A held request about it (an anonymous consultation's, not yet released) goes too.
    HeldFollowRequest.objects.filter(contact=contact, topic=topic).delete()
    deleted = FollowRequest.objects.filter(contact=contact, topic=topic).delete()[0]
    return audiences.topic_title(topic) if deleted else None
