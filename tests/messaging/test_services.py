from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from messaging import services
from messaging.choices import (
    CampaignStatus,
    Channel,
    ConsentSource,
    MessageStatus,
    ParentRole,
    Purpose,
    SuppressionReason,
)
from messaging.models import Campaign, Consent, Contact, Message, Suppression
from messaging.sms import segment_info
from parentvoice.models import District

pytestmark = pytest.mark.django_db
MOBILE = "+447400123456"


def make_contact(n=0, *, sms=True, email=True, purposes=(Purpose.CONSULTATIONS,), **fields):
    contact = Contact.objects.create(
        name=fields.pop("name", f"Parent {n}"),
        email=f"parent{n}@example.org" if email else None,
        mobile=f"+4474001{n:05d}" if sms else None,
        **fields,
    )
    for channel in [Channel.SMS] * sms + [Channel.EMAIL] * email:
        for purpose in purposes:
            services.record_consent(
                contact,
                channel=channel,
                purpose=purpose,
                granted=True,
                source=ConsentSource.WEB_FORM,
                wording="Yes",
            )
    return contact


def make_campaign(**fields):
    defaults = {
        "name": "Childcare survey",
        "kind": "consultation_invitation",
        "purpose": Purpose.CONSULTATIONS,
        "sms_template": "Hi ((name)), tell us about ((title)): ((link))",
        "email_subject": "Have your say: ((title))",
        "email_template": "Dear ((name)),\n\nTell us about ((title)): ((link))",
        "title": "childcare",
        "link_url": "https://parentvoice.example.org/c/1/",
        "sms_per_second": 1000,
        "email_per_second": 1000,
    }
    defaults.update(fields)
    return Campaign.objects.create(**defaults)


# --- Consent ledger -------------------------------------------------------------------------


def test_consent_rows_are_append_only():
    contact = make_contact()
    consent = contact.consents.first()
    consent.granted = False
    with pytest.raises(ValidationError):
        consent.save()
    with pytest.raises(ValidationError):
        consent.delete()


def test_latest_consent_row_wins():
    contact = make_contact(email=False)
    services.record_consent(
        contact,
        channel=Channel.SMS,
        purpose=Purpose.CONSULTATIONS,
        granted=False,
        source="preferences",
        wording="No",
    )
    assert services.current_consents(contact)[(Channel.SMS, Purpose.CONSULTATIONS)] is False
    campaign = make_campaign(send_email=False)
    assert services.audience_size(campaign) == 0


def test_contact_needs_an_email_or_a_mobile():
    with pytest.raises(IntegrityError):
        Contact.objects.create(name="Nobody")


def test_unsubscribe_withdraws_every_consent_and_suppresses_both_addresses():
    contact = make_contact(purposes=[Purpose.CONSULTATIONS, Purpose.OUTCOMES])
    services.unsubscribe(contact)
    state = services.current_consents(contact)
    assert not any(state.values())
    assert services.is_suppressed(Channel.SMS, str(contact.mobile))
    assert services.is_suppressed(Channel.EMAIL, contact.email)
    assert Consent.objects.filter(contact=contact, granted=False).count() == 4


def test_preferences_token_round_trip_and_tamper():
    contact = make_contact()
    token = services.preferences_token(contact.pk)
    assert services.contact_for_token(token) == contact
    assert services.contact_for_token(token[:-2] + "xx") is None


# --- Status transitions -------------------------------------------------------------------------


def _message(status=MessageStatus.CREATED):
    return Message.objects.create(
        channel=Channel.SMS,
        recipient=MOBILE,
        body="Hi",
        status=status,
        idempotency_key=f"k-{Message.objects.count()}",
    )


@pytest.mark.parametrize(
    ("start", "new", "moves"),
    [
        (MessageStatus.CREATED, MessageStatus.SENT, True),
        (MessageStatus.SENDING, MessageStatus.SENT, True),
        (MessageStatus.SENDING, MessageStatus.DELIVERED, True),
        (MessageStatus.SENT, MessageStatus.DELIVERED, True),
        (MessageStatus.SENT, MessageStatus.PERMANENT_FAILURE, True),
        (MessageStatus.SENT, MessageStatus.SENT, False),
        (MessageStatus.DELIVERED, MessageStatus.SENT, False),
        (MessageStatus.DELIVERED, MessageStatus.PERMANENT_FAILURE, False),
        (MessageStatus.PERMANENT_FAILURE, MessageStatus.DELIVERED, False),
        (MessageStatus.SUPPRESSED, MessageStatus.SENT, False),
        (MessageStatus.SENT, MessageStatus.SENDING, False),
        (MessageStatus.SENT, MessageStatus.CREATED, False),
    ],
)
def test_status_only_moves_forward(start, new, moves):
    message = _message(start)
    assert services.apply_status(message.pk, new) is moves
    message.refresh_from_db()
    assert message.status == (new if moves else start)


