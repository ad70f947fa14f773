"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

A person is found by their address and through the contact that has it. Erasure deletes the contact
(its consents go with it), texts received, confirmations and follow requests; keeps each message's
status, channel and campaign with its address and wording wiped; and keeps suppressions as a hash of
the address, so a STOP is still honoured (see services.consent.suppression_hash)."""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from wagtail.models import ModelLogEntry

from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import REMOVED, redact, redact_field, rows, text_q
from parentvoice.safeguarding.personal_data import withhold_held

from .models import (
    AddressConfirmation,
    Consent,
    Contact,
    ContactImport,
    FollowRequest,
    HeldFollowRequest,
    InboundMessage,
    Message,
    Suppression,
)
from .services.consent import suppression_hash


def contacts_for(subject: Subject) -> QuerySet:
    """The contacts holding the subject's email (any case) or mobile."""
    query = Q(pk__in=[])
    if subject.email:
        query |= Q(email__iexact=subject.email)
    if subject.mobile:
        query |= Q(mobile=subject.mobile)
    return Contact.objects.filter(query)


def _address_q(field: str, subject: Subject) -> Q:
    query = Q(pk__in=[])
    if subject.email:
        query |= Q(**{f"{field}__iexact": subject.email})
    if subject.mobile:
        query |= Q(**{field: subject.mobile})
    return query


# --- Contacts (erased last) -------------------------------------------------------------------------


def find_contacts(subject: Subject) -> list[dict]:
    return rows(
        contacts_for(subject),
        "id",
        "name",
        "email",
        "mobile",
        "district__name",
        "language",
        "preferred_channel",
        "parent_role",
        "child_age_bands",
        "created_at",
        "updated_at",
    )


def erase_contacts(subject: Subject) -> int:
    contacts = contacts_for(subject)
    count = contacts.count()
    # The admin's audit log names a contact by its name (the entries stay, the name goes).
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact),
        object_id__in=[str(pk) for pk in contacts.values_list("pk", flat=True)],
    ).update(label=REMOVED)
    # Consents are an append-only ledger (Consent.delete refuses), but they go with their contact:
    # a queryset's cascade does not call Model.delete.
    contacts.delete()
    return count


# --- Consents -----------------------------------------------------------------------------------


def _consents(subject: Subject) -> QuerySet:
    return Consent.objects.filter(contact__in=contacts_for(subject))


def find_consents(subject: Subject) -> list[dict]:
    return rows(
        _consents(subject).order_by("recorded_at", "id"),
        "channel",
        "purpose",
        "granted",
        "source",
        "wording",
        "recorded_at",
        "confirmed_by",
        "confirmed_at",
        "confirmed_address",
    )


def erase_consents(subject: Subject) -> int:
    """Counted here; removed with the contact (which runs last)."""
    return _consents(subject).count()


# --- Confirmations and follow requests ------------------------------------------------------------


def _confirmations(subject: Subject) -> QuerySet:
    return AddressConfirmation.objects.filter(
        _address_q("address", subject) | Q(contact__in=contacts_for(subject))
    )


def find_confirmations(subject: Subject) -> list[dict]:
    return rows(
        _confirmations(subject),
        "channel",
        "address",
        "purposes",
        "wording",
        "source",
        "details",
        "created_at",
        "confirmed_at",
        "confirmed_by",
    )


def erase_confirmations(subject: Subject) -> int:
    return _confirmations(subject).delete()[1].get(AddressConfirmation._meta.label, 0)


def _follows(subject: Subject) -> tuple[QuerySet, QuerySet]:
    contacts = contacts_for(subject)
    held = HeldFollowRequest.objects.filter(_address_q("address", subject) | Q(contact__in=contacts))
    return FollowRequest.objects.filter(contact__in=contacts), held


def find_follows(subject: Subject) -> list[dict]:
    follows, held = _follows(subject)
    return [
        {**row, "state": "recorded"}
        for row in rows(follows, "topic", "channel", "route", "wording", "confirmed_by", "requested_on")
    ] + [
        {**row, "state": "waiting to be recorded"}
        for row in rows(held, "topic", "title", "channel", "address", "route", "wording")
    ]


def erase_follows(subject: Subject) -> int:
    follows, held = _follows(subject)
    return follows.delete()[0] + held.delete()[0]


# --- Suppressions: kept as a hash --------------------------------------------------------------------


def _suppressions(subject: Subject) -> QuerySet:
    return Suppression.objects.filter(_address_q("address", subject))


def find_suppressions(subject: Subject) -> list[dict]:
    return rows(_suppressions(subject), "channel", "address", "reason", "created_at")


