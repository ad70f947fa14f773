"""Consent and suppression: the append-only ledger, the suppression list, confirming an address before
anything is recorded against it, and the links that let a person change their mind.

Only the owner of an address can change what we send to it. A public form never writes to a contact:
it makes an `AddressConfirmation` and sends a link (and, by text, "reply YES") to that address. When the
owner confirms, the address is attached, the consents are recorded with that evidence, and their own
unsubscribe on that channel is lifted. See docs/security.md.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from parentvoice.tokens import read_id, sign_id

from ..choices import SIGN_UP_PURPOSES, Channel, ConfirmedBy, ConsentSource, Purpose, SuppressionReason
from ..models import AddressConfirmation, Consent, Contact, InboundMessage, Message, Suppression
from ..signals import address_confirmed

PREFERENCES_SALT = "messaging.preferences"
CONFIRMATION_SALT = "messaging.confirm-address"
CONFIRMATION_KEY_PREFIX = "confirm-address:"
# Suppressions the person can lift themselves once they have shown the address is theirs. Bounces,
# complaints, a provider's own opt-out list and an officer's entry stay.
SELF_LIFTABLE = (SuppressionReason.UNSUBSCRIBED, SuppressionReason.STOP)
# A bare YES confirms a number only if it had no other exchange with us from this long before.
QUIET_BEFORE_YES = timedelta(hours=24)

# --- Addresses ------------------------------------------------------------------------------


def normalise_email(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def contact_for_address(channel: str, address: str) -> Contact | None:
    if channel == Channel.SMS:
        return Contact.objects.filter(mobile=address).first()
    return Contact.objects.filter(email=normalise_email(address)).first()


def contact_for_phone(phone: str, *, create: bool = False) -> Contact | None:
    """The contact with this mobile (+44 form); with `create`, a new one holding only the number when
    there is none. Only for a number that has just texted us: the text shows the number is theirs."""
    contact = contact_for_address(Channel.SMS, phone)
    if contact is None and create:
        contact, _ = Contact.objects.get_or_create(mobile=phone)
    return contact


# --- The consent ledger ----------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """How the person behind a consent showed the address is theirs."""

    confirmed_by: str
    address: str = ""
    at: datetime | None = None
    confirmation_id: int | None = None

    @staticmethod
    def fields(evidence: "Evidence | None", now: datetime) -> dict:
        """The Consent fields that hold this evidence (none without it)."""
        if evidence is None:
            return {}
        return {
            "confirmed_by": evidence.confirmed_by,
            "confirmed_at": evidence.at or now,
            "confirmed_address": evidence.address[:254],
            "confirmation_id": evidence.confirmation_id,
        }


def set_consents(
    contact: Contact,
    choices: Iterable[tuple[str, str, bool]],
    *,
    source: str,
    wording: str,
    evidence: Evidence | None = None,
    user=None,
) -> list[Consent]:
    """The one place consent rows are written: record each (channel, purpose, granted) that differs
    from the contact's current choice, with its evidence. Returns the rows recorded."""
    state = current_consents(contact)
    now = timezone.now()
    choices = list(dict.fromkeys(choices))
    rows = [
        _consent_row(contact, channel, purpose, granted, source, wording, user, evidence, now)
        for channel, purpose, granted in choices
        if state.get((channel, purpose), False) != granted
    ]
    recorded = Consent.objects.bulk_create(rows)
    _forget_withdrawn_follows(contact, choices, recorded, source)
    return recorded


# A STOP or an unsubscribe withdraws everything on the channel, follow requests included, even from
# someone who never agreed to outcomes in general (so no consent row records the change).
WITHDRAWS_EVERYTHING = (ConsentSource.SMS_STOP, ConsentSource.UNSUBSCRIBE)


def _forget_withdrawn_follows(contact: Contact, choices, recorded: list[Consent], source: str) -> None:
    """Withdrawing outcomes on a channel withdraws the narrower follow requests on it too. Saving the
    preferences page with outcomes left unticked is not a withdrawal: follow requests stay (each has its
    own way to stop there)."""
    from .follow import forget_follows

    withdrawn = {row.channel for row in recorded if row.purpose == Purpose.OUTCOMES and not row.granted}
    if source in WITHDRAWS_EVERYTHING:
        withdrawn |= {
            channel for channel, purpose, granted in choices if purpose == Purpose.OUTCOMES and not granted
        }
    if withdrawn:
        forget_follows(contact, withdrawn)


