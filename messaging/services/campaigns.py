"""Campaigns: audiences, fan-out to one message per person and channel, pacing and batches."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import connections, transaction
from django.db.models import BooleanField, Case, CharField, Count, Exists, Max, OuterRef, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import Truncator

from parentvoice.dates import govuk_datetime
from parentvoice.languages import language_name
from parentvoice.plain_rows import plain_rows

from .. import audiences
from ..campaign_wording import Wording, WordingChooser, english_wording, translation_problems
from ..choices import (
    CampaignKind,
    CampaignStatus,
    Channel,
    MessageStatus,
    Purpose,
)
from ..models import Campaign, CampaignTranslation, Contact, FollowRequest, Message, Suppression
from . import fan_out
from .consent import SUPPRESSION_HASH_PREFIX, latest_consent, suppression_hash
from .delivery import _enqueue_batches, finish_campaign_if_done
from .sending import email_body

# --- Campaigns ------------------------------------------------------------------------------


class CampaignError(Exception):
    pass


def draft_campaign(*, name, translations: list[dict] | None = None, **fields):
    """A draft campaign another app prepares for an officer to check and send (idempotent by name).
    `translations`: its wording in other languages, each a dict of CampaignTranslation's fields."""
    districts = fields.pop("audience_districts", None)
    campaign, created = Campaign.objects.get_or_create(name=name, defaults=fields)
    if created and districts:
        campaign.audience_districts.set(districts)
    if created and translations:
        CampaignTranslation.objects.bulk_create(
            [CampaignTranslation(campaign=campaign, **values) for values in translations]
        )
    return campaign


# Invitations and reminders go out in UK waking hours only (sending itself is paced from then).
SENDING_HOURS = (clock(9), clock(20))
KINDS_IN_SENDING_HOURS = frozenset({CampaignKind.CONSULTATION_INVITATION, CampaignKind.REMINDER})


def within_sending_hours(moment: datetime) -> datetime:
    """`moment` if it falls between 9am and 8pm UK time, otherwise the next 9am."""
    local = timezone.localtime(moment)
    opens, closes = SENDING_HOURS
    if local.time() < opens:
        day = local.date()
    elif local.time() >= closes:
        day = local.date() + timedelta(days=1)
    else:
        return moment
    return datetime.combine(day, opens, tzinfo=local.tzinfo)


def reminder_time(deadline: datetime, days_before: int) -> datetime:
    """When a reminder `days_before` a deadline goes out: that moment, or the next 9am if it falls
    outside sending hours."""
    # Days back on the UK clock: across a clock change, "3 days before 7:30pm" is still 7:30pm.
    return within_sending_hours(timezone.localtime(deadline) - timedelta(days=days_before))


def reminder_problem(link_personaliser: str, days_before: int | None, send_at: datetime | None = None):
    """Why a reminder `days_before` the link's deadline cannot be sent, or None."""
    if not days_before:
        return None
    deadline = audiences.link_deadline(link_personaliser)
    if deadline is None:
        return "Reminders are only for consultation invitations: leave the reminder empty."
    start = max(send_at or timezone.now(), timezone.now())
    if reminder_time(deadline, days_before) <= start:
        return (
            f"The consultation closes at {govuk_datetime(deadline)}, sooner than {days_before} "
            f"day{'s' if days_before != 1 else ''} after the invitation goes out. Choose fewer days, "
            "or leave it empty for no reminder."
        )
    return None


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
    else:
        if campaign.reminder_days_before:
            problem = reminder_problem(
                campaign.link_personaliser, campaign.reminder_days_before, campaign.send_at
            )
            if problem:
                problems.append(problem)
    if campaign.pk:
        for translation in campaign.translations.all():
            problems += translation_problems(campaign, translation)
    return problems


