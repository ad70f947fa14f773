"""Provider callbacks: Twilio status callbacks and anymail tracking events."""

from django.db import connection
from django.utils import timezone

from parentvoice.text import is_ascii_digits

from ..choices import (
    Channel,
    MessageStatus,
    SuppressionReason,
)
from ..models import Message
from .consent import normalise_email, suppress
from .sending import UNSETTLED_STATUSES, apply_status, statuses_before

# --- Provider callbacks ---------------------------------------------------------------------


def record_sms_status(*, message_id, provider_ref, twilio_status, error_code=""):
    from ..providers.twilio import status_from_callback

    status = status_from_callback(twilio_status, error_code)
    if status is None or status == MessageStatus.SENDING:
        return False
    if str(error_code) != PROVIDER_OPT_OUT and _advance_settled_sms(
        message_id, provider_ref, status, error_code
    ):
        return True
    messages = Message.objects.filter(channel=Channel.SMS)
    if is_ascii_digits(str(message_id or "")):  # not str.isdigit(): "²" passes it, then int() fails
        messages = messages.filter(pk=int(message_id))
    else:
        messages = messages.filter(provider_ref=provider_ref)
    message = messages.only("pk", "recipient", "provider_ref").first()
    if message is None or (message.provider_ref and provider_ref and message.provider_ref != provider_ref):
        return False
    changed = apply_status(message.pk, status, error_code=error_code, provider_ref=provider_ref or None)
    if changed and str(error_code) == PROVIDER_OPT_OUT:
        suppress(Channel.SMS, message.recipient, SuppressionReason.PROVIDER_OPT_OUT)
    return changed


PROVIDER_OPT_OUT = "21610"  # Twilio: the recipient has opted out (texted STOP to Twilio itself)


def _advance_settled_sms(message_id, provider_ref, status, error_code):
    """Half of all receipts move a text that has already settled ("delivered" after "sent"): that is
    the same change as `apply_status` makes (it has no campaign to finish), with the lookup's checks in
    the WHERE, as one UPDATE whose SQL is written here rather than built by the ORM (building the two
    queries cost most of the status webhook's time). False when it changed nothing, for the full path
    to decide (a first receipt, a repeat, another message's reference)."""
    settled_before = [s for s in statuses_before(status) if s not in UNSETTLED_STATUSES]
    message_id = str(message_id or "")
    if not settled_before or not is_ascii_digits(message_id) or not 0 < int(message_id) <= MAX_PK:
        return False
    changes = {
        "status": status,
        "status_changed_at": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    if error_code:
        changes.update(error_code=str(error_code)[:20], error_message="")
    if provider_ref:
        changes["provider_ref"] = provider_ref
    # Table and column names are ours; every value is a parameter.
    sql = (
        f"UPDATE {Message._meta.db_table} SET {', '.join(f'{column} = %s' for column in changes)} "  # noqa: S608
        "WHERE id = %s AND channel = %s AND (provider_ref = '' OR %s = '' OR provider_ref = %s) "
        f"AND status IN ({', '.join(['%s'] * len(settled_before))})"
    )
    params = [
        *changes.values(),
        int(message_id),
        Channel.SMS.value,
        provider_ref,
        provider_ref,
        *settled_before,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


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
