"""Every messaging operation. Views, tasks, webhooks and commands call these and nothing else.

Message status moves forward only (see `apply_status` and docs/messaging.md):

    created -> sending -> sent -> delivered
                       \\-> temporary_failure | permanent_failure | technical_failure
    created -> suppressed
    sending -> created   only to retry after a temporary provider error (`_schedule_retry`)

Final statuses are never overwritten: provider callbacks arrive late, twice and out of order.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from parentvoice.tokens import read_id, sign_id

from . import audiences
from .choices import (
    FINAL_STATUSES,
    CampaignStatus,
    Channel,
    ConsentSource,
    MessageStatus,
    Purpose,
    SuppressionReason,
)
from .models import Campaign, Consent, Contact, InboundMessage, Message, SendWindow, Suppression
from .providers import ProviderError, get_email_provider, get_sms_provider
from .signals import InboundSms, inbound_sms, registry

logger = logging.getLogger(__name__)

STATUS_RANK = {MessageStatus.CREATED: 0, MessageStatus.SENDING: 1, MessageStatus.SENT: 2}
STATUS_RANK.update(dict.fromkeys(FINAL_STATUSES, 3))
MAX_SEND_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30
BATCH_SIZE = 100
PREFERENCES_SALT = "messaging.preferences"
DEFAULT_PACE = {
    Channel.SMS: Campaign._meta.get_field("sms_per_second").default,
    Channel.EMAIL: Campaign._meta.get_field("email_per_second").default,
}

# Twilio's default opt-out and opt-in words on long codes.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}


# --- Addresses ------------------------------------------------------------------------------


def normalise_email(email):
    return email.strip().lower() if email else None


# --- Consent and suppression ---------------------------------------------------------------


def record_consent(contact, *, channel, purpose, granted, source, wording, user=None):
    return Consent.objects.create(
        contact=contact,
        channel=channel,
        purpose=purpose,
        granted=granted,
        source=source,
        wording=wording,
        recorded_by=user,
    )


def current_consents(contact):
    """{(channel, purpose): granted} from the latest ledger row of each pair."""
    state = {}
    for channel, purpose, granted in contact.consents.order_by("recorded_at", "id").values_list(
        "channel", "purpose", "granted"
    ):
        state[(channel, purpose)] = granted
    return state


def latest_consent(channel, purpose):
    """A subquery for the latest consent decision of the outer Contact (True, False or None)."""
    return Subquery(
        Consent.objects.filter(contact=OuterRef("pk"), channel=channel, purpose=purpose)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )


def suppress(channel, address, reason):
    Suppression.objects.get_or_create(channel=channel, address=address, defaults={"reason": reason})


def is_suppressed(channel, address):
    return Suppression.objects.filter(channel=channel, address=address).exists()


@transaction.atomic
def sign_up(*, name, email, mobile, district, purposes, channels, wording, preferred_channel="", role=""):
    """The public 'Keep me informed' form: find or create the contact and record each consent."""
    email = normalise_email(email)
    contact = None
    if email:
        contact = Contact.objects.filter(email=email).first()
    if contact is None and mobile:
        contact = Contact.objects.filter(mobile=mobile).first()
    if contact is None:
        contact = Contact(email=email or None, mobile=mobile or None)
    else:
        contact.email = contact.email or email or None
        contact.mobile = contact.mobile or mobile or None
    contact.name = name or contact.name
    contact.district = district or contact.district
    contact.preferred_channel = preferred_channel or contact.preferred_channel
    contact.parent_role = role or contact.parent_role
    contact.save()
    for channel in channels:
        address = contact.address_for(channel)
        if address is None:
            continue
        # Asking again is a clear new instruction: lift an earlier unsubscribe or STOP.
        Suppression.objects.filter(channel=channel, address=address).exclude(
            reason__in=[SuppressionReason.HARD_BOUNCE, SuppressionReason.COMPLAINT]
        ).delete()
        for purpose in purposes:
            record_consent(
                contact,
                channel=channel,
                purpose=purpose,
                granted=True,
                source=ConsentSource.WEB_FORM,
                wording=wording,
            )
    return contact


@transaction.atomic
def update_preferences(contact, wanted, *, wording):
    """Set exactly the (channel, purpose) pairs in `wanted`; record only what changed."""
    state = current_consents(contact)
    for channel in Channel.values:
        if contact.address_for(channel) is None:
            continue
        for purpose in Purpose.values:
            want = (channel, purpose) in wanted
            if state.get((channel, purpose), False) != want:
                record_consent(
                    contact,
                    channel=channel,
                    purpose=purpose,
                    granted=want,
                    source=ConsentSource.PREFERENCES,
                    wording=wording,
                )


@transaction.atomic
def unsubscribe(contact, *, source=ConsentSource.UNSUBSCRIBE, wording="Unsubscribed from everything"):
    """Withdraw every consent on every channel and suppress the contact's addresses."""
    state = current_consents(contact)
    for channel in Channel.values:
        address = contact.address_for(channel)
        if address is None:
            continue
        for purpose in Purpose.values:
            if state.get((channel, purpose)):
                record_consent(
                    contact, channel=channel, purpose=purpose, granted=False, source=source, wording=wording
                )
        suppress(channel, address, SuppressionReason.UNSUBSCRIBED)