def audience(campaign, *, reachable_only: bool = True):
    """Contacts the campaign may reach, annotated with which of its channels each can get.

    `reachable_only=False` leaves out the last filter (a consent and an address on some channel) for a
    caller that checks each row itself, as the fan-out does: the database then works out each person's
    latest consent once, in the SELECT, rather than again in the WHERE."""
    contacts = Contact.objects.all()
    district_ids = list(campaign.audience_districts.values_list("pk", flat=True))
    if district_ids:
        contacts = contacts.filter(district_id__in=district_ids)
    if campaign.audience_roles:
        contacts = contacts.filter(parent_role__in=campaign.audience_roles)
    # Outcome messages also reach whoever asked to be told about this one thing on that channel.
    topics = audiences.follow_topics(campaign.audience_source) if campaign.purpose == Purpose.OUTCOMES else []
    if campaign.audience_source:
        # A filter on contacts, not a union of rows: someone both in the source and following is one row.
        in_source = Q(pk__in=audiences.resolve_audience(campaign.audience_source))
        if topics:
            in_source |= Q(pk__in=FollowRequest.objects.filter(topic__in=topics).values("contact_id"))
        contacts = contacts.filter(in_source)
    reachable = Q()
    for channel, on, address in (
        (Channel.SMS, campaign.send_sms, "mobile"),
        (Channel.EMAIL, campaign.send_email, "email"),
    ):
        if not on:
            continue
        consent = f"{channel}_consent"
        wants = latest_consent(channel, campaign.purpose)
        if topics:
            # One column per channel either way, so fan-out reads one value and stays one query.
            followed = FollowRequest.objects.filter(contact=OuterRef("pk"), channel=channel, topic__in=topics)
            wants = Case(
                When(Exists(followed), then=Value(True)), default=wants, output_field=BooleanField(null=True)
            )
        contacts = contacts.annotate(**{consent: wants})
        reachable |= Q(**{consent: True, f"{address}__isnull": False})
    return contacts.filter(reachable) if reachable_only else contacts


def audience_size(campaign):
    return audience(campaign).count()


def preview_values(
    campaign: Campaign,
    name: str = "Alex",
    *,
    wording: Wording | None = None,
    longest: tuple[int, list[str]] | None = None,
) -> dict:
    """The ((…)) values a preview shows: with a personal link as long as the longest one the audience
    will get (the same number of characters, so the same segment count), which opens nothing.

    `wording`: one language's version (default the English); `longest`: (the highest contact id
    getting it, the languages those people read as stored), from `language_versions`. Without it
    the whole audience's highest id, in English."""
    wording = wording or english_wording(campaign)
    link = campaign.link_url
    if campaign.link_personaliser:
        try:
            if longest is None:
                top = audience(campaign).order_by("-pk").values_list("pk", flat=True).first()
                longest = (top or 1, [wording.language or ""])
            contact_id, languages = longest
            # A personal link may open the page in the person's language: show the longest of them.
            link = max(
                (
                    audiences.sample_link(campaign.link_personaliser, contact_id, lang)
                    for lang in languages or [""]
                ),
                key=len,
            )
        except LookupError:
            link = ""
    return {"name": name, "title": wording.title, "link": link or "https://…"}


@dataclass
class LanguageVersion:
    """One language's version of a campaign, as "Check and send" shows it."""

    wording: Wording
    people: int  # in the audience now, reading this language (or, for English, no other we have)
    longest: tuple[int, list[str]] | None  # see preview_values

    @property
    def language(self) -> str:
        return self.wording.language or settings.LANGUAGE_CODE

    @property
    def name(self) -> str:
        return language_name(self.language)


def language_versions(campaign: Campaign) -> list[LanguageVersion]:
    """The campaign's English and each translation, with how many people in the audience get each:
    two queries (its translations, and the audience counted by stored language) however many
    languages or people."""
    chooser = WordingChooser(campaign, list(campaign.translations.all()))
    groups = (
        audience(campaign)
        .order_by()
        .values("language")
        .annotate(people=Count("pk"), top=Max("pk"))
        .values_list("language", "people", "top")
    )
    people: dict[str | None, int] = {}
    longest: dict[str | None, tuple[int, list[str]]] = {}
    for stored, count, top in groups:
        code = chooser.language_for(stored)
        people[code] = people.get(code, 0) + count
        best, languages = longest.get(code, (0, []))
        longest[code] = (max(best, top), [*languages, stored or ""])
    return [
        LanguageVersion(wording, people.get(wording.language, 0), longest.get(wording.language))
        for wording in chooser.versions()
    ]


