"""'Tell us': what parents tell the council at any time, not only when a consultation is open.

Three ways in, each an `OpenFeedback` entry screened for safeguarding like every free text: the public
form at /tell-us/, a text starting with the TELL keyword (settings.TELL_US_KEYWORD), and an officer
recording what they heard (helpline, school gate, meeting). Officers triage each entry: made into a
'You said' item (the public log then says "Parents told us"), added to an existing item, or closed with
a reason. `TRANSITIONS` is the one place that says which status may follow which.

Whoever asked to hear back has a follow request on the topic "tell-us:<entry id>" (an address typed on
the web form or by an officer is confirmed by its owner first; a texter replies "TELL YES"). When a
decision on the entry's item is published, the outcome notice reaches them (see
services.outcomes.decision_topics).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, FollowRoute
from parentvoice.safeguarding.services import held_ids, is_held, screen
from parentvoice.text import clean_text

from ..models import (
    OFFICER_SOURCES,
    FeedbackItem,
    OpenFeedback,
    OpenFeedbackSource,
    OpenFeedbackStatus,
    Theme,
)

__all__ = [
    "OPEN_FEEDBACK",
    "TELL_US_TOPIC",
    "TRANSITIONS",
    "TriageError",
    "add_to_item",
    "close_entry",
    "handle_tell_sms",
    "make_item",
    "receive_open_feedback",
    "record_told_by_officer",
    "request_reply",
    "tell_us_topic",
    "tell_us_topics",
    "triage_list",
]

OPEN_FEEDBACK = "feedback_loop.open_feedback"  # the safeguarding source kind
TELL_US_TOPIC = "tell-us"
TEXT_MAX_LENGTH = 2000
# How long after their text a "TELL YES" still asks to be told about it.
REPLY_YES_HOURS = 24
WEB_WORDING = "Asked on the 'Tell us' form to be told what happened about what they told us."
# What an officer reads to a parent on the phone or in person before recording that they want to hear.
HEAR_BACK_WORDING = (
    "We will send you one message when we decide what to do about what you told us, and another if "
    "that changes. First we will send a text or email to check the address is yours. We will only use "
    "your email address or mobile number for this, and you can stop the messages at any time."
)
# Where the officer heard it, as the follow request's wording says it.
_HEARD = {
    OpenFeedbackSource.HELPLINE: "on the helpline",
    OpenFeedbackSource.SCHOOL_GATE: "at a school gate",
    OpenFeedbackSource.MEETING: "at a meeting",
    OpenFeedbackSource.OTHER: "in person or by phone",
}

S = OpenFeedbackStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.MADE_ITEM, S.LINKED, S.CLOSED}),
    S.MADE_ITEM: frozenset(),
    S.LINKED: frozenset(),
    S.CLOSED: frozenset(),
}


class TriageError(Exception):
    """A triage step that may not happen (already triaged, held for safeguarding, no reason)."""


def tell_us_topic(entry_id: int) -> str:
    return f"{TELL_US_TOPIC}:{int(entry_id)}"


def tell_us_topics(item_ids) -> list[str]:
    """The follow topics of the open feedback behind these 'You said' items."""
    ids = OpenFeedback.objects.filter(feedback_item_id__in=list(item_ids)).values_list("pk", flat=True)
    return [tell_us_topic(pk) for pk in ids]


# --- Receiving ------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = clean_text(text or "", multiline=True).strip()
    if not text:
        raise ValidationError("Enter what you want to tell us")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(f"What you tell us must be {TEXT_MAX_LENGTH:,} characters or fewer")
    return text


def receive_open_feedback(
    *, text: str, source: str, district=None, contact=None, recorded_by=None
) -> OpenFeedback:
    """Store one entry and screen it: an entry that may be a disclosure about a child's safety is held
    (its text hidden from the triage list) until a safeguarding lead releases it."""
    if source not in OpenFeedbackSource.values:
        raise ValueError(f"Unknown source {source!r}.")
    with transaction.atomic():
        entry = OpenFeedback.objects.create(
            text=_clean(text), source=source, district=district, contact=contact, recorded_by=recorded_by
        )
        screen(OPEN_FEEDBACK, entry.pk)
    return entry


def _title(entry: OpenFeedback) -> str:
    return f"what you told us (reference {entry.reference})"


def request_reply(
    entry: OpenFeedback,
    *,
    channel: str,
    address: str,
    route: str = FollowRoute.WEB,
    wording: str = WEB_WORDING,
) -> None:
    """The person asked to be told what happened: their address gets a confirmation (double opt-in,
    as every public form and a keyed-in paper response), and the follow request is recorded, with
    `route` and `wording`, when they confirm."""
    messaging.request_follow(
        topic=tell_us_topic(entry.pk),
        title=_title(entry),
        channel=channel,
        route=route,
        wording=wording,
        address=address,
    )


def officer_wording(entry: OpenFeedback) -> str:
    """The consent as the follow request keeps it: where they asked, and the words read to them."""
    heard = _HEARD.get(entry.source, "in person or by phone")
    return (
        f"Asked an officer {heard} to be told what happened about what they told us "
        f"({entry.reference}), and agreed to this, read to them: \u201c{HEAR_BACK_WORDING}\u201d"
    )


def record_told_by_officer(
    *, text: str, source: str, district=None, user, hear_back: list[tuple[str, str]] = ()
) -> OpenFeedback:
    """What an officer heard (helpline, school gate, meeting) and, if the parent asked to be told what
    happens, a confirmation to each address they gave: an address said aloud and typed by someone
    else is checked by its owner before anything is sent about it, as on a paper response."""
    if source not in {s.value for s in OFFICER_SOURCES}:
        raise ValueError(f"An officer cannot record {source!r}.")
    with transaction.atomic():
        entry = receive_open_feedback(text=text, source=source, district=district, recorded_by=user)
        for channel, address in hear_back:
            request_reply(
                entry,
                channel=channel,
                address=address,
                route=FollowRoute.OFFICER,
                wording=officer_wording(entry),
            )
    return entry


# --- The TELL keyword -----------------------------------------------------------------------------


def _after_keyword(body: str) -> str:
    return body.strip().split(None, 1)[1] if len(body.strip().split(None, 1)) > 1 else ""


def handle_tell_sms(event) -> str | None:
    """'TELL <message>' stores an entry from the number; 'TELL YES' (within a day) asks to be told
    what happened about the last one. A bare 'TELL' says how to use it."""
    if _answering_by_text(event.from_number):
        # "Tell them..." may be an answer to a consultation's question: the conversation has it.
        return None
    sender = settings.MESSAGING_SENDER_NAME
    keyword = settings.TELL_US_KEYWORD.upper()
    message = _after_keyword(event.body)
    if not message:
        return f"{sender}: to tell us something, text {keyword} followed by your message."
    if message.strip().upper() == "YES":
        # A number that texted STOP could never be told: nothing to follow, and no reply.
        return "" if event.suppressed else _reply_yes(event, sender)
    contact = messaging.contact_for_phone(event.from_number, create=True)
    entry = receive_open_feedback(
        text=message[:TEXT_MAX_LENGTH], source=OpenFeedbackSource.SMS, contact=contact
    )
    if event.suppressed:
        return ""  # kept, but they texted STOP: say nothing until they text START (as surveys does)
    return (
        f"{sender}: thank you, we read every message (reference {entry.reference}). To get a text when "
        f"we decide what to do about it, reply {keyword} YES. Reply STOP to stop."
    )


def _answering_by_text(phone: str) -> bool:
    from surveys.choices import ConversationStatus
    from surveys.models import SmsConversation

    return SmsConversation.objects.filter(phone=phone, status=ConversationStatus.ACTIVE).exists()


def _reply_yes(event, sender) -> str:
    contact = messaging.contact_for_phone(event.from_number)
    since = timezone.now() - timedelta(hours=REPLY_YES_HOURS)
    entry = (
        OpenFeedback.objects.filter(contact=contact, source=OpenFeedbackSource.SMS, received_at__gte=since)
        .order_by("-received_at", "-pk")
        .first()
        if contact is not None
        else None
    )
    if entry is None:
        return f"{sender}: we have no recent message from you to follow. Text {settings.TELL_US_KEYWORD.upper()} followed by your message."
    messaging.request_follow(
        topic=tell_us_topic(entry.pk),
        title=_title(entry),
        channel=Channel.SMS,
        route=FollowRoute.SMS,
        wording=f"Texted '{settings.TELL_US_KEYWORD.upper()} YES' after telling us something by text.",
        contact=contact,
        confirmed_by=ConfirmedBy.SMS_REPLY,
    )
    return (
        f"{sender}: thank you. We will text you when we decide about {entry.reference}. Reply STOP to stop."
    )


# --- Triage ---------------------------------------------------------------------------------------


def triage_list(*, status: str = "", district=None, source: str = "") -> QuerySet:
    """Newest first, each with `held` (its text must not be shown) and its district and item."""
    entries = OpenFeedback.objects.select_related("district", "theme", "feedback_item").annotate(
        held=Exists(held_ids(OPEN_FEEDBACK).filter(source_id=OuterRef("pk")))
    )
    if status:
        entries = entries.filter(status=status)
    if district is not None:
        entries = entries.filter(district=district)
    if source:
        entries = entries.filter(source=source)
    return entries.order_by("-received_at", "-pk")


def _move(entry: OpenFeedback, to: str, user, **fields) -> OpenFeedback:
    """The one place an entry's status changes. Locks the row, so two officers triaging the same entry
    at once cannot both succeed."""
    with transaction.atomic():
        current = OpenFeedback.objects.select_for_update().get(pk=entry.pk)
        if to not in TRANSITIONS[current.status]:
            raise TriageError("This has been triaged already.")
        if is_held(OPEN_FEEDBACK, current.pk):
            raise TriageError(
                "A safeguarding lead is reading this first. You can triage it once it is released."
            )
        for name, value in fields.items():
            setattr(current, name, value)
        current.status = to
        current.triaged_at = timezone.now()
        current.triaged_by = user if getattr(user, "pk", None) else None
        current.save()
    return current


def make_item(entry: OpenFeedback, *, user, summary: str, theme: Theme) -> FeedbackItem:
    """A new draft 'You said' item resting on this entry (the public log says "Parents told us"); the
    officer reviews and publishes it in the editor, as any item."""
    summary = clean_text(summary or "", multiline=True).strip()
    if not summary:
        raise TriageError("Enter what parents said, for the 'You said' item.")
    with transaction.atomic():
        item = FeedbackItem(summary=summary[:500], theme=theme, live=False)
        item.save()
        entry = _move(entry, S.MADE_ITEM, user, feedback_item=item, theme=theme)
        if entry.district_id:
            item.districts.set([entry.district_id])
            item.save()
    return item


def add_to_item(entry: OpenFeedback, *, user, item: FeedbackItem) -> OpenFeedback:
    return _move(entry, S.LINKED, user, feedback_item=item, theme=item.theme)


def close_entry(entry: OpenFeedback, *, user, reason: str) -> OpenFeedback:
    reason = clean_text(reason or "").strip()
    if not reason:
        raise TriageError("Say why it is closed with no action.")
    return _move(entry, S.CLOSED, user, closed_reason=reason[:300])