def preferences_token(contact_id):
    """`<contact id>:<signature>`. The same for every message, and it never expires: the links in old
    messages must keep working."""
    return sign_id(PREFERENCES_SALT, contact_id)


def contact_for_token(token):
    """The contact a preferences/unsubscribe link was made for, or None if tampered with."""
    contact_id = read_id(PREFERENCES_SALT, token)
    return Contact.objects.filter(pk=contact_id).first() if contact_id else None


def preferences_url(contact_id):
    return settings.WAGTAILADMIN_BASE_URL + reverse(
        "messaging:preferences", args=[preferences_token(contact_id)]
    )


def unsubscribe_url(contact_id):
    return settings.WAGTAILADMIN_BASE_URL + reverse(
        "messaging:unsubscribe", args=[preferences_token(contact_id)]
    )


# --- Rendering ------------------------------------------------------------------------------


def render(template, values):
    text = template
    for key, value in values.items():
        text = text.replace(f"(({key}))", value or "")
    return text


def sms_body(text):
    return f"{settings.MESSAGING_SENDER_NAME}: {text.strip()} Reply STOP to stop."


def email_body(text, contact_id):
    return (
        f"{text.strip()}\n\n---\nSent by {settings.MESSAGING_SENDER_NAME}.\n"
        f"Choose what we send you: {preferences_url(contact_id)}\n"
        f"Unsubscribe from everything: {unsubscribe_url(contact_id)}\n"
    )


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
    return bool(Message.objects.filter(pk=message_id, status__in=statuses_before(status)).update(**changes))


def _claim(message_id):
    """Take a created message for sending. Only one worker can win; a message that is already
    `sending` is never sent again, so a worker killed mid-send cannot cause a double send."""
    return bool(
        Message.objects.filter(pk=message_id, status=MessageStatus.CREATED).update(
            status=MessageStatus.SENDING, attempts=F("attempts") + 1, status_changed_at=timezone.now()
        )
    )


def _schedule_retry(message, error):
    from .tasks import retry_message

    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.CREATED,
        error_code=error.code[:20],
        error_message=str(error)[:255],
        status_changed_at=timezone.now(),
    )
    delay = RETRY_BASE_SECONDS * 2 ** (message.attempts - 1)
    retry_message.using(
        queue_name=message.channel, run_after=timezone.now() + timedelta(seconds=delay)
    ).enqueue(message.pk)
    return delay


# --- Sending --------------------------------------------------------------------------------


def send_message(message_id):
    """Send one created message now. Returns the message's status afterwards."""
    if not _claim(message_id):
        return Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
    message = Message.objects.get(pk=message_id)
    if is_suppressed(message.channel, message.recipient):
        apply_status(message.pk, MessageStatus.SUPPRESSED)
        return MessageStatus.SUPPRESSED
    try:
        if message.channel == Channel.SMS:
            provider = get_sms_provider()
            result = provider.send(message)
        else:
            provider = get_email_provider()
            result = provider.send(message, headers=_email_headers(message))
    except ProviderError as error:
        if error.suppress:
            suppress(message.channel, message.recipient, SuppressionReason.PROVIDER_OPT_OUT)
        if error.temporary and message.attempts < MAX_SEND_ATTEMPTS:
            delay = _schedule_retry(message, error)
            logger.info("message %s: temporary error %s, retry in %ss", message.pk, error.code, delay)
            return MessageStatus.CREATED
        apply_status(message.pk, error.status, error_code=error.code, error_message=str(error))
        logger.info("message %s: failed (%s)", message.pk, error.code)
        return error.status
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


