"""Rendering and sending one message, and the one place a message's status changes.

Message status moves forward only (see `apply_status` and docs/messaging.md):

    created -> sending -> sent -> delivered
                       \\-> temporary_failure | permanent_failure | technical_failure
    created -> suppressed
    sending -> created   only to retry after a temporary provider error (`_schedule_retry`)

Final statuses are never overwritten: provider callbacks arrive late, twice and out of order.
"""

import logging
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext

from parentvoice import ratelimit

from ..choices import (
    FINAL_STATUSES,
    Channel,
    MessageStatus,
    SuppressionReason,
)
from ..models import Message, Suppression
from ..providers import ProviderError, get_email_provider, get_sms_provider
from .consent import (
    CONFIRMATION_KEY_PREFIX,
    preferences_url,
    suppress,
    suppression_keys,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)

STATUS_RANK = {MessageStatus.CREATED: 0, MessageStatus.SENDING: 1, MessageStatus.SENT: 2}
STATUS_RANK.update(dict.fromkeys(FINAL_STATUSES, 3))

MAX_SEND_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30
BATCH_SIZE = 100

# --- Rendering ------------------------------------------------------------------------------


def render(template, values):
    text = template
    for key, value in values.items():
        text = text.replace(f"(({key}))", value or "")
    return text


@lru_cache(maxsize=64)
def _fixed_words(language: str) -> dict[str, str]:
    """The words we add to every message, in `language`. Kept per process: a fan-out adds them to
    every message, and switching the active language for each one costs more than the rest."""
    with translation.override(language):
        return {
            "stop": gettext("Reply STOP to stop."),
            "sent_by": gettext("Sent by %(sender)s."),
            "preferences": gettext("Choose what we send you: %(link)s"),
            "unsubscribe": gettext("Unsubscribe from everything: %(link)s"),
        }


@receiver(setting_changed)
def _forget_fixed_words(setting, **kwargs):
    # Django reloads its catalogs when these change (tests); so do we.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _fixed_words.cache_clear()


def sms_body(text, language=None):
    """A text as sent: the sender's name first and the opt-out last, in `language` (the language the
    text is written in; None for English). STOP stays STOP in every language: it is the word phones,
    networks and Twilio recognise."""
    ending = _fixed_words(language or settings.LANGUAGE_CODE)["stop"]
    return f"{settings.MESSAGING_SENDER_NAME}: {text.strip()} {ending}"


def email_body(text, contact_id, language=None):
    """An email as sent, signed and ending with the preferences and unsubscribe links, in `language`."""
    words = _fixed_words(language or settings.LANGUAGE_CODE)
    footer = (
        words["sent_by"] % {"sender": settings.MESSAGING_SENDER_NAME},
        words["preferences"] % {"link": preferences_url(contact_id)},
        words["unsubscribe"] % {"link": unsubscribe_url(contact_id)},
    )
    return f"{text.strip()}\n\n---\n" + "".join(f"{line}\n" for line in footer)


# --- Status transitions: the one place status changes ---------------------------------------


def statuses_before(status):
    rank = STATUS_RANK[status]
    return [s for s, r in STATUS_RANK.items() if r < rank]


def apply_status(message_id, status, *, error_code="", error_message="", provider_ref=None):
    """Move a message forward to `status`. Returns False (and changes nothing) when the message is
    already at or past it, so late, repeated and out-of-order receipts are harmless."""
    if status == MessageStatus.SENDING:
        return False  # only `_claim` moves a message into sending
    changes = {"status": status, "status_changed_at": timezone.now()}
    if error_code or error_message:
        changes.update(error_code=str(error_code)[:20], error_message=error_message[:255])
    if provider_ref:
        changes["provider_ref"] = provider_ref
    before = statuses_before(status)
    settled_before = [s for s in before if s not in UNSETTLED_STATUSES]
    messages = Message.objects.filter(pk=message_id)
    # Most receipts move a message that has already settled (Twilio's "delivered" after "sent"): try
    # that first, so they stay one UPDATE and never look at the campaign.
    if settled_before and messages.filter(status__in=settled_before).update(**changes):
        return True
    if not messages.filter(status__in=UNSETTLED_STATUSES).update(**changes):
        return False
    _message_settled(message_id)
    return True