def erase_suppressions(subject: Subject) -> int:
    """Each suppression's address becomes its hash: never sent to again, and no address kept."""
    changed = 0
    for suppression in _suppressions(subject):
        hashed = suppression_hash(suppression.address)
        if Suppression.objects.filter(channel=suppression.channel, address=hashed).exists():
            suppression.delete()
        else:
            Suppression.objects.filter(pk=suppression.pk).update(address=hashed)
        changed += 1
    return changed


# --- Messages sent and texts received --------------------------------------------------------------


def _messages(subject: Subject) -> QuerySet:
    return Message.objects.filter(_address_q("recipient", subject) | Q(contact__in=contacts_for(subject)))


def find_messages(subject: Subject) -> list[dict]:
    sent = rows(
        _messages(subject).order_by("created_at", "id"),
        "channel",
        "recipient",
        "subject",
        "body",
        "purpose",
        "status",
        "campaign__name",
        "created_at",
        "sent_at",
    )
    # Messages to someone else (a forum's coordinators) that quote the person's address.
    mentioned = rows(
        Message.objects.filter(text_q("body", subject)).exclude(pk__in=_messages(subject)),
        "channel",
        "subject",
        "body",
        "created_at",
    )
    return sent + [{**row, "recipient": "someone else (mentions you)"} for row in mentioned]


def erase_messages(subject: Subject) -> int:
    """The record that a message was sent stays (status, channel, campaign): who to and what is wiped."""
    mine = _messages(subject)
    count = mine.update(recipient="", subject="", body="", contact=None, error_message="")
    return (
        count
        + redact_field(Message.objects.all(), "body", subject)
        + redact_field(Message.objects.all(), "subject", subject)
    )


def _inbound(subject: Subject) -> QuerySet:
    query = Q(contact__in=contacts_for(subject))
    if subject.mobile:
        query |= Q(from_number=subject.mobile)
    return InboundMessage.objects.filter(query)


def find_inbound(subject: Subject) -> list[dict]:
    received = _inbound(subject).order_by("received_at", "id")
    found = rows(received, "id", "from_number", "body", "reply", "handled_by", "received_at")
    return withhold_held("messaging.inbound", found, "body")


def erase_inbound(subject: Subject) -> int:
    deleted = _inbound(subject).delete()[1].get(InboundMessage._meta.label, 0)
    # Someone else's text that quotes the address keeps its wording without it.
    return deleted + redact_field(InboundMessage.objects.all(), "body", subject)


# --- Contact imports ------------------------------------------------------------------------------


def _imports_holding(subject: Subject) -> list[ContactImport]:
    held = []
    for contact_import in ContactImport.objects.all():
        text = contact_import.csv_text + json.dumps(contact_import.row_errors)
        if redact(text, subject) != text:
            held.append(contact_import)
    return held


def find_imports(subject: Subject) -> list[dict]:
    return [
        {"filename": i.filename, "uploaded_at": i.created_at.isoformat(), "status": i.status}
        for i in _imports_holding(subject)
    ]


def erase_imports(subject: Subject) -> int:
    """The file is cleared (it lists other people too, and is only needed until imported)."""
    held = _imports_holding(subject)
    for contact_import in held:
        ContactImport.objects.filter(pk=contact_import.pk).update(
            csv_text="", row_errors=json.loads(redact(json.dumps(contact_import.row_errors), subject))
        )
    return len(held)


register_personal_data(
    "messaging.contacts",
    label="Contact details and preferences",
    find=find_contacts,
    erase=erase_contacts,
    order=100,
    models=[Contact],
)
register_personal_data(
    "messaging.consents",
    label="What you agreed to be sent (consent records)",
    find=find_consents,
    erase=erase_consents,
    order=90,
    models=[Consent],
)
register_personal_data(
    "messaging.confirmations",
    label="Requests to confirm an email address or mobile number",
    find=find_confirmations,
    erase=erase_confirmations,
    order=40,
    models=[AddressConfirmation],
)
register_personal_data(
    "messaging.follow_requests",
    label="Requests to be told what we decide",
    find=find_follows,
    erase=erase_follows,
    order=40,
    models=[FollowRequest, HeldFollowRequest],
)
register_personal_data(
    "messaging.suppressions",
    label="Addresses we must not send to (kept as a code after erasure)",
    find=find_suppressions,
    erase=erase_suppressions,
    order=40,
    models=[Suppression],
)
register_personal_data(
    "messaging.messages",
    label="Texts and emails we sent",
    find=find_messages,
    erase=erase_messages,
    order=40,
    models=[Message],
)
register_personal_data(
    "messaging.texts_received",
    label="Texts you sent us",
    find=find_inbound,
    erase=erase_inbound,
    order=60,
    models=[InboundMessage],
)
register_personal_data(
    "messaging.imports",
    label="Lists of contacts uploaded by staff",
    find=find_imports,
    erase=erase_imports,
    order=40,
    models=[ContactImport],
)
