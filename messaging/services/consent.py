"""Consent and suppression: the append-only ledger, the suppression list and the links that let a
person change their mind."""

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from parentvoice.tokens import read_id, sign_id

from ..choices import (
    Channel,
    ConsentSource,
    Purpose,
    SuppressionReason,
)
from ..models import Consent, Contact, Suppression

PREFERENCES_SALT = "messaging.preferences"

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