@transaction.atomic
def schedule_reminder(
    invitation: Campaign,
    *,
    send_at: datetime,
    audience_source: str,
    sms_template: str,
    email_subject: str,
    email_template: str,
    translations: list[dict] | None = None,
) -> Campaign:
    """The one reminder for a started invitation: started at once, sent at `send_at` (moved into
    sending hours) to whoever `audience_source` gives then. Idempotent: an invitation has at most one.
    `translations`: its wording in other languages, each a dict of CampaignTranslation's fields."""
    existing = Campaign.objects.filter(reminder_for=invitation).first()
    if existing is not None:
        return existing
    reminder = Campaign.objects.create(
        name=f"{invitation.name[:108]}: reminder",
        kind=CampaignKind.REMINDER,
        purpose=invitation.purpose,
        send_sms=invitation.send_sms,
        send_email=invitation.send_email,
        one_channel_per_contact=invitation.one_channel_per_contact,
        sms_template=sms_template,
        email_subject=email_subject,
        email_template=email_template,
        title=invitation.title,
        link_url=invitation.link_url,
        link_personaliser=invitation.link_personaliser,
        audience_source=audience_source,
        send_at=within_sending_hours(send_at),
        sms_per_second=invitation.sms_per_second,
        email_per_second=invitation.email_per_second,
        created_by=invitation.created_by,
        reminder_for=invitation,
    )
    CampaignTranslation.objects.bulk_create(
        [CampaignTranslation(campaign=reminder, **fields) for fields in translations or []]
    )
    return start_campaign(reminder)


@transaction.atomic
def start_campaign(campaign, user=None):
    """Confirm a draft campaign: its messages are prepared by a task at `send_at` or now."""
    from ..tasks import prepare_campaign

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignError("This campaign has already been sent or cancelled.")
    problems = campaign_problems(campaign)
    if problems:
        raise CampaignError(" ".join(problems))
    campaign.status = CampaignStatus.PREPARING
    campaign.started_at = timezone.now()
    if campaign.kind in KINDS_IN_SENDING_HOURS:
        campaign.send_at = within_sending_hours(
            max(campaign.send_at or campaign.started_at, campaign.started_at)
        )
    campaign.save(update_fields=["status", "started_at", "send_at"])
    audiences.run_follow_ups(campaign)
    task = prepare_campaign
    if campaign.send_at and campaign.send_at > timezone.now():
        task = task.using(run_after=campaign.send_at)
    transaction.on_commit(lambda: task.enqueue(campaign.pk))
    return campaign


@dataclass
class FanOut:
    created: int
    batches: int


