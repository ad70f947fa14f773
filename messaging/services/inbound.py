"""Inbound text messages: opt-out words here, everything else to the registered handlers."""

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from parentvoice import ratelimit
from parentvoice.safeguarding.services import screen_in_a_task
from parentvoice.text import clean_text

from ..choices import (
    Channel,
    ConfirmedBy,
    ConsentSource,
    Purpose,
    SuppressionReason,
)
from ..models import Contact, InboundMessage, Message, Suppression
from ..signals import InboundSms, inbound_sms, registry
from .consent import (
    Evidence,
    confirm_address,
    confirmed_by_text_reply,
    pending_sms_confirmation,
    set_consents,
    suppress,
    suppression_keys,
)

# Twilio's default opt-out and opt-in words on long codes.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
# A YES answers a confirmation text only when no campaign text (which a YES could also answer) came after it.
CONFIRM_WORDS = {"YES", "Y"}

# --- Inbound text messages -------------------------------------------------------------------


def receive_sms(*, provider_ref, from_number, to_number, body):
    """Store an inbound text once, handle opt-out words here, pass everything else to the
    registered handlers, and return the reply to send (or None).

    What only needs reading (the contact, suppression) is read before the transaction, so the write
    lock is held only for the writes and the handler's own work. A repeat delivery of the same
    MessageSid fails to insert (unique provider_ref) and gets the reply stored the first time.

    Control characters are dropped first (`parentvoice.text`): a NUL cannot be stored, and nobody can
    be asked to text again without it. The body keeps its line breaks."""
    body = clean_text(body, multiline=True)
    provider_ref, from_number, to_number = (
        clean_text(v).strip() for v in (provider_ref, from_number, to_number)
    )
    contact_id, suppressed = _sender(from_number)
    try:
        event, reply = _store_and_handle(provider_ref, from_number, to_number, body, contact_id, suppressed)
    except IntegrityError:
        stored = (
            InboundMessage.objects.filter(provider_ref=provider_ref).values_list("reply", flat=True).first()
        )
        if stored is None:
            raise
        return stored or None  # a duplicate delivery: the same answer, and nothing done twice
    inbound_sms.send(sender=InboundMessage, event=event, reply=reply)
    return reply


def _sender(phone):
    """(contact id or None, whether the number is suppressed for texts) in one round trip: this runs
    for every inbound text, and building two ORM queries costs ten times this one's SQL."""
    contacts, suppressions = Contact._meta.db_table, Suppression._meta.db_table
    # Table names come from our models; every value is a parameter.
    contact_sql = f"SELECT id FROM {contacts} WHERE mobile = %s ORDER BY id LIMIT 1"  # noqa: S608
    # The number itself, or its hash once its owner's data was erased (a STOP outlives erasure).
    suppressed_sql = f"SELECT 1 FROM {suppressions} WHERE channel = %s AND address IN (%s, %s)"  # noqa: S608
    sql = f"SELECT ({contact_sql}), EXISTS ({suppressed_sql})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [phone, Channel.SMS.value, *suppression_keys(phone)])
        contact_id, suppressed = cursor.fetchone()
    return contact_id, bool(suppressed)


@transaction.atomic
def _store_and_handle(provider_ref, from_number, to_number, body, contact_id, suppressed):
    inbound = InboundMessage.objects.create(
        provider_ref=provider_ref,
        from_number=from_number,
        to_number=to_number,
        body=body[:1600],
        contact_id=contact_id,
    )
    screen_in_a_task("messaging.inbound", inbound.pk)  # every text received, queued as it is stored
    event = InboundSms(inbound.pk, provider_ref, from_number, to_number, body, contact_id, suppressed)
    reply, handled_by = _handle_inbound(event, contact_id)
    InboundMessage.objects.filter(pk=inbound.pk).update(
        reply=reply or "", handled_by=handled_by[: InboundMessage._meta.get_field("handled_by").max_length]
    )
    return event, reply


def _handle_inbound(event, contact_id):
    word = event.first_word
    sender = settings.MESSAGING_SENDER_NAME
    opt_word = word in STOP_WORDS or word in START_WORDS
    contact = Contact.objects.filter(pk=contact_id).first() if contact_id and opt_word else None
    if word in STOP_WORDS and len(event.words) <= 2:
        suppress(Channel.SMS, event.from_number, SuppressionReason.STOP)
        if contact is not None:
            set_consents(
                contact,
                [(Channel.SMS, purpose, False) for purpose in Purpose.values],
                source=ConsentSource.SMS_STOP,
                wording=f"Texted {word}",
                evidence=Evidence(ConfirmedBy.FROM_NUMBER, event.from_number),
            )
        return f"{sender}: you will not get any more texts from us. Text START to get them again.", "stop"
    if word in START_WORDS and len(event.words) == 1:
        Suppression.objects.filter(
            channel=Channel.SMS, address__in=suppression_keys(event.from_number)
        ).delete()
        if contact is not None:
            withdrawn_by_stop = contact.consents.filter(channel=Channel.SMS, source=ConsentSource.SMS_STOP)
            set_consents(
                contact,
                [
                    (Channel.SMS, purpose, True)
                    for purpose in withdrawn_by_stop.values_list("purpose", flat=True)
                ],
                source=ConsentSource.SMS_KEYWORD,
                wording=f"Texted {word}",
                evidence=Evidence(ConfirmedBy.FROM_NUMBER, event.from_number),
            )
        return f"{sender}: you will get texts from us again. Reply STOP to stop.", "start"
    # A text conversation (answering a consultation) or an invitation's "reply YES" claims a YES first:
    # a stranger's sign-up must never turn a parent's answer into a consent.
    reply, handled_by = registry.dispatch(event)
    if reply is not None:
        return reply, handled_by
    if word in CONFIRM_WORDS and len(event.words) <= 2:
        confirmation = pending_sms_confirmation(event.from_number, inbound_id=event.inbound_message_id)
        confirmed = (
            confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.SMS_REPLY) if confirmation else None
        )
        if confirmed is not None:
            return confirmed_by_text_reply(confirmed), "confirm"
    if word in HELP_WORDS:
        if not ratelimit.allow("sms_help", event.from_number):
            return None, "help (already answered this hour)"  # texting HELP again and again costs us texts
        return (
            f"{sender}: we send texts about consultations and parent forums. "
            f"Find out more at {settings.WAGTAILADMIN_BASE_URL}. Reply STOP to stop.",
            "help",
        )
    return None, ""


def latest_campaign_text(phone, kinds, since):
    """(link_personaliser, contact id) of the newest campaign text sent to this number since `since`
    for one of `kinds`, or None: what a reply such as YES is answering."""
    return (
        Message.objects.filter(
            channel=Channel.SMS,
            recipient=phone,
            campaign__kind__in=kinds,
            created_at__gte=since,
            contact__isnull=False,
        )
        .exclude(campaign__link_personaliser="")
        .order_by("-created_at", "-pk")
        .values_list("campaign__link_personaliser", "contact_id")
        .first()
    )


def forget_inbound_wording(inbound_ids):
    """Blank what was said in these texts and what we replied, keeping the rows (their provider ids
    still catch duplicate deliveries). Used where answers must not be traceable to a phone."""
    return InboundMessage.objects.filter(pk__in=inbound_ids).update(body="", reply="")