def record_consent(contact, *, channel, purpose, granted, source, wording, user=None, evidence=None):
    """One consent row, recorded whether or not it changes anything (officers' and demo entries)."""
    row = _consent_row(contact, channel, purpose, granted, source, wording, user, evidence, timezone.now())
    row.save()
    return row


def _consent_row(contact, channel, purpose, granted, source, wording, user, evidence, now) -> Consent:
    """An unsaved ledger row with its evidence: what both ways of recording a consent write."""
    return Consent(
        contact=contact,
        channel=channel,
        purpose=purpose,
        granted=granted,
        source=source,
        wording=wording,
        recorded_by=user,
        recorded_at=now,
        **Evidence.fields(evidence, now),
    )


def current_consents(contact: Contact) -> dict[tuple[str, str], bool]:
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


# --- Suppression -----------------------------------------------------------------------------


# An erased person's suppressions are kept as a keyed hash of the address (parentvoice.privacy): a
# STOP is still honoured, even when the number later belongs to a new contact, with no address kept.
SUPPRESSION_HASH_SALT = "messaging.suppression-hash"
SUPPRESSION_HASH_PREFIX = "hash:"


def _normalised_address(address: str) -> str:
    """Emails lower-cased and trimmed; mobiles are already in +44 form."""
    return normalise_email(address) if "@" in address else address.strip()


def suppression_hash(address: str) -> str:
    """ "hash:" and the HMAC-SHA256 of the normalised address (emails lower-cased, mobiles in +44 form)."""
    digest = salted_hmac(SUPPRESSION_HASH_SALT, _normalised_address(address), algorithm="sha256").hexdigest()
    return SUPPRESSION_HASH_PREFIX + digest


def suppression_keys(address: str) -> list[str]:
    """What a suppression of this address may be stored as: the normalised address, or its hash."""
    return [_normalised_address(address), suppression_hash(address)]


def suppress(channel: str, address: str, reason: str) -> None:
    Suppression.objects.get_or_create(
        channel=channel, address=_normalised_address(address), defaults={"reason": reason}
    )


def is_suppressed(channel: str, address: str) -> bool:
    return Suppression.objects.filter(channel=channel, address__in=suppression_keys(address)).exists()


def lift_own_suppression(channel: str, address: str) -> str | None:
    """Lift an unsubscribe or STOP the address's owner asked for; returns the reason lifted, if any."""
    if not address:
        return None
    suppression = Suppression.objects.filter(
        channel=channel, address__in=suppression_keys(address), reason__in=SELF_LIFTABLE
    ).first()
    if suppression is None:
        return None
    suppression.delete()
    return suppression.reason


# --- Confirming an address before anything is recorded ---------------------------------------


@dataclass
class SignUpRequest:
    request_id: uuid.UUID
    confirmations: list[AddressConfirmation]

    @property
    def channels(self) -> list[str]:
        return [c.channel for c in self.confirmations]


def request_sign_up(
    *,
    email: str | None,
    mobile: str | None,
    purposes: Iterable[str],
    wording: str,
    source: str = ConsentSource.WEB_FORM,
    name: str = "",
    district=None,
    preferred_channel: str = "",
    role: str = "",
    follow_up: str = "",
    what: str = "",
    language: str = "",
) -> SignUpRequest:
    """A public form asked to use these addresses: send each one a confirmation and change nothing else.
    `language`: the one they want messages in (a settings.LANGUAGES code), given to a contact the
    confirmation creates, as their name and district are.

    `what` completes "You asked ... to send you ..." in the confirmation ("news about Dover Parent
    Forum"); `follow_up` is handed to the address_confirmed signal once confirmed."""
    request_id = uuid.uuid4()
    expires_at = timezone.now() + timedelta(hours=settings.CONFIRMATION_LINK_HOURS)
    details = {
        "name": name or "",
        "district_id": district.pk if district is not None else None,
        "preferred_channel": preferred_channel or "",
        "parent_role": role or "",
        "language": language if language in dict(settings.LANGUAGES) else "",
    }
    purposes = [p for p in Purpose.values if p in set(purposes)]
    addresses = [(Channel.EMAIL, normalise_email(email)), (Channel.SMS, mobile or None)]
    confirmations = []
    with transaction.atomic():
        for channel, address in addresses:
            if not address:
                continue
            confirmation = AddressConfirmation.objects.create(
                channel=channel,
                address=address,
                request_id=request_id,
                purposes=purposes,
                wording=wording,
                source=source,
                details=details,
                follow_up=follow_up,
                expires_at=expires_at,
            )
            _send_confirmation(confirmation, what or _purposes_text(purposes))
            confirmations.append(confirmation)
    return SignUpRequest(request_id, confirmations)