# A campaign is done when none of its messages is in one of these (see `finish_campaign_if_done`).
UNSETTLED_STATUSES = (MessageStatus.CREATED, MessageStatus.SENDING)


def _message_settled(message_id):
    """A message just left created/sending: it may have been the last one its campaign waited for.
    Checked after the commit, so of two receipts settling a campaign's last two messages at once, the
    second to commit sees both and finishes it."""
    from .delivery import finish_campaign_if_done

    campaign_id = Message.objects.filter(pk=message_id).values_list("campaign_id", flat=True).first()
    if campaign_id is not None:
        transaction.on_commit(lambda: finish_campaign_if_done(campaign_id))


def _claim(message_id):
    """Take a created message for sending. Only one worker can win; a message that is already
    `sending` is never sent again, so a worker killed mid-send cannot cause a double send."""
    return bool(
        Message.objects.filter(pk=message_id, status=MessageStatus.CREATED).update(
            status=MessageStatus.SENDING, attempts=F("attempts") + 1, status_changed_at=timezone.now()
        )
    )


def _schedule_retry(message, error):
    from ..tasks import SERVICE_PRIORITY, SERVICE_QUEUE, retry_message

    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.CREATED,
        error_code=error.code[:20],
        error_message=str(error)[:255],
        status_changed_at=timezone.now(),
    )
    delay = RETRY_BASE_SECONDS * 2 ** (message.attempts - 1)
    run_after = timezone.now() + timedelta(seconds=delay)
    if message.campaign_id is None:  # a service message: someone is waiting for it
        task = retry_message.using(queue_name=SERVICE_QUEUE, priority=SERVICE_PRIORITY, run_after=run_after)
    else:
        task = retry_message.using(queue_name=message.channel, run_after=run_after)
    task.enqueue(message.pk)
    return delay


# --- Sending --------------------------------------------------------------------------------


FORGOTTEN_BODY = "(Not kept: wiped once sent, with the address it went to.)"


def send_message(message_id):
    """Send one created message now. Returns the message's status afterwards."""
    status = _send_message(message_id)
    if status != MessageStatus.CREATED:
        # Only a message waiting for a retry still needs its body and address.
        Message.objects.filter(pk=message_id, forget_after_send=True).exclude(body=FORGOTTEN_BODY).update(
            body=FORGOTTEN_BODY, recipient=""
        )
    return status


def _send_message(message_id):
    if not _claim(message_id):
        return Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
    message = Message.objects.get(pk=message_id)
    if _blocked_by_suppression(message):
        apply_status(message.pk, MessageStatus.SUPPRESSED)
        return MessageStatus.SUPPRESSED
    try:
        provider = get_sms_provider() if message.channel == Channel.SMS else get_email_provider()
        if message.channel == Channel.SMS:
            result = provider.send(message)
        else:
            result = provider.send(message, headers=_email_headers(message))
    except ProviderError as error:
        if error.suppress:
            suppress(message.channel, message.recipient, SuppressionReason.PROVIDER_OPT_OUT)
        if error.maybe_sent:
            _await_receipt(message, provider, error)
            logger.warning("message %s: %s", message.pk, error)
            return MessageStatus.SENDING
        if error.temporary and message.attempts < MAX_SEND_ATTEMPTS:
            delay = _schedule_retry(message, error)
            logger.info("message %s: temporary error %s, retry in %ss", message.pk, error.code, delay)
            return MessageStatus.CREATED
        apply_status(message.pk, error.status, error_code=error.code, error_message=str(error))
        logger.info("message %s: failed (%s)", message.pk, error.code)
        return error.status
    except Exception as error:
        # Anything we did not foresee while building or sending: a technical failure, with the reason
        # on the message and the traceback in the log. Never retried, and never left `sending`.
        logger.exception("message %s: could not be sent", message.pk)
        apply_status(
            message.pk,
            MessageStatus.TECHNICAL_FAILURE,
            error_code="error",
            error_message=f"Could not be sent: {type(error).__name__}",
        )
        return MessageStatus.TECHNICAL_FAILURE
    Message.objects.filter(pk=message.pk).update(
        provider=provider.name,
        provider_ref=result.provider_ref,
        sent_at=timezone.now(),
        error_code="",
        error_message="",
    )
    if result.status != MessageStatus.SENDING:
        apply_status(message.pk, result.status)
    return result.status


