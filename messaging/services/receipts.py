"""Provider callbacks: Twilio status callbacks and anymail tracking events."""

from parentvoice.text import is_ascii_digits

from ..choices import (
    Channel,
    MessageStatus,
    SuppressionReason,
)
from ..models import Message
from .consent import normalise_email, suppress
from .sending import apply_status

# --- Provider callbacks ---------------------------------------------------------------------


def record_sms_status(*, message_id, provider_ref, twilio_status, error_code=""):
    from ..providers.twilio import status_from_callback

    status = status_from_callback(twilio_status, error_code)
    if status is None or status == MessageStatus.SENDING:
        return False
    messages = Message.objects.filter(channel=Channel.SMS)
    if is_ascii_digits(str(message_id or "")):  # not str.isdigit(): "²" passes it, then int() fails
        messages = messages.filter(pk=int(message_id))
    else:
        messages = messages.filter(provider_ref=provider_ref)
    message = messages.only("pk", "recipient", "provider_ref").first()
    if message is None or (message.provider_ref and provider_ref and message.provider_ref != provider_ref):
        return False
    changed = apply_status(message.pk, status, error_code=error_code, provider_ref=provider_ref or None)
    if changed and str(error_code) == "21610":
        suppress(Channel.SMS, message.recipient, SuppressionReason.PROVIDER_OPT_OUT)
    return changed


EMAIL_EVENT_STATUSES = {
    "delivered": MessageStatus.DELIVERED,
    "bounced": MessageStatus.PERMANENT_FAILURE,
    "rejected": MessageStatus.PERMANENT_FAILURE,
    "complained": MessageStatus.DELIVERED,
    "failed": MessageStatus.TECHNICAL_FAILURE,
    "deferred": None,
}


def record_email_event(*, event_type, message_id=None, provider_ref="", recipient="", reason=""):
    """An anymail tracking event. It counts only for an email we sent, found by our id (the metadata we
    send with every email) or the provider's, and only for the address we sent it to: then hard bounces
    and complaints suppress that address. An event for an unknown message or another address (which a
    misconfigured or forged webhook could send) changes nothing."""
    message = _sent_email(message_id, provider_ref)
    if message is None:
        return False
    address = normalise_email(recipient)
    if address is None or address != normalise_email(message.recipient):
        return False
    if event_type == "bounced" or event_type == "complained":
        suppress(
            Channel.EMAIL,
            address,
            SuppressionReason.HARD_BOUNCE if event_type == "bounced" else SuppressionReason.COMPLAINT,
        )
    status = EMAIL_EVENT_STATUSES.get(event_type)
    if status is None:
        return False
    return apply_status(message.pk, status, error_message=reason[:255])


MAX_PK = 2**63 - 1


def _sent_email(message_id, provider_ref):
    """The email message an event is about, if we sent it (it has left the CREATED state)."""
    messages = Message.objects.filter(channel=Channel.EMAIL).exclude(
        status__in=[MessageStatus.CREATED, MessageStatus.SUPPRESSED]
    )
    message_id = str(message_id or "")
    if message_id.isascii() and message_id.isdigit() and int(message_id) <= MAX_PK:
        messages = messages.filter(pk=int(message_id))
    elif provider_ref:
        messages = messages.filter(provider_ref=provider_ref)
    else:
        return None
    message = messages.only("pk", "recipient", "provider_ref").first()
    if (
        message is not None
        and provider_ref
        and message.provider_ref
        and not message.provider_ref.startswith("local-")  # sent without an ESP: no id of its own
        and message.provider_ref != provider_ref
    ):
        return None
    return message
