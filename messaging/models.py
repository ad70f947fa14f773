import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from parentvoice.dates import govuk_datetime

from .choices import (
    CampaignKind,
    CampaignStatus,
    Channel,
    ConfirmedBy,
    ConsentSource,
    FollowRoute,
    ImportStatus,
    MessageStatus,
    ParentRole,
    Purpose,
    SuppressionReason,
)


class Contact(models.Model):
    """A parent or carer we can reach by email and/or mobile. Personal data: shown only to officers."""

    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True, null=True, unique=True)
    mobile = PhoneNumberField(region="GB", blank=True, null=True, unique=True)
    district = models.ForeignKey("parentvoice.District", null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=10, default="en")
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    parent_role = models.CharField(max_length=20, choices=ParentRole.choices, blank=True)
    child_age_bands = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(mobile__isnull=False), name="contact_has_email_or_mobile"
            )
        ]

    def __str__(self):
        return self.name or f"Contact {self.pk}"

    def address_for(self, channel):
        if channel == Channel.SMS:
            return self.mobile.as_e164 if self.mobile else None
        return self.email or None


class Consent(models.Model):
    """Append-only ledger: the latest row for (contact, channel, purpose) is the contact's choice."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    granted = models.BooleanField()
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    wording = models.TextField(help_text="Exactly what the person was shown or told.")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The evidence that the address's owner gave this instruction (blank on rows from before it was kept).
    confirmed_by = models.CharField(max_length=20, choices=ConfirmedBy.choices, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_address = models.CharField(
        max_length=254, blank=True, help_text="The email address or mobile number the instruction came from."
    )
    confirmation = models.ForeignKey(
        "AddressConfirmation", null=True, blank=True, on_delete=models.SET_NULL, related_name="consents"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["contact", "channel", "purpose", "-recorded_at", "-id"])]

    def __str__(self):
        return f"{'Granted' if self.granted else 'Withdrawn'}: {self.get_purpose_display()} by {self.get_channel_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Consent records cannot be changed; record a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Consent records cannot be deleted.")


class AddressConfirmation(models.Model):
    """A request from a public form to use an email address or mobile number. Nothing about any contact
    changes (no address attached, no consent recorded, no suppression lifted) until the address's owner
    confirms from that address: a link we email or text, or a YES texted back."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, help_text="A mobile number in +44 form, or an email address.")
    # The addresses given together on one form share a request id.
    request_id = models.UUIDField(db_index=True)
    purposes = models.JSONField(default=list)
    wording = models.TextField(help_text="Exactly what the person was shown.")
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    # Name, district, role and preferred channel: used only for a contact created by the confirmation.
    details = models.JSONField(default=dict, blank=True)
    # What another app does once confirmed (e.g. "forum:12" joins a forum), via the address_confirmed signal.
    follow_up = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.CharField(max_length=20, choices=ConfirmedBy.choices, blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmations"
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["channel", "address", "-created_at"])]

    def __str__(self):
        state = "confirmed" if self.confirmed_at else "waiting"
        return f"{self.get_channel_display()} confirmation {self.pk} ({state})"

    @property
    def expired(self):
        return self.confirmed_at is None and self.expires_at <= timezone.now()