def _blocked_by_suppression(message):
    """Suppressed addresses are never sent to, with one exception: the link that confirms an address
    still reaches someone who unsubscribed, since confirming is how they sign up again."""
    reasons = set(
        Suppression.objects.filter(
            channel=message.channel, address__in=suppression_keys(message.recipient)
        ).values_list("reason", flat=True)
    )
    if message.idempotency_key.startswith(CONFIRMATION_KEY_PREFIX):
        reasons.discard(SuppressionReason.UNSUBSCRIBED)
    return bool(reasons)


def _await_receipt(message, provider, error):
    """The provider may have accepted the message though we got no answer: it stays `sending` (the
    claim and `resume_stalled_messages` never send a `sending` message again) until the delivery
    receipt, which finds it by our id, settles it. The reason is kept on the message for officers."""
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        provider=provider.name, error_code=error.code[:20], error_message=str(error)[:255]
    )


def _email_headers(message):
    if message.contact_id is None:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(message.contact_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


DAILY_CAP_ERROR = "daily_cap"


def send_service_message(
    *, channel, recipient, body, key, subject="", contact_id=None, forget_after_send=False, as_written=False
):
    """A message the person asked for, such as a booking confirmation: it needs no marketing consent,
    but a suppressed address is still never sent to. Idempotent by `key`; sent by a task once the
    caller's transaction commits.

    Each recipient gets at most so many service messages a day (`service_sms` / `service_email` in
    PUBLIC_RATE_LIMITS), so public forms cannot be used to pump texts to one number. A message over
    the cap is saved, never sent, as a technical failure with a DAILY_CAP_ERROR code.

    `forget_after_send`: once the message has gone (or failed for good), its body and address are
    wiped from the outbox, so nothing kept pairs the address with what the message said.

    `as_written`: a text sent exactly as given, with no sender's name or STOP line added: a reply to an
    inbound text that was kept while the database was down (services.inbound_spool), worded as the
    TwiML reply would have been."""
    from ..tasks import send_one

    existing = Message.objects.filter(idempotency_key=key[:120]).first()
    if existing is not None:
        return existing
    if as_written:
        text = body
    elif channel == Channel.SMS:
        text = sms_body(body)
    else:
        text = f"{body.strip()}\n\n---\nSent by {settings.MESSAGING_SENDER_NAME}.\n"
    fields = {
        "channel": channel,
        "recipient": recipient,
        "subject": subject[:200],
        "body": text,
        "forget_after_send": forget_after_send,
    }
    capped = not ratelimit.allow(f"service_{channel}", f"{channel}:{recipient}")
    if capped:
        if forget_after_send:
            fields.update(body=FORGOTTEN_BODY, recipient="")
        fields.update(
            status=MessageStatus.TECHNICAL_FAILURE,
            error_code=DAILY_CAP_ERROR,
            error_message="Not sent: this recipient has had the most service messages allowed in a day.",
        )
        logger.warning("service message not sent: daily cap reached for one %s recipient", channel)
    message, created = Message.objects.get_or_create(
        idempotency_key=key[:120], defaults={**fields, "contact_id": contact_id}
    )
    if created and not capped:
        # The `service` queue, at the highest priority: never behind a campaign's batches.
        transaction.on_commit(lambda: send_one.enqueue(message.pk))
    return message