def test_only_one_claim_wins():
    message = _message()
    assert services._claim(message.pk) is True
    assert services._claim(message.pk) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.attempts == 1


# --- Fan-out --------------------------------------------------------------------------------


def test_fan_out_respects_consent_district_role_suppression_and_channel_preference():
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    thanet = District.objects.create(name="Thanet", slug="thanet", ons_code="E07000114")
    both = make_contact(1, district=dover, preferred_channel=Channel.EMAIL, parent_role=ParentRole.FATHER)
    sms_only = make_contact(2, email=False, district=dover, parent_role=ParentRole.FATHER)
    make_contact(3, district=thanet, parent_role=ParentRole.FATHER)  # wrong district
    make_contact(4, district=dover, parent_role=ParentRole.MOTHER)  # wrong role
    make_contact(5, district=dover, parent_role=ParentRole.FATHER, purposes=[Purpose.OUTCOMES])  # no consent
    stopped = make_contact(6, email=False, district=dover, parent_role=ParentRole.FATHER)
    services.suppress(Channel.SMS, str(stopped.mobile), SuppressionReason.STOP)

    campaign = make_campaign(audience_roles=[ParentRole.FATHER])
    campaign.audience_districts.set([dover])
    created = services.create_campaign_messages(campaign)

    messages = {(m.contact_id, m.channel): m for m in Message.objects.filter(campaign=campaign)}
    assert created == 3
    assert set(messages) == {(both.pk, Channel.EMAIL), (sms_only.pk, Channel.SMS), (stopped.pk, Channel.SMS)}
    assert messages[(stopped.pk, Channel.SMS)].status == MessageStatus.SUPPRESSED
    sms = messages[(sms_only.pk, Channel.SMS)]
    assert (
        sms.body
        == "Kent Parent Voice: Hi Parent 2, tell us about childcare: https://parentvoice.example.org/c/1/ Reply STOP to stop."
    )
    email = messages[(both.pk, Channel.EMAIL)]
    assert email.subject == "Have your say: childcare"
    assert "Sent by Kent Parent Voice." in email.body
    assert "/unsubscribe/" in email.body and "/preferences/" in email.body


def test_fan_out_twice_creates_no_duplicates():
    for n in range(5):
        make_contact(n)
    campaign = make_campaign(one_channel_per_contact=False)
    assert services.create_campaign_messages(campaign) == 10
    services.create_campaign_messages(campaign)
    assert Message.objects.filter(campaign=campaign).count() == 10


def test_fan_out_query_count_does_not_grow_with_the_audience():
    for n in range(30):
        make_contact(n)
    small = make_campaign()
    with CaptureQueriesContext(connection) as few:
        assert services.create_campaign_messages(small) == 30
    for n in range(30, 120):
        make_contact(n)
    large = make_campaign()
    with CaptureQueriesContext(connection) as many:
        assert services.create_campaign_messages(large) == 120
    # On PostgreSQL each chunk makes the staging table if missing, then a COPY and an INSERT.
    assert len(many) == len(few) <= 10


