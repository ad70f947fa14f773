"""Provider callbacks: Twilio status callbacks and anymail tracking events."""

from django.db import connection, transaction
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
    if str(error_code) != PROVIDER_OPT_OUT:
        changed = _advance_sms(message_id, provider_ref, status, error_code)
        if changed is not None:
            return changed
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


def _advance_sms(message_id, provider_ref, status, error_code):
    """What `apply_status` does for the message the full path below would find (ours by id, an SMS,
    and not another provider message's), with that lookup's checks in the WHERE: at most two UPDATEs
    whose SQL is written here, as building the ORM's queries cost most of the status webhook's time.

    Half of all receipts move a text that has already settled ("delivered" after "sent"): one UPDATE,
    and no campaign to finish. A first receipt leaves created/sending: its campaign (RETURNING it, not
    another SELECT) may be finished after the commit, as `apply_status` does. None when the message id
    is not a number we could have given out (then the full path decides, by the provider's reference)."""
    message_id = str(message_id or "")
    if not is_ascii_digits(message_id) or not 0 < int(message_id) <= MAX_PK:
        return None
    if (
        not connection.features.can_return_columns_from_insert
    ):  # UPDATE ... RETURNING: PostgreSQL, SQLite 3.35+
        return None
    changes = {
        "status": status,
        "status_changed_at": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    if error_code:
        changes.update(error_code=str(error_code)[:20], error_message="")
    if provider_ref:
        changes["provider_ref"] = provider_ref
    before = statuses_before(status)
    settled_before = [s for s in before if s not in UNSETTLED_STATUSES]
    unsettled_before = [s for s in before if s in UNSETTLED_STATUSES]

    def update(statuses, returning=""):
        # Table and column names are ours; every value is a parameter.
        sql = (
            f"UPDATE {Message._meta.db_table} SET {', '.join(f'{column} = %s' for column in changes)} "  # noqa: S608
            "WHERE id = %s AND channel = %s AND (provider_ref = '' OR %s = '' OR provider_ref = %s) "
            f"AND status IN ({', '.join(['%s'] * len(statuses))}){returning}"
        )
        params = [
            *changes.values(),
            int(message_id),
            Channel.SMS.value,
            provider_ref,
            provider_ref,
            *statuses,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if returning else cursor.rowcount

    if settled_before and update(settled_before):
        return True
    if not unsettled_before:
        return False
    row = update(unsettled_before, " RETURNING campaign_id")
    if row is None:
        return False
    campaign_id = row[0]
    if campaign_id is not None:  # as sending._message_settled: the last message may finish its campaign
        from .delivery import finish_campaign_if_done

        transaction.on_commit(lambda: finish_campaign_if_done(campaign_id))
    return True


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