def _purposes_text(purposes: list[str]) -> str:
    labels = [Purpose(p).label.lower() for p in purposes] or ["news"]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _send_confirmation(confirmation: AddressConfirmation, what: str, *, follow_title: str = "") -> None:
    """`follow_title`: the confirmation is for being told what we decide about that one thing (a
    follow request), and says so instead of "texts about <what>"."""
    from .follow import follow_title_for_sms
    from .sending import send_service_message

    url = confirmation_url(confirmation.pk)
    hours = settings.CONFIRMATION_LINK_HOURS
    sender = settings.MESSAGING_SENDER_NAME
    if confirmation.channel == Channel.SMS:
        since = confirmation.created_at - QUIET_BEFORE_YES
        if follow_title:
            wanted = f"a text when we decide about '{follow_title_for_sms(follow_title)}'"
        else:
            wanted = f"texts about {what}"
        if recent_sms_activity(confirmation.address, since):
            body = f"To get {wanted}, confirm at {url} . Not you? Ignore this."
        else:
            body = f"Reply YES to get {wanted}, or confirm at {url} . Not you? Ignore this."
        subject = ""
    else:
        subject = f"Confirm your email address for {sender}"
        wanted = f"when we decide about '{follow_title}'" if follow_title else f"about {what}"
        body = (
            f"Someone, we hope you, asked {sender} to email you {wanted}.\n\n"
            f"To confirm, open this link within {hours} hours:\n{url}\n\n"
            "If it was not you, ignore this email. Nothing will change and we will not email you about it again."
        )
    send_service_message(
        channel=confirmation.channel,
        recipient=confirmation.address,
        subject=subject,
        body=body,
        key=f"{CONFIRMATION_KEY_PREFIX}{confirmation.pk}",
    )


def confirmation_token(confirmation_id: int) -> str:
    return sign_id(CONFIRMATION_SALT, confirmation_id)


def confirmation_url(confirmation_id: int) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "messaging:confirm", args=[confirmation_token(confirmation_id)]
    )


def confirmation_for_token(token: str) -> AddressConfirmation | None:
    """The confirmation a link was made for, or None when tampered with or expired unconfirmed."""
    confirmation_id = read_id(CONFIRMATION_SALT, token)
    confirmation = AddressConfirmation.objects.filter(pk=confirmation_id).first() if confirmation_id else None
    # A link stops working when it expires, confirmed or not: an old email must not lead anywhere.
    if confirmation is None or confirmation.expires_at <= timezone.now():
        return None
    return confirmation


def recent_sms_activity(phone: str, since, *, inbound_id: int | None = None) -> bool:
    """Whether a campaign text went to this number, or the number texted us, since `since`: then a bare
    YES from it could mean something else, and only the link confirms."""
    campaign_text = Message.objects.filter(
        channel=Channel.SMS, recipient=phone, campaign__isnull=False, created_at__gt=since
    ).exists()
    texted_us = InboundMessage.objects.filter(from_number=phone, received_at__gt=since).exclude(pk=inbound_id)
    return campaign_text or texted_us.exists()