class FollowRequest(models.Model):
    """Someone asked to be told what happens about one thing ("consultation:42", "event:7") on one
    channel: the consent for that thing's outcome messages, narrower than the 'outcomes' purpose.

    Anonymity: for an anonymous consultation nothing here may pair a request with a response. So the
    key is random (not a sequence), only the date is kept (never a time), and requests about anonymous
    consultations are written by `release_held_follow_requests`, in random order, not when made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="follow_requests")
    topic = models.CharField(max_length=60, help_text='What they asked about, e.g. "consultation:42".')
    channel = models.CharField(max_length=10, choices=Channel.choices)
    route = models.CharField(max_length=10, choices=FollowRoute.choices)
    wording = models.TextField(help_text="Exactly what the person was shown or told.")
    confirmed_by = models.CharField(max_length=20, choices=ConfirmedBy.choices)
    requested_on = models.DateField(help_text="A UK date, never a time (see the class docstring).")

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["topic", "channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "topic", "channel"], name="one_follow_per_topic_channel"
            )
        ]
        indexes = [models.Index(fields=["topic", "channel", "contact"])]

    def __str__(self):
        return f"Asked to be told about {self.topic} by {self.get_channel_display().lower()}"


class HeldFollowRequest(models.Model):
    """A request to be told about an anonymous consultation, held until the next release so that no
    row, key or time records when it was made (which would pair it with the response made just
    before). No timestamps, a random key; `release_held_follow_requests` handles all in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(max_length=60)
    title = models.CharField(max_length=255, help_text="What they asked about, for the confirmation message.")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, blank=True, help_text="Given on a form: confirmed before use.")
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Known from their personal link or their number: no confirmation needed.",
    )
    route = models.CharField(max_length=10, choices=FollowRoute.choices)
    wording = models.TextField()
    confirmed_by = models.CharField(max_length=20, choices=ConfirmedBy.choices, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Held request about {self.topic}"


class Suppression(models.Model):
    """An address we must never send to on a channel, whatever the consents say."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, help_text="A mobile number in +44 form, or an email address.")
    reason = models.CharField(max_length=20, choices=SuppressionReason.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="suppression_unique_address")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} suppressed: {self.get_reason_display()}"


class Campaign(models.Model):
    name = models.CharField(
        max_length=120, help_text="For officers only, e.g. 'Childcare survey: first invitation'."
    )
    kind = models.CharField(max_length=30, choices=CampaignKind.choices)
    purpose = models.CharField(
        max_length=20, choices=Purpose.choices, help_text="Only contacts who agreed to this are sent to."
    )
    send_sms = models.BooleanField("Send by text message", default=True)
    send_email = models.BooleanField("Send by email", default=True)
    one_channel_per_contact = models.BooleanField(
        default=True,
        help_text="Send each person one message, on the channel they prefer, rather than one on every channel.",
    )
    sms_template = models.TextField(
        blank=True,
        help_text="Use ((name)), ((title)) and ((link)). The sender's name and 'Reply STOP to stop' are added.",
    )
    email_subject = models.CharField(max_length=150, blank=True)
    email_template = models.TextField(
        blank=True, help_text="Use ((name)), ((title)) and ((link)). An unsubscribe link is added at the end."
    )
    title = models.CharField(max_length=150, blank=True, help_text="Shown where the template says ((title)).")
    # A page's address can be longer than URLField's default 200 (a slug alone may be 255).
    link_url = models.URLField(
        max_length=500, blank=True, help_text="Shown where the template says ((link))."
    )
    link_personaliser = models.CharField(
        max_length=60,
        blank=True,
        help_text="Set by the app that created the campaign to give each person their own link.",
    )
    audience_districts = models.ManyToManyField(
        "parentvoice.District", blank=True, help_text="None means county-wide."
    )
    audience_roles = models.JSONField(default=list, blank=True)
    audience_source = models.CharField(
        max_length=60,
        blank=True,
        help_text="Set by another app to limit the audience, e.g. a forum's members.",
    )
    send_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to send as soon as you confirm."
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        "Send a reminder this many days before it closes",
        null=True,
        blank=True,
        help_text="Consultation invitations only. One reminder, only to people invited who have not "
        "answered by then, between 9am and 8pm. Leave empty for no reminder.",
    )
    # A reminder campaign points at the invitation it follows up (one reminder per invitation).
    reminder_for = models.OneToOneField(
        "self", null=True, blank=True, editable=False, on_delete=models.CASCADE, related_name="reminder"
    )
    sms_per_second = models.PositiveIntegerField(default=10)
    email_per_second = models.PositiveIntegerField(default=50)
    status = models.CharField(max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    recipient_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def channels(self):
        return [c for c, on in ((Channel.SMS, self.send_sms), (Channel.EMAIL, self.send_email)) if on]


class CampaignTranslation(models.Model):
    """A campaign's wording in another language. Each person gets the version in their language
    (Contact.language) where there is one, and the campaign's own (English) wording otherwise."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="translations")
    # A code from settings.LANGUAGES (checked by the form: a council's list changes without a migration).
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=150, blank=True, help_text="Shown where the template says ((title)).")
    sms_template = models.TextField(blank=True)
    email_subject = models.CharField(max_length=150, blank=True)
    email_template = models.TextField(blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="one_translation_per_language")
        ]

    def __str__(self):
        return f"{self.campaign} ({self.language})"


class Message(models.Model):
    """One outbound SMS or email. Status only moves forward (see services.apply_status)."""

    # Indexed by (campaign, status) below: a campaign's messages need no index of their own.
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages", db_index=False
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    status = models.CharField(max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED)
    idempotency_key = models.CharField(max_length=120)
    provider = models.CharField(max_length=20, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    forget_after_send = models.BooleanField(
        default=False,
        help_text="Once sent (or given up on), the body and the address are wiped: e.g. a copy of "
        "someone's answers to an anonymous consultation, which must not be kept beside their address.",
    )

    class Meta:
        ordering = ["-id"]
        # Every index is written for each of a campaign's hundreds of thousands of rows, so there are
        # only those that lookups use: as Meta entries, not unique=True or db_index=True, because on
        # PostgreSQL those add a second, LIKE-only index to a text column.
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["status", "channel"]),
            models.Index(fields=["provider_ref"], name="message_provider_ref"),
        ]
        constraints = [
            # Makes sending idempotent, and the fan-out's ON CONFLICT (idempotency_key) DO NOTHING.
            models.UniqueConstraint(fields=["idempotency_key"], name="message_idempotency_key_unique"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.pk}: {self.get_status_display()}"


class InboundMessage(models.Model):
    """A text message a parent sent us, stored once per provider message id."""

    provider_ref = models.CharField(max_length=100, unique=True)
    from_number = models.CharField(max_length=32)
    to_number = models.CharField(max_length=32, blank=True)
    body = models.TextField(blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    handled_by = models.CharField(max_length=60, blank=True)
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    # Saved twice for every text received: keep Wagtail's reference index (a queued task per save) out.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"Text received {govuk_datetime(self.received_at, weekday=False)}"


class SendWindow(models.Model):
    """Pacing across every worker: the next free sending slot per channel."""

    channel = models.CharField(max_length=10, choices=Channel.choices, primary_key=True)
    next_slot_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.get_channel_display()}: next slot {self.next_slot_at:%H:%M:%S}"


class ContactImport(models.Model):
    """A CSV of contacts: checked first (dry run), then imported by a task with progress counts."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    filename = models.CharField(max_length=255)
    csv_text = models.TextField(help_text="Cleared once imported.")
    purposes = models.JSONField(default=list)
    consent_wording = models.TextField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    row_errors = models.JSONField(default=list, blank=True)
    # Who this import created or updated: the campaign audience "import:<id>".
    contacts = models.ManyToManyField(Contact, blank=True, editable=False, related_name="imports")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