def test_campaign_sends_through_the_outbox_and_receipts_arrive(
    run_tasks, settings, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDER = "outbox"
    for n in range(3):
        make_contact(n, email=False)
    failing = make_contact(9, email=False)
    Contact.objects.filter(pk=failing.pk).update(
        mobile="+447700900002"
    )  # the outbox's permanent-failure number
    campaign = make_campaign(send_email=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.start_campaign(campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PREPARING
    run_tasks()

    campaign.refresh_from_db()
    counts = services.campaign_counts(campaign)
    assert counts[MessageStatus.DELIVERED] == 3
    assert counts[MessageStatus.PERMANENT_FAILURE] == 1
    assert campaign.status == CampaignStatus.SENT
    assert campaign.recipient_count == 4


def test_start_campaign_refuses_an_incomplete_or_already_started_campaign():
    campaign = make_campaign(sms_template="", send_email=False)
    with pytest.raises(services.CampaignError, match="Write the text message"):
        services.start_campaign(campaign)
    campaign = make_campaign()
    services.start_campaign(campaign)
    with pytest.raises(services.CampaignError, match="already been sent"):
        services.start_campaign(campaign)


def test_cancel_marks_unsent_messages_and_stops_sending(run_tasks):
    for n in range(3):
        make_contact(n, email=False)
    campaign = make_campaign(send_email=False)
    services.create_campaign_messages(campaign)
    services.cancel_campaign(campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CANCELLED
    assert services.campaign_counts(campaign)[MessageStatus.TECHNICAL_FAILURE] == 3
    assert services.send_message(Message.objects.first().pk) == MessageStatus.TECHNICAL_FAILURE


def test_audience_source_registry_limits_the_audience():
    from messaging import audiences

    wanted = make_contact(1)
    make_contact(2)
    audiences.register_audience(
        "test-group", lambda value: Contact.objects.filter(pk=int(value)).values("pk")
    )
    campaign = make_campaign(audience_source=f"test-group:{wanted.pk}")
    assert list(services.audience(campaign).values_list("pk", flat=True)) == [wanted.pk]
    campaign.audience_source = "nope:1"
    assert "No audience called 'nope'" in " ".join(services.campaign_problems(campaign))


def test_link_personaliser_gives_each_person_their_own_link():
    from messaging import audiences

    contact = make_contact(1, email=False)
    audiences.register_link_personaliser(
        "test-links", lambda value, contact_id: f"https://x.test/{value}/{contact_id}"
    )
    campaign = make_campaign(send_email=False, link_personaliser="test-links:42")
    services.create_campaign_messages(campaign)
    assert f"https://x.test/42/{contact.pk}" in Message.objects.get().body


def test_reserved_windows_follow_each_other():
    first = services.reserve_window(Channel.SMS, 100, 10)
    second = services.reserve_window(Channel.SMS, 100, 10)
    assert (second - first).total_seconds() == pytest.approx(10, abs=0.5)


# --- Inbound ------------------------------------------------------------------------------------


def test_stop_suppresses_and_withdraws_consent_then_start_restores_it():
    contact = make_contact(1, email=False, purposes=[Purpose.CONSULTATIONS, Purpose.OUTCOMES])
    mobile = str(contact.mobile)
    reply = services.receive_sms(
        provider_ref="SM1", from_number=mobile, to_number="+447400000001", body="Stop"
    )
    assert "not get any more texts" in reply
    assert Suppression.objects.get(address=mobile).reason == SuppressionReason.STOP
    assert not any(services.current_consents(contact).values())

    reply = services.receive_sms(
        provider_ref="SM2", from_number=mobile, to_number="+447400000001", body="START"
    )
    assert "get texts from us again" in reply
    assert not Suppression.objects.filter(address=mobile).exists()
    assert services.current_consents(contact)[(Channel.SMS, Purpose.OUTCOMES)] is True


def test_inbound_goes_to_registered_handlers_once_per_message_sid():
    from messaging.signals import registry

    calls = []

    def handler(event):
        calls.append(event.body)
        return "Thanks"

    registry.register_keyword("CHILDCARE", handler)
    try:
        first = services.receive_sms(
            provider_ref="SM9", from_number=MOBILE, to_number="", body="childcare please"
        )
        again = services.receive_sms(
            provider_ref="SM9", from_number=MOBILE, to_number="", body="childcare please"
        )
    finally:
        registry.unregister_keyword("CHILDCARE")
    assert first == again == "Thanks"
    assert calls == ["childcare please"]


# --- SMS length -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters count twice
        ("€" * 81, "GSM-7", 2),
        ("ā" * 70, "UCS-2", 1),
        ("ā" * 71, "UCS-2", 2),
        ("Hi 👋", "UCS-2", 1),
    ],
)
def test_segment_counting(text, encoding, segments):
    info = segment_info(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_messages_stranded_by_a_killed_worker_are_queued_again_once(run_tasks, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.SMS_PROVIDER = "outbox"
    for n in range(3):
        make_contact(n, email=False)
    campaign = make_campaign(send_email=False)
    services.create_campaign_messages(campaign)
    first, *rest = Message.objects.filter(campaign=campaign).order_by("pk")
    Message.objects.filter(pk=first.pk).update(status=MessageStatus.SENDING)  # the worker died mid-send
    Message.objects.update(status_changed_at=timezone.now() - timedelta(hours=1))

    call_command("resume_sending", stdout=StringIO())
    call_command("resume_sending", stdout=StringIO())  # nothing left to queue twice
    run_tasks()

    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses[first.pk] == MessageStatus.SENDING
    assert all(statuses[m.pk] == MessageStatus.DELIVERED for m in rest)


@pytest.mark.django_db
def test_an_unsubscribe_written_with_capitals_suppresses_the_address_however_it_is_written():
    from messaging.choices import Channel, SuppressionReason
    from messaging.services.consent import is_suppressed, suppress

    suppress(Channel.EMAIL, " Parent@Example.ORG ", SuppressionReason.UNSUBSCRIBED)
    assert is_suppressed(Channel.EMAIL, "parent@example.org")
    assert is_suppressed(Channel.EMAIL, "PARENT@example.org")
