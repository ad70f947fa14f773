"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md).

- Messages: RETAIN_MESSAGE_DAYS after they were created, body, subject and address are wiped; status,
  channel, campaign, contact and times stay, so campaign figures and 'told' counts do not change.
- Texts received: deleted after RETAIN_SMS_MAX_DAYS (unless an open safeguarding case needs one).
- Address confirmations never confirmed: deleted RETAIN_ADDRESS_CONFIRMATIONS_DAYS after expiring.
- Contact-import previews never imported: deleted RETAIN_IMPORT_PREVIEWS_DAYS after upload.
- Inactive contacts: deleted when no consent is granted (the latest ledger row of every channel and
  purpose), they have no follow request and no account, and nothing has happened for
  RETAIN_INACTIVE_CONTACT_DAYS (the contact unchanged, no message sent, no text received). Other apps
  know other activity (a forum membership, a recent response): they say which contacts to keep with
  `register_contact_keeper`, since messaging imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from parentvoice.privacy.registry import register_retention_rule
from parentvoice.privacy.services.retention import days_ago, delete, in_chunks, in_words
from parentvoice.safeguarding.services import open_case_ids

from .choices import ImportStatus
from .models import AddressConfirmation, Consent, Contact, ContactImport, InboundMessage, Message

# name -> fn(cutoff) returning a `.values("contact_id")`-style queryset of contacts to keep.
_contact_keepers: dict[str, Callable[[datetime], QuerySet]] = {}


def register_contact_keeper(name: str, keep: Callable[[datetime], QuerySet]) -> None:
    """Another app's reason to keep a contact: `keep(cutoff)` returns contact ids (a one-column
    queryset) with activity there since `cutoff`, or a current tie such as a forum membership."""
    _contact_keepers[name] = keep


def wipe_messages(messages: QuerySet) -> int:
    """Wipe what a message said and where it went. Returns rows changed."""
    return messages.exclude(body="", subject="", recipient="").update(body="", subject="", recipient="")


def wipe_old_messages(now: datetime, dry_run: bool) -> int:
    messages = Message.objects.filter(created_at__lt=days_ago(now, settings.RETAIN_MESSAGE_DAYS)).exclude(
        body="", subject="", recipient=""
    )
    return in_chunks(messages, wipe_messages, dry_run=dry_run)


def delete_old_inbound(now: datetime, dry_run: bool) -> int:
    texts = InboundMessage.objects.filter(
        received_at__lt=days_ago(now, settings.RETAIN_SMS_MAX_DAYS)
    ).exclude(pk__in=open_case_ids("messaging.inbound"))
    return in_chunks(texts, delete, dry_run=dry_run)


def delete_expired_confirmations(now: datetime, dry_run: bool) -> int:
    confirmations = AddressConfirmation.objects.filter(
        confirmed_at__isnull=True,
        expires_at__lt=days_ago(now, settings.RETAIN_ADDRESS_CONFIRMATIONS_DAYS),
    )
    return in_chunks(confirmations, delete, dry_run=dry_run)


def delete_old_import_previews(now: datetime, dry_run: bool) -> int:
    previews = ContactImport.objects.filter(
        status=ImportStatus.PREVIEWED, created_at__lt=days_ago(now, settings.RETAIN_IMPORT_PREVIEWS_DAYS)
    )
    return in_chunks(previews, delete, dry_run=dry_run)


def inactive_contacts(now: datetime) -> QuerySet:
    cutoff = days_ago(now, settings.RETAIN_INACTIVE_CONTACT_DAYS)
    latest = Consent.objects.filter(
        contact=OuterRef("contact"), channel=OuterRef("channel"), purpose=OuterRef("purpose")
    ).order_by("-recorded_at", "-id")
    current_grants = Consent.objects.filter(granted=True).filter(pk=latest.values("pk")[:1])
    contacts = (
        Contact.objects.filter(created_at__lt=cutoff, updated_at__lt=cutoff, user__isnull=True)
        .exclude(Exists(current_grants.filter(contact=OuterRef("pk"))))
        .exclude(Exists(Message.objects.filter(contact=OuterRef("pk"), created_at__gte=cutoff)))
        .exclude(Exists(InboundMessage.objects.filter(contact=OuterRef("pk"), received_at__gte=cutoff)))
        .exclude(follow_requests__isnull=False)
    )
    for keep in _contact_keepers.values():
        contacts = contacts.exclude(pk__in=keep(cutoff))
    return contacts


def delete_inactive_contacts(now: datetime, dry_run: bool) -> int:
    return in_chunks(inactive_contacts(now), delete, dry_run=dry_run)


register_retention_rule(
    "messaging.messages",
    label="Messages sent: wording and address wiped",
    period=lambda: in_words(settings.RETAIN_MESSAGE_DAYS, "they were sent"),
    apply=wipe_old_messages,
)
register_retention_rule(
    "messaging.inbound",
    label="Texts received: deleted",
    period=lambda: in_words(settings.RETAIN_SMS_MAX_DAYS, "they arrived"),
    apply=delete_old_inbound,
)
register_retention_rule(
    "messaging.confirmations",
    label="Address confirmations never confirmed: deleted",
    period=lambda: in_words(settings.RETAIN_ADDRESS_CONFIRMATIONS_DAYS, "they expired"),
    apply=delete_expired_confirmations,
)
register_retention_rule(
    "messaging.import_previews",
    label="Contact lists checked but never imported: deleted",
    period=lambda: in_words(settings.RETAIN_IMPORT_PREVIEWS_DAYS, "they were uploaded"),
    apply=delete_old_import_previews,
)
register_retention_rule(
    "messaging.inactive_contacts",
    label="Contacts with no consent and no activity: deleted",
    period=lambda: in_words(settings.RETAIN_INACTIVE_CONTACT_DAYS, "the last activity"),
    apply=delete_inactive_contacts,
)