def create_campaign_messages(campaign) -> int:
    """Fan out: one Message per contact and channel, inserted a chunk at a time (fan_out.MessageWriter).
    Returns how many it created. Safe to run twice, or again after a crash part way: the idempotency
    key (campaign, contact, channel) means nobody gets a second copy, and a second run creates none.
    Each person gets the wording in their language where the campaign has it, the English otherwise
    (campaign_wording); a text with nothing personal in it is rendered once per language."""
    assert settings.MESSAGING_SENDER_NAME
    personalise = (
        audiences.link_personaliser(campaign.link_personaliser) if campaign.link_personaliser else None
    )
    wordings = fan_out.Wordings(campaign, personalised=personalise is not None)
    # The mobile as the stored string: PhoneNumber objects re-validate on every str() and bool().
    columns = ["pk", "name", "email", "mobile_text", "preferred_channel", "language"]
    columns += ["sms_consent"] if campaign.send_sms else []
    columns += ["email_consent"] if campaign.send_email else []
    contacts = audience(campaign, reachable_only=False)  # _channels_for checks consent and address per row
    writer = fan_out.MessageWriter(campaign, connections[contacts.db])
    # Where the database can put everyone's text together itself, it does; Python makes the rest.
    covered = fan_out.insert_in_sql(campaign, contacts, wordings, writer)
    if covered is not None:
        contacts = contacts.exclude(covered)
    query = contacts.annotate(mobile_text=Cast("mobile", CharField())).values_list(*columns).order_by("pk")
    key_prefix = f"campaign:{campaign.pk}:"
    sms_on, email_on = campaign.send_sms, campaign.send_email
    # Plain tuples (the fan-out reads hundreds of thousands); consent is read for its truth only.
    for pk, name, email, mobile, preferred, language, *consents in plain_rows(
        query, chunk_size=fan_out.FAN_OUT_CHUNK
    ):
        sms_consent = consents[0] if sms_on else None
        email_consent = consents[-1] if email_on else None
        channels = _channels_for(campaign, mobile, email, preferred, sms_consent, email_consent)
        if not channels:
            continue
        wording, sms, sms_before, sms_after, subject, fixed_subject, email_text = wordings.for_contact(
            language
        )
        name = name or ""
        link = personalise(pk, language) if personalise else campaign.link_url
        for channel in channels:
            if channel == Channel.SMS:
                text = sms.text(name, link).strip()
                row = (pk, channel, mobile, "", f"{sms_before}{text}{sms_after}")
            else:
                # A subject and title of 150 characters each fill in to more than a message's subject
                # holds: cut, with an ellipsis, rather than failing the whole fan-out (PostgreSQL).
                cut = fixed_subject or Truncator(subject.text(name, link)).chars(fan_out.SUBJECT_LENGTH)
                row = (pk, channel, email, cut, email_body(email_text.text(name, link), pk, wording.language))
            writer.add((*row, f"{key_prefix}{pk}:{channel}"))
    writer.flush()
    # Suppressed addresses get a row (so officers see why) but are never sent.
    for channel in campaign.channels:
        Message.objects.filter(
            campaign=campaign,
            channel=channel,
            status=MessageStatus.CREATED,
            recipient__in=Suppression.objects.filter(channel=channel).values("address"),
        ).update(status=MessageStatus.SUPPRESSED, status_changed_at=timezone.now())
        _suppress_hashed(campaign, channel)
    return writer.created


def _suppress_hashed(campaign, channel) -> None:
    """Addresses suppressed as a hash (their owner's data was erased) cannot be matched in SQL: hash
    each waiting recipient, only when there are such suppressions. Sending checks again anyway."""
    hashed = Suppression.objects.filter(channel=channel, address__startswith=SUPPRESSION_HASH_PREFIX)
    hashes = set(hashed.values_list("address", flat=True))
    if not hashes:
        return
    waiting = Message.objects.filter(campaign=campaign, channel=channel, status=MessageStatus.CREATED)
    # Read in chunks (memory stays flat), marked in chunks.
    ids = []
    for pk, recipient in waiting.values_list("pk", "recipient").iterator(chunk_size=fan_out.FAN_OUT_CHUNK):
        if suppression_hash(recipient) in hashes:
            ids.append(pk)
    for start in range(0, len(ids), fan_out.FAN_OUT_CHUNK):
        Message.objects.filter(pk__in=ids[start : start + fan_out.FAN_OUT_CHUNK]).update(
            status=MessageStatus.SUPPRESSED, status_changed_at=timezone.now()
        )


def _channels_for(campaign, mobile, email, preferred_channel, sms_consent, email_consent) -> list[str]:
    """The campaign's channels this person can get: consent and an address on each; one only (their
    preferred, or SMS) when the campaign sends each person one message."""
    can = []
    if campaign.send_sms and sms_consent and mobile:
        can.append(Channel.SMS)
    if campaign.send_email and email_consent and email:
        can.append(Channel.EMAIL)
    if campaign.one_channel_per_contact and len(can) > 1:
        return [preferred_channel] if preferred_channel in can else can[:1]
    return can


