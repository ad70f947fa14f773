"""Erasure: after erase_subject nothing in any text column of any table holds the person's email or
mobile; answers and results stay (anonymous); a STOP is still honoured."""

import pytest
from django.db import connection

from messaging.choices import Channel, MessageStatus
from messaging.models import Contact, Message, Suppression
from messaging.services import consent
from parentvoice.privacy.models import DataRequest
from parentvoice.privacy.services import subjects
from surveys.models import Answer, Response
from tests.parentvoice.privacy.person import (  # noqa: F401 - constants and fixtures
    EMAIL,
    MOBILE,
    NATIONAL_DIGITS,
    fora_index,
    make_consultation,
    make_event,
    make_forum,
    person,
)

TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def text_hits(value: str) -> list[str]:
    """table.column for every text column of every table holding `value` (case-insensitive)."""
    hits = []
    introspection = connection.introspection
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            for column in introspection.get_table_description(cursor, table):
                try:
                    field_type = introspection.get_field_type(column.type_code, column)
                except KeyError:
                    field_type = ""
                if field_type not in TEXT_TYPES:
                    continue
                name = connection.ops.quote_name(column.name)
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted} WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",  # noqa: S608
                    [f"%{value.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_the_scan_finds_the_seeded_person(person):  # noqa: F811
    """The scan can fail: before erasure it finds the address in many places."""
    assert len(text_hits(EMAIL)) >= 5
    assert len(text_hits(NATIONAL_DIGITS)) >= 5


def test_erasure_leaves_no_address_anywhere(person, make_user):  # noqa: F811
    officer = make_user(email="officer@example.org", is_staff=True)
    responses, answers = Response.objects.count(), Answer.objects.count()
    request = subjects.erase_subject(subjects.subject_from(EMAIL, "07700 900123"), officer, person_date())

    for value in (EMAIL, MOBILE, NATIONAL_DIGITS, "7700 900123"):
        assert text_hits(value) == [], value
    assert Response.objects.count() == responses
    assert Answer.objects.count() == answers
    assert Answer.objects.get().text == "Ring me on [removed]"
    assert Response.objects.get().contact is None
    assert not Contact.objects.exists()
    assert Message.objects.get().status  # the record that a message was sent stays
    assert request.kind == DataRequest.Kind.ERASURE
    assert request.record_counts["messaging.contacts"] == 1
    assert request.record_counts["forums.bookings"] >= 1


def test_nothing_is_erased_when_one_eraser_fails(person, monkeypatch):  # noqa: F811
    from parentvoice.privacy import registry

    entries = registry.personal_data()
    broken = next(e for e in entries if e.name == "messaging.contacts")
    monkeypatch.setitem(
        registry._personal_data, broken.name, broken.__class__(**{**broken.__dict__, "erase": boom})
    )
    with pytest.raises(RuntimeError):
        subjects.erase_subject(subjects.subject_from(EMAIL, MOBILE), None, person_date())
    assert text_hits(EMAIL)
    assert not DataRequest.objects.exists()


def boom(subject):
    raise RuntimeError("eraser failed")


def person_date():
    from datetime import date

    return date(2026, 12, 1)


def test_suppression_is_kept_as_a_hash(person):  # noqa: F811
    subjects.erase_subject(subjects.subject_from(None, MOBILE), None, person_date())
    suppression = Suppression.objects.get(channel=Channel.SMS)
    assert suppression.address == consent.suppression_hash(MOBILE)
    assert consent.is_suppressed(Channel.SMS, MOBILE)
    assert not consent.is_suppressed(Channel.SMS, "+447700900124")


def test_stop_is_honoured_after_erasure_for_a_new_contact(person):  # noqa: F811
    """The number comes back as a new contact who agreed to texts; a campaign to them ends suppressed."""
    from messaging.choices import CampaignKind, ConsentSource, Purpose
    from messaging.models import Campaign
    from messaging.services import campaigns

    subjects.erase_subject(subjects.subject_from(EMAIL, MOBILE), None, person_date())
    contact = Contact.objects.create(name="New", mobile=MOBILE)
    consent.record_consent(
        contact,
        channel=Channel.SMS,
        purpose=Purpose.CONSULTATIONS,
        granted=True,
        source=ConsentSource.WEB_FORM,
        wording="Texts",
    )
    campaign = Campaign.objects.create(
        name="Invite",
        kind=CampaignKind.values[0],
        purpose=Purpose.CONSULTATIONS,
        send_email=False,
        sms_template="Have your say ((link))",
        link_url="https://example.org/x",
    )
    campaigns.create_campaign_messages(campaign)
    message = Message.objects.get(campaign=campaign, recipient=MOBILE)
    assert message.status == MessageStatus.SUPPRESSED


def test_a_service_message_to_the_erased_number_is_not_sent(person):  # noqa: F811
    from messaging.services.sending import _blocked_by_suppression

    subjects.erase_subject(subjects.subject_from(None, MOBILE), None, person_date())
    message = Message(channel=Channel.SMS, recipient=MOBILE, idempotency_key="x")
    assert _blocked_by_suppression(message)


def test_start_from_the_number_lifts_the_hashed_stop(person, client):  # noqa: F811
    from messaging.services.inbound import receive_sms

    subjects.erase_subject(subjects.subject_from(None, MOBILE), None, person_date())
    receive_sms(provider_ref="SM-start", from_number=MOBILE, to_number="+447700900000", body="START")
    assert not consent.is_suppressed(Channel.SMS, MOBILE)
