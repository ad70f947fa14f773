"""Provider callbacks: Twilio status callbacks and anymail tracking events."""

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
    if message_id and str(message_id).isdigit():
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
    """An anymail tracking event. Hard bounces and complaints suppress the address."""
    if event_type == "bounced" or event_type == "complained":
        suppress(
            Channel.EMAIL,
            normalise_email(recipient),
            SuppressionReason.HARD_BOUNCE if event_type == "bounced" else SuppressionReason.COMPLAINT,
        )
    status = EMAIL_EVENT_STATUSES.get(event_type)
    if status is None:
        return False
    messages = Message.objects.filter(channel=Channel.EMAIL)
    if message_id and str(message_id).isdigit():
        messages = messages.filter(pk=int(message_id))
    elif provider_ref:
        messages = messages.filter(provider_ref=provider_ref)
    else:
        return False
    pk = messages.values_list("pk", flat=True).first()
    return pk is not None and apply_status(pk, status, error_message=reason[:255])