def pending_sms_confirmation(phone: str, *, inbound_id: int | None = None) -> AddressConfirmation | None:
    """The confirmation a YES from this number answers: the newest one still waiting, unless the number
    was in any other exchange with us from a day before it was made until now (a campaign text a YES
    could answer, or a text conversation such as answering a consultation)."""
    confirmation = (
        AddressConfirmation.objects.filter(
            channel=Channel.SMS, address=phone, confirmed_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if confirmation is None:
        return None
    since = confirmation.created_at - QUIET_BEFORE_YES
    return None if recent_sms_activity(phone, since, inbound_id=inbound_id) else confirmation


@dataclass
class Confirmed:
    confirmation: AddressConfirmation
    contact: Contact
    next_url: str | None = None


def confirm_address(
    confirmation_id: int, *, confirmed_by: str, proven_with: Iterable[int] = ()
) -> Confirmed | None:
    """The owner confirmed from the address: attach it, record the consents with this evidence and lift
    their own unsubscribe on this channel. Confirming twice changes nothing the second time.
    `proven_with`: confirmations the same browser confirmed before, which may link addresses."""
    with transaction.atomic():
        confirmation = AddressConfirmation.objects.select_for_update().filter(pk=confirmation_id).first()
        if confirmation is None or confirmation.expired:
            return None
        if confirmation.confirmed_at is not None:
            return Confirmed(confirmation, confirmation.contact) if confirmation.contact else None
        now = timezone.now()
        contact = _contact_to_confirm(confirmation, proven_with)
        lift_own_suppression(confirmation.channel, contact.address_for(confirmation.channel))
        set_consents(
            contact,
            [(confirmation.channel, purpose, True) for purpose in confirmation.purposes],
            source=confirmation.source,
            wording=confirmation.wording,
            evidence=Evidence(confirmed_by, confirmation.address, now, confirmation.pk),
        )
        confirmation.confirmed_at = now
        confirmation.confirmed_by = confirmed_by
        confirmation.contact = contact
        confirmation.save(update_fields=["confirmed_at", "confirmed_by", "contact"])
        _record_confirmed_follow(confirmation, contact)
        if not confirmation.follow_up and confirmed_by != ConfirmedBy.SMS_REPLY:
            # A plain sign-up: tell them it worked and give them the link to change their mind. A
            # follow-up (joining a forum) sends its own message; a YES already gets a reply text.
            _send_signed_up(confirmation, contact)
        responses = address_confirmed.send(
            sender=AddressConfirmation, confirmation=confirmation, contact=contact
        )
    next_url = next((url for _, url in responses if url), None)
    return Confirmed(confirmation, contact, next_url)


def _record_confirmed_follow(confirmation: AddressConfirmation, contact: Contact) -> None:
    """A confirmation made by a follow request ("tell me what you decide") records it, with how the
    owner confirmed as its evidence. No "signed up" message follows: a follow_up never gets one."""
    from .follow import parse_follow_up, record_follow

    follow = parse_follow_up(confirmation.follow_up)
    if follow is None:
        return
    route, topic = follow
    record_follow(
        contact,
        topic=topic,
        channel=confirmation.channel,
        route=route,
        wording=confirmation.wording,
        confirmed_by=confirmation.confirmed_by,
    )


def follow_title(confirmation: AddressConfirmation) -> str:
    """What a follow request's confirmation was about ("" for any other confirmation)."""
    from .follow import parse_follow_up

    if parse_follow_up(confirmation.follow_up) is None:
        return ""
    return str((confirmation.details or {}).get("follow_title") or "")


def confirmed_by_text_reply(confirmed: "Confirmed") -> str:
    """The reply to a YES that confirmed a number: their only copy of the link to change their mind."""
    from .follow import follow_title_for_sms

    sender = settings.MESSAGING_SENDER_NAME
    link = preferences_url(confirmed.contact.pk)
    title = follow_title(confirmed.confirmation)
    if title:
        return (
            f"{sender}: thank you, we will text you when we decide about '{follow_title_for_sms(title)}'. "
            f"Change what we send: {link} Reply STOP to stop."
        )
    return f"{sender}: thank you, you're signed up. Change what we send: {link} Reply STOP to stop."


SIGNED_UP_KEY_PREFIX = "signed-up:"


def _send_signed_up(confirmation: AddressConfirmation, contact: Contact) -> None:
    from .sending import send_service_message

    what = _purposes_text(confirmation.purposes)
    link = preferences_url(contact.pk)
    sender = settings.MESSAGING_SENDER_NAME
    if confirmation.channel == Channel.SMS:
        subject = ""
        body = f"you're signed up for texts about {what}. Change what we send: {link}"
    else:
        subject = f"You're signed up to {sender}"
        body = (
            f"Thank you for confirming your email address. We will email you about {what}.\n\n"
            f"To change what we send you, or to stop, use this link at any time:\n{link}"
        )
    send_service_message(
        channel=confirmation.channel,
        recipient=confirmation.address,
        subject=subject,
        body=body,
        key=f"{SIGNED_UP_KEY_PREFIX}{confirmation.pk}",
        contact_id=contact.pk,
    )


# What a confirmation's details may give a contact it creates (a follow request's title is not one).
CONTACT_DETAILS = ("name", "district_id", "preferred_channel", "parent_role", "language")


def _contact_to_confirm(confirmation: AddressConfirmation, proven_with: Iterable[int]) -> Contact:
    """The contact that owns the address; else, when the same browser has just confirmed another address
    from the same form (one person showed they hold both), that address's contact; else a new contact
    with the form's details. The form alone never links two addresses (a stranger writes it), an
    existing contact's details are never changed, and two contacts are never merged."""
    channel, address = confirmation.channel, confirmation.address
    contact = contact_for_address(channel, address)
    if contact is not None:
        return contact
    sibling = (
        AddressConfirmation.objects.filter(
            request_id=confirmation.request_id, pk__in=list(proven_with), contact__isnull=False
        )
        .exclude(pk=confirmation.pk)
        .select_related("contact")
        .first()
    )
    if sibling is not None and sibling.contact.address_for(channel) is None:
        contact = sibling.contact
    else:
        details = {field: confirmation.details.get(field) for field in CONTACT_DETAILS}
        contact = Contact(**{field: value for field, value in details.items() if value})
    setattr(contact, "mobile" if channel == Channel.SMS else "email", address)
    contact.save()
    return contact


# --- Changing one's mind ---------------------------------------------------------------------


def purposes_to_offer(channel: str, state: dict[tuple[str, str], bool]) -> list[str]:
    """What a person may choose on their preferences page for a channel: what anyone may sign up
    for, and forum business only while they have it there (it is agreed to by joining a
    practitioners' forum, so the page can stop it but never start it)."""
    offered = list(SIGN_UP_PURPOSES)
    if state.get((channel, Purpose.FORUM_BUSINESS)):
        offered.append(Purpose.FORUM_BUSINESS)
    return offered


@transaction.atomic
def update_preferences(contact: Contact, wanted: set[tuple[str, str]], *, wording: str) -> list[str]:
    """Set exactly the (channel, purpose) pairs in `wanted` from the person's own preferences link
    (which proves the address it was sent to). Opting back in on a channel lifts their own
    unsubscribe or STOP there. Returns what changed, in words the person sees."""
    state = current_consents(contact)
    choices = [
        (channel, purpose, (channel, purpose) in wanted)
        for channel in Channel.values
        if contact.address_for(channel)
        for purpose in purposes_to_offer(channel, state)
    ]
    recorded = set_consents(
        contact,
        choices,
        source=ConsentSource.PREFERENCES,
        wording=wording,
        evidence=Evidence(ConfirmedBy.PERSONAL_LINK),
    )
    changes = []
    for channel in Channel.values:
        address = contact.address_for(channel)
        if address is None or not any(c == channel for c, _ in wanted):
            continue
        lifted = lift_own_suppression(channel, address)
        if lifted == SuppressionReason.STOP:
            changes.append(
                "You will get texts from us again. You texted STOP before, so also text START to "
                f"{settings.SMS_SERVICE_NUMBER or 'our number'}."
            )
        elif lifted:
            changes.append(f"You will get {'texts' if channel == Channel.SMS else 'emails'} from us again.")
    if recorded and not changes:
        changes.append("Your choices have been saved.")
    return changes


@transaction.atomic
def unsubscribe(
    contact: Contact, *, source=ConsentSource.UNSUBSCRIBE, wording="Unsubscribed from everything"
):
    """Withdraw every consent on every channel and suppress the contact's addresses."""
    channels = [c for c in Channel.values if contact.address_for(c)]
    set_consents(
        contact,
        [(channel, purpose, False) for channel in channels for purpose in Purpose.values],
        source=source,
        wording=wording,
        evidence=Evidence(ConfirmedBy.PERSONAL_LINK),
    )
    for channel in channels:
        suppress(channel, contact.address_for(channel), SuppressionReason.UNSUBSCRIBED)


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
