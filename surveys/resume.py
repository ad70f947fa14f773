"""Save and come back later (docs/save-and-come-back.md): someone part way through a web consultation
gets a one-time link, by email or text, to finish it later, in any browser.

The answers so far and the question they stopped at are kept in a ResumeLink row, in the shape the
session keeps them. The address the link goes to is used to send it and never kept: asking for a link
says nothing about any address, as there is nothing to know. Only the token's SHA-256 is stored; the
link works once, until the consultation closes. Nothing saved here is a response: the answers are
screened for safeguarding, like every answer, when the person finally sends them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.choices import Channel
from messaging.one_time_links import (
    new_token,
    parse_address,
    token_has_shape,
    token_hash,
)
from parentvoice.dates import govuk_datetime
from parentvoice.text import clean_text

from .choices import Anonymity
from .models import ConsultationPage, PartnerLink, ResumeLink

KEY_PREFIX = "surveys:resume:"


class LinkState:
    OK = "ok"
    USED = "used"
    CLOSED = "closed"
    UNKNOWN = "unknown"
    ANSWERED = "answered"  # opened in a browser that has already sent its answers (see use_up)


def resume_url(page_id: int, token: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("surveys:resume", args=[page_id, token])


def link_message(channel: str, page: ConsultationPage, url: str) -> tuple[str, str]:
    """(subject, body) of the message carrying the link. A text stays within 2 segments whatever the
    consultation's title (it does not name it)."""
    until = govuk_datetime(page.closes_at)
    if channel == Channel.SMS:
        return "", f"Carry on with your answers: {url} Works once, until {until}. Not you? Ignore this."
    return (
        f"Carry on with your answers: {page.title}"[:200],
        f"You asked for a link to finish answering '{page.title}' later.\n\n"
        f"Open this link to carry on where you stopped. It works once, until the consultation closes "
        f"on {until}:\n{url}\n\n"
        "Nothing has been sent to us yet: your answers count only when you send them at the end.\n\n"
        "If it was not you, ignore this email.",
    )


def _forget_after_send() -> bool:
    """Wipe the message (body and address) from the outbox once sent, so nobody reading it can use the
    link. Not with the demo's SMS outbox, which delivers nothing and is the only place to read it."""
    return settings.SMS_PROVIDER != "outbox"


def _storable(value):
    """The answers with every string cleaned of control characters: they are checked again when used,
    but PostgreSQL's jsonb cannot even store a NUL, so a crafted session must not turn into a 500."""
    if isinstance(value, dict):
        return {clean_text(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    return value


def save_for_later(
    page: ConsultationPage,
    answers: dict,
    position: str,
    *,
    address: str,
    contact_id: int | None = None,
    partner_link_id: int | None = None,
) -> ResumeLink:
    """Keep the answers so far and send a one-time link to `address` (as typed or already normalised).
    The address is not stored. An anonymous consultation keeps nothing of the invitation (see the docs:
    the resumed answer is sent as from an open link). AddressProblem for something not an address."""
    channel, address = parse_address(address)
    token = new_token()
    keep_contact = contact_id is not None and page.anonymity == Anonymity.LINKED
    # Kept against the English page (the answers are its, whatever the language); the link opens the
    # page it was asked for on, so the person carries on in the same language.
    link = ResumeLink.objects.create(
        consultation=page.source_page,
        token_hash=token_hash(token),
        answers=_storable(answers) if isinstance(answers, dict) else {},
        position=(position or "")[:64],
        contact_id=contact_id if keep_contact else None,
        partner_link_id=partner_link_id if isinstance(partner_link_id, int) else None,
        expires_at=page.closes_at,
    )
    subject, body = link_message(channel, page, resume_url(page.pk, token))
    messaging.send_service_message(
        channel=channel,
        recipient=address,
        subject=subject,
        body=body,
        key=f"{KEY_PREFIX}{link.pk}",
        forget_after_send=_forget_after_send(),
    )
    return link


def _open(page: ConsultationPage, now: datetime) -> bool:
    return page.opens_at <= now < page.closes_at


def link_state(page: ConsultationPage, token: str, now: datetime | None = None) -> str:
    """What using this link would find, without using it (a GET, which mail scanners make too). A token
    of another consultation is UNKNOWN here."""
    now = now or timezone.now()
    if not token_has_shape(token):
        return LinkState.UNKNOWN
    link = ResumeLink.objects.filter(
        consultation_id=page.source_page.pk, token_hash=token_hash(token)
    ).first()
    if link is None:
        return LinkState.UNKNOWN
    if link.used_at is not None:
        return LinkState.USED
    if link.expires_at <= now or not _open(page, now):
        return LinkState.CLOSED
    return LinkState.OK


def use_link(
    page: ConsultationPage, token: str, now: datetime | None = None
) -> tuple[str, ResumeLink | None]:
    """Use the link: (OK, the link) for the one request that wins, whatever races it; else (why not,
    None). One conditional UPDATE decides, so a replay or a second tab gets USED."""
    now = now or timezone.now()
    if not token_has_shape(token) or not _open(page, now):
        return link_state(page, token, now), None
    hashed = token_hash(token)
    won = ResumeLink.objects.filter(
        consultation_id=page.source_page.pk, token_hash=hashed, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if won:
        return LinkState.OK, ResumeLink.objects.get(token_hash=hashed)
    return link_state(page, token, now), None


def use_up(page: ConsultationPage, token: str, now: datetime | None = None) -> str:
    """The browser opening this link has already sent its answers to this consultation: spend the link
    and drop its saved answers, restoring nothing, so they cannot be sent a second time in this browser
    or any other. ANSWERED for a link of this consultation that is (now) used; otherwise why not, as
    link_state says (an unknown link still shows nothing)."""
    now = now or timezone.now()
    if token_has_shape(token) and _open(page, now):
        ResumeLink.objects.filter(
            consultation_id=page.source_page.pk,
            token_hash=token_hash(token),
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now, answers={}, position="")
    state = link_state(page, token, now)
    return LinkState.ANSWERED if state == LinkState.USED else state


def partner_link_for(link: ResumeLink) -> PartnerLink | None:
    """The partner link carried over, if it is still one of this consultation's."""
    if link.partner_link_id is None:
        return None
    return PartnerLink.objects.filter(pk=link.partner_link_id, consultation_id=link.consultation_id).first()


def finished_links(now: datetime) -> QuerySet:
    """Links used or expired over a day ago: nothing needs them, not even to say "already used"."""
    cutoff = now - timedelta(days=1)
    return ResumeLink.objects.filter(Q(used_at__lt=cutoff) | Q(expires_at__lt=cutoff))


def restored_answers(schema, answers) -> dict:
    """The saved answers checked again against the questions as they are now (a consultation nobody
    has answered yet may have changed since): an answer that no longer fits is dropped, to be asked
    again, and the rest are cleaned as if typed afresh."""
    from .choices import QuestionType
    from .questions import AnswerError, clean_answer, kept_answers

    by_id = {q.id: q for q in schema}
    restored = {}
    for question_id, value in (answers if isinstance(answers, dict) else {}).items():
        question = by_id.get(question_id)
        if question is None:
            continue
        if question.type == QuestionType.MULTIPLE_CHOICE:
            if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
                continue
            raw, other = [str(k) for k in value["keys"]], str(value.get("other") or "")
        elif isinstance(value, str | int) and not isinstance(value, bool):
            raw, other = str(value), ""
        else:
            continue
        try:
            restored[question_id] = clean_answer(question, raw, other)
        except AnswerError:
            continue
    return kept_answers(schema, restored)