def _email_headers(message):
    if message.contact_id is None:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(message.contact_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_batch(message_ids, per_second, window_start=None):
    """Send messages no faster than `per_second`, starting no earlier than `window_start`."""
    delay = max(0.0, (window_start - timezone.now()).total_seconds()) if window_start else 0.0
    start = time.monotonic() + delay
    interval = 1.0 / per_second
    for position, message_id in enumerate(message_ids):
        wait = start + position * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        send_message(message_id)
    campaign_ids = (
        Message.objects.filter(pk__in=message_ids, campaign__isnull=False)
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    for campaign_id in campaign_ids:
        finish_campaign_if_done(campaign_id)


def reserve_window(channel, count, per_second):
    """Book `count` sending slots on a channel, shared by every worker and campaign; returns when
    the first slot starts."""
    with transaction.atomic():
        window, _ = SendWindow.objects.select_for_update().get_or_create(channel=channel)
        start = max(window.next_slot_at, timezone.now())
        window.next_slot_at = start + timedelta(seconds=count / per_second)
        window.save(update_fields=["next_slot_at"])
    return start


# --- Campaigns ------------------------------------------------------------------------------


class CampaignError(Exception):
    pass


def draft_campaign(*, name, **fields):
    """A draft campaign another app prepares for an officer to check and send (idempotent by name)."""
    districts = fields.pop("audience_districts", None)
    campaign, created = Campaign.objects.get_or_create(name=name, defaults=fields)
    if created and districts:
        campaign.audience_districts.set(districts)
    return campaign


def campaign_problems(campaign):
    problems = []
    if not campaign.channels:
        problems.append("Choose at least one way to send: text message or email.")
    if campaign.send_sms and not campaign.sms_template.strip():
        problems.append("Write the text message.")
    if campaign.send_email and not (campaign.email_subject.strip() and campaign.email_template.strip()):
        problems.append("Write the email subject and message.")
    try:
        if campaign.audience_source:
            audiences.resolve_audience(campaign.audience_source)
        if campaign.link_personaliser:
            audiences.link_personaliser(campaign.link_personaliser)
    except LookupError as error:
        problems.append(str(error))
    return problems


def audience(campaign):
    """Contacts the campaign may reach, annotated with which of its channels each can get."""
    contacts = Contact.objects.all()
    district_ids = list(campaign.audience_districts.values_list("pk", flat=True))
    if district_ids:
        contacts = contacts.filter(district_id__in=district_ids)
    if campaign.audience_roles:
        contacts = contacts.filter(parent_role__in=campaign.audience_roles)
    if campaign.audience_source:
        contacts = contacts.filter(pk__in=audiences.resolve_audience(campaign.audience_source))
    reachable = Q()
    if campaign.send_sms:
        contacts = contacts.annotate(sms_consent=latest_consent(Channel.SMS, campaign.purpose))
        reachable |= Q(sms_consent=True, mobile__isnull=False)
    if campaign.send_email:
        contacts = contacts.annotate(email_consent=latest_consent(Channel.EMAIL, campaign.purpose))
        reachable |= Q(email_consent=True, email__isnull=False)
    return contacts.filter(reachable)


def audience_size(campaign):
    return audience(campaign).count()


@transaction.atomic
def start_campaign(campaign, user=None):
    """Confirm a draft campaign: its messages are prepared by a task at `send_at` or now."""
    from .tasks import prepare_campaign

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignError("This campaign has already been sent or cancelled.")
    problems = campaign_problems(campaign)
    if problems:
        raise CampaignError(" ".join(problems))
    campaign.status = CampaignStatus.PREPARING
    campaign.started_at = timezone.now()
    campaign.save(update_fields=["status", "started_at"])
    task = prepare_campaign
    if campaign.send_at and campaign.send_at > timezone.now():
        task = task.using(run_after=campaign.send_at)
    transaction.on_commit(lambda: task.enqueue(campaign.pk))
    return campaign


@dataclass
class FanOut:
    created: int
    batches: int


def create_campaign_messages(campaign):
    """Fan out: one Message per contact and channel, inserted in bulk. Safe to run twice: the
    idempotency key (campaign, contact, channel) means nobody gets a second copy."""
    sms_sender = settings.MESSAGING_SENDER_NAME
    personalise = (
        audiences.link_personaliser(campaign.link_personaliser) if campaign.link_personaliser else None
    )
    fields = ["pk", "name", "email", "mobile", "preferred_channel"]
    fields += ["sms_consent"] if campaign.send_sms else []
    fields += ["email_consent"] if campaign.send_email else []
    # The mobile as the stored string: PhoneNumber objects re-validate on every str() and bool().
    rows = (
        audience(campaign)
        .annotate(mobile_text=Cast("mobile", CharField()))
        .values_list(*["mobile_text" if f == "mobile" else f for f in fields])
        .order_by("pk")
    )
    assert sms_sender
    pending = []
    created = 0
    for row in rows.iterator(chunk_size=5000):
        record = dict(zip(fields, row, strict=True))
        for channel in _channels_for(campaign, record):
            link = personalise(record["pk"]) if personalise else campaign.link_url
            values = {"name": record["name"] or "", "title": campaign.title, "link": link}
            if channel == Channel.SMS:
                body, recipient, subject = (
                    sms_body(render(campaign.sms_template, values)),
                    str(record["mobile"]),
                    "",
                )
            else:
                body = email_body(render(campaign.email_template, values), record["pk"])
                recipient, subject = record["email"], render(campaign.email_subject, values)
            pending.append(
                Message(
                    campaign_id=campaign.pk,
                    contact_id=record["pk"],
                    channel=channel,
                    recipient=recipient,
                    subject=subject,
                    body=body,
                    purpose=campaign.purpose,
                    idempotency_key=f"campaign:{campaign.pk}:{record['pk']}:{channel}",
                )
            )
        if len(pending) >= 5000:
            created += len(Message.objects.bulk_create(pending, ignore_conflicts=True))
            pending = []
    if pending:
        created += len(Message.objects.bulk_create(pending, ignore_conflicts=True))
    # Suppressed addresses get a row (so officers see why) but are never sent.
    for channel in campaign.channels:
        Message.objects.filter(
            campaign=campaign,
            channel=channel,
            status=MessageStatus.CREATED,
            recipient__in=Suppression.objects.filter(channel=channel).values("address"),
        ).update(status=MessageStatus.SUPPRESSED, status_changed_at=timezone.now())
    return created


def _channels_for(campaign, record):
    can = []
    if campaign.send_sms and record.get("sms_consent") and record["mobile"]:
        can.append(Channel.SMS)
    if campaign.send_email and record.get("email_consent") and record["email"]:
        can.append(Channel.EMAIL)
    if campaign.one_channel_per_contact and len(can) > 1:
        preferred = record["preferred_channel"]
        return [preferred] if preferred in can else can[:1]
    return can


def prepare_campaign(campaign_id):
    """Create the messages, book sending windows at the campaign's pace and enqueue the batches."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != CampaignStatus.PREPARING:
        return FanOut(0, 0)
    created = create_campaign_messages(campaign)
    batches = 0
    for channel, per_second in (
        (Channel.SMS, campaign.sms_per_second),
        (Channel.EMAIL, campaign.email_per_second),
    ):
        ids = list(
            Message.objects.filter(campaign=campaign, channel=channel, status=MessageStatus.CREATED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        batches += _enqueue_batches(channel, ids, per_second)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENDING, recipient_count=Message.objects.filter(campaign=campaign).count()
    )
    finish_campaign_if_done(campaign.pk)
    return FanOut(created, batches)


def resume_stalled_messages(older_than=timedelta(minutes=15)):
    """After a worker was killed mid-batch, the batch's unsent messages wait in `created` with no task
    to send them. Queue them again at each campaign's pace; the claim means nothing is sent twice.
    Messages left in `sending` are not touched: whether they went is unknown, and a missing text is
    better than a double one."""
    cutoff = timezone.now() - older_than
    stalled = Message.objects.filter(status=MessageStatus.CREATED, status_changed_at__lt=cutoff).exclude(
        campaign__status=CampaignStatus.CANCELLED
    )
    queued = 0
    for channel in Channel.values:
        ids = list(stalled.filter(channel=channel).order_by("pk").values_list("pk", flat=True))
        # Touch them first, so running this again before they are sent queues nothing twice.
        Message.objects.filter(pk__in=ids).update(status_changed_at=timezone.now())
        _enqueue_batches(channel, ids, DEFAULT_PACE[channel])
        queued += len(ids)
    return queued


def _enqueue_batches(channel, ids, per_second):
    """Split messages into batches, book each a sending window and queue it to start then."""
    from .tasks import send_messages

    for offset in range(0, len(ids), BATCH_SIZE):
        chunk = ids[offset : offset + BATCH_SIZE]
        window_start = reserve_window(channel, len(chunk), per_second)
        task = send_messages.using(queue_name=channel)
        if window_start > timezone.now() + timedelta(seconds=1):
            task = task.using(queue_name=channel, run_after=window_start)
        task.enqueue(chunk, float(per_second), window_start.isoformat())
    return -(-len(ids) // BATCH_SIZE)


def finish_campaign_if_done(campaign_id):
    waiting = Message.objects.filter(
        campaign_id=campaign_id, status__in=[MessageStatus.CREATED, MessageStatus.SENDING]
    ).exists()
    if not waiting:
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, finished_at=timezone.now()
        )


@transaction.atomic
def cancel_campaign(campaign):
    """Stop a campaign: messages not yet sent become technical failures ('cancelled')."""
    Campaign.objects.filter(
        pk=campaign.pk, status__in=[CampaignStatus.DRAFT, CampaignStatus.PREPARING, CampaignStatus.SENDING]
    ).update(status=CampaignStatus.CANCELLED, finished_at=timezone.now())
    Message.objects.filter(campaign=campaign, status=MessageStatus.CREATED).update(
        status=MessageStatus.TECHNICAL_FAILURE,
        error_message="Cancelled by an officer",
        status_changed_at=timezone.now(),
    )


def campaign_counts(campaign):
    counts = dict(
        Message.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {status: counts.get(status, 0) for status in MessageStatus.values}


# --- Provider callbacks ---------------------------------------------------------------------


def record_sms_status(*, message_id, provider_ref, twilio_status, error_code=""):
    from .providers.twilio import status_from_callback

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


# --- Inbound text messages -------------------------------------------------------------------


def receive_sms(*, provider_ref, from_number, to_number, body):
    """Store an inbound text once, handle opt-out words here, pass everything else to the
    registered handlers, and return the reply to send (or None).

    What only needs reading (the contact, suppression) is read before the transaction, so the write
    lock is held only for the writes and the handler's own work. A repeat delivery of the same
    MessageSid fails to insert (unique provider_ref) and gets the reply stored the first time."""
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
    suppressed_sql = f"SELECT 1 FROM {suppressions} WHERE channel = %s AND address = %s"  # noqa: S608
    sql = f"SELECT ({contact_sql}), EXISTS ({suppressed_sql})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [phone, Channel.SMS.value, phone])
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
            state = current_consents(contact)
            for purpose in Purpose.values:
                if state.get((Channel.SMS, purpose)):
                    record_consent(
                        contact,
                        channel=Channel.SMS,
                        purpose=purpose,
                        granted=False,
                        source=ConsentSource.SMS_STOP,
                        wording=f"Texted {word}",
                    )
        return f"{sender}: you will not get any more texts from us. Text START to get them again.", "stop"
    if word in START_WORDS and len(event.words) == 1:
        Suppression.objects.filter(channel=Channel.SMS, address=event.from_number).delete()
        if contact is not None:
            withdrawn_by_stop = contact.consents.filter(channel=Channel.SMS, source=ConsentSource.SMS_STOP)
            for purpose in set(withdrawn_by_stop.values_list("purpose", flat=True)):
                record_consent(
                    contact,
                    channel=Channel.SMS,
                    purpose=purpose,
                    granted=True,
                    source=ConsentSource.SMS_KEYWORD,
                    wording=f"Texted {word}",
                )
        return f"{sender}: you will get texts from us again. Reply STOP to stop.", "start"
    reply, handled_by = registry.dispatch(event)
    if reply is not None:
        return reply, handled_by
    if word in HELP_WORDS:
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


def send_service_message(*, channel, recipient, body, key, subject="", contact_id=None):
    """A message the person asked for, such as a booking confirmation: it needs no marketing consent,
    but a suppressed address is still never sent to. Idempotent by `key`; sent by a task once the
    caller's transaction commits."""
    from .tasks import send_one

    if channel == Channel.SMS:
        text = sms_body(body)
    else:
        text = f"{body.strip()}\n\n---\nSent by {settings.MESSAGING_SENDER_NAME}.\n"
    message, created = Message.objects.get_or_create(
        idempotency_key=key[:120],
        defaults={
            "channel": channel,
            "recipient": recipient,
            "subject": subject[:200],
            "body": text,
            "contact_id": contact_id,
        },
    )
    if created:
        transaction.on_commit(lambda: send_one.using(queue_name=channel).enqueue(message.pk))
    return message