def prepare_campaign(campaign_id):
    """Create the messages, book sending windows at the campaign's pace and enqueue the batches."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != CampaignStatus.PREPARING:
        return FanOut(0, 0)
    if campaign.reminder_for_id and not _reminder_still_due(campaign):
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


@transaction.atomic
def _reminder_still_due(reminder: Campaign) -> bool:
    """Whether a reminder whose time has come should go now. It was scheduled, with the closing time
    in its wording, when its invitation started: if the consultation has closed since, nobody is
    reminded; if its closing time changed, a fresh reminder is scheduled from the new one. (Its time
    was put in sending hours when it was scheduled; a worker that runs it late is not second-guessed.)"""
    reminder = Campaign.objects.select_for_update().get(pk=reminder.pk)
    return reminder.status == CampaignStatus.PREPARING and not _replaced_if_out_of_date(reminder)


@transaction.atomic
def reschedule_reminders(link_personaliser: str) -> int:
    """Call when what a campaign's personal links lead to has a new deadline (a consultation's closing
    time was changed): its reminders still to come are moved, or cancelled if it has closed, now
    rather than when their old time comes. Returns how many were replaced."""
    waiting = Campaign.objects.select_for_update().filter(
        link_personaliser=link_personaliser,
        kind=CampaignKind.REMINDER,
        status=CampaignStatus.PREPARING,
        reminder_for__isnull=False,
    )
    return sum(1 for reminder in waiting if _replaced_if_out_of_date(reminder))


def _replaced_if_out_of_date(reminder: Campaign) -> bool:
    """Cancel a waiting reminder whose consultation has closed, and replace one whose closing time (or
    number of days) changed since it was scheduled; True if either happened."""
    invitation = reminder.reminder_for
    deadline = audiences.link_deadline(reminder.link_personaliser)
    if deadline is None or deadline <= timezone.now() or not invitation.reminder_days_before:
        _cancel_reminder(reminder)
        return True
    # As start_campaign set it: the reminder's time, or when it was started if that was later.
    due = reminder_time(deadline, invitation.reminder_days_before)
    if reminder.started_at and reminder.started_at > due:
        due = reminder.started_at
    if within_sending_hours(due) == reminder.send_at:
        return False
    # Its time and wording (which names the closing time) are out of date.
    _cancel_reminder(reminder, detach=True)
    if invitation.status not in (CampaignStatus.CANCELLED, CampaignStatus.DRAFT):
        audiences.run_follow_ups(invitation)
    return True


def _cancel_reminder(reminder: Campaign, *, detach: bool = False) -> None:
    reminder.status = CampaignStatus.CANCELLED
    reminder.finished_at = timezone.now()
    fields = ["status", "finished_at"]
    if detach:
        # Frees the invitation's one reminder for the one scheduled from the new closing time.
        reminder.reminder_for = None
        fields.append("reminder_for")
    reminder.save(update_fields=fields)


@transaction.atomic
def cancel_campaign(campaign):
    """Stop a campaign: messages not yet sent become technical failures ('cancelled')."""
    # Its reminder goes too: nobody is reminded of an invitation that was stopped.
    campaigns = Campaign.objects.filter(Q(pk=campaign.pk) | Q(reminder_for=campaign))
    campaigns.filter(
        status__in=[CampaignStatus.DRAFT, CampaignStatus.PREPARING, CampaignStatus.SENDING]
    ).update(status=CampaignStatus.CANCELLED, finished_at=timezone.now())
    Message.objects.filter(campaign__in=campaigns, status=MessageStatus.CREATED).update(
        status=MessageStatus.TECHNICAL_FAILURE,
        error_message="Cancelled by an officer",
        status_changed_at=timezone.now(),
    )


def campaign_counts(campaign):
    counts = dict(
        Message.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {status: counts.get(status, 0) for status in MessageStatus.values}
