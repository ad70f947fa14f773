"""Double opt-in: only the owner of an address can attach it to a contact, record a consent or lift
an unsubscribe. A stranger who knows a parent's email or mobile changes nothing."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import services
from messaging.choices import Channel, ConfirmedBy, ConsentSource, MessageStatus, Purpose, SuppressionReason
from messaging.models import AddressConfirmation, Consent, Contact, InboundMessage, Message, Suppression
from parentvoice.models import District
from tests.factories import ConsentFactory, ContactFactory

pytestmark = pytest.mark.django_db
URL = "/keep-me-informed/"
PARENT_EMAIL = "parent@example.org"
PARENT_MOBILE = "+447400123456"
STRANGER_MOBILE = "+447400999888"


def _sign_up(client, **data):
    payload = {"name": "", "email": "", "mobile": "", "purposes": [Purpose.CONSULTATIONS]}
    payload.update(data)
    return client.post(URL, payload)


def _confirmation_path(address):
    message = Message.objects.filter(
        recipient=address, idempotency_key__startswith="confirm-address:"
    ).latest("pk")
    return re.search(r"http://testserver(/confirm/\S+?/)", message.body).group(1)


def _parent(**fields):
    district = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    contact = ContactFactory(
        name="Amira", email=PARENT_EMAIL, mobile=None, district=district, parent_role="mother", **fields
    )
    ConsentFactory(contact=contact, channel=Channel.EMAIL, purpose=Purpose.CONSULTATIONS)
    return contact


def _snapshot(contact):
    contact.refresh_from_db()
    return (contact.name, contact.email, contact.mobile, contact.district_id, contact.parent_role,
            contact.preferred_channel, contact.consents.count())  # fmt: skip


def test_a_stranger_who_knows_a_parents_email_changes_nothing(client, home_page):
    parent = _parent()
    services.unsubscribe(parent)
    before = _snapshot(parent)
    response = _sign_up(
        client,
        name="Someone else",
        email=PARENT_EMAIL,
        mobile=STRANGER_MOBILE,
        purposes=[Purpose.CONSULTATIONS, Purpose.OUTCOMES],
        preferred_channel="sms",
        role="father",
    )
    assert response.status_code == 302
    assert _snapshot(parent) == before  # not renamed, no mobile attached, no consent recorded
    assert services.is_suppressed(Channel.EMAIL, PARENT_EMAIL)  # the unsubscribe stays
    page = client.get(response["Location"]).content.decode()
    assert "Check your email and your phone" in page
    assert PARENT_EMAIL not in page and STRANGER_MOBILE not in page

    # The stranger confirms their own mobile: it becomes a contact of its own, never the parent's.
    client.post(_confirmation_path(STRANGER_MOBILE))
    assert _snapshot(parent) == before
    stranger = Contact.objects.get(mobile=STRANGER_MOBILE)
    assert stranger.pk != parent.pk and stranger.email is None
    # ... so the parent's personal links (preferences, invitations) never reach the stranger.
    assert not Message.objects.filter(recipient=STRANGER_MOBILE, contact=parent).exists()


def test_the_owner_confirming_records_consent_with_its_evidence_and_lifts_their_unsubscribe(
    client, home_page
):
    parent = _parent()
    services.unsubscribe(parent)
    # The confirmation still reaches someone who unsubscribed: confirming is how they come back.
    _sign_up(client, email=PARENT_EMAIL, purposes=[Purpose.OUTCOMES])
    confirmation_message = Message.objects.get(idempotency_key__startswith="confirm-address:")
    assert services.send_message(confirmation_message.pk) != MessageStatus.SUPPRESSED
    path = _confirmation_path(PARENT_EMAIL)

    page = client.get(path)  # mail scanners open links: looking changes nothing
    assert "Confirm your email address" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]
    assert services.is_suppressed(Channel.EMAIL, PARENT_EMAIL)

    client.post(path)
    assert not services.is_suppressed(Channel.EMAIL, PARENT_EMAIL)
    consent = Consent.objects.filter(contact=parent, granted=True, purpose=Purpose.OUTCOMES).get()
    confirmation = AddressConfirmation.objects.get()
    assert consent.confirmed_by == ConfirmedBy.EMAIL_LINK
    assert consent.confirmed_address == PARENT_EMAIL
    assert consent.confirmed_at == confirmation.confirmed_at
    assert consent.confirmation == confirmation
    assert consent.wording == confirmation.wording and "2 texts or emails a month" in consent.wording
    parent.refresh_from_db()
    assert parent.name == "Amira"  # an existing contact's details are never overwritten

    client.post(path)  # a second click records nothing more
    assert Consent.objects.filter(contact=parent, purpose=Purpose.OUTCOMES).count() == 1


def test_a_hard_bounce_or_complaint_is_never_lifted(client, home_page):
    parent = _parent()
    services.suppress(Channel.EMAIL, PARENT_EMAIL, SuppressionReason.COMPLAINT)
    _sign_up(client, email=PARENT_EMAIL)
    message = Message.objects.get(idempotency_key__startswith="confirm-address:")
    assert services.send_message(message.pk) == MessageStatus.SUPPRESSED
    services.confirm_address(AddressConfirmation.objects.get().pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    assert Suppression.objects.get().reason == SuppressionReason.COMPLAINT
    assert parent.pk


def test_links_expire_and_an_expired_link_records_nothing(client, home_page, settings):
    _sign_up(client, email="new@example.org")
    path = _confirmation_path("new@example.org")
    AddressConfirmation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(path)
    assert response.status_code == 404
    assert "This link has expired" in response.content.decode()
    assert not Contact.objects.exists() and not Consent.objects.exists()
    assert client.post("/confirm/1:tampered/").status_code == 404


def test_a_new_parent_confirming_both_addresses_becomes_one_contact_with_their_details(client, home_page):
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    _sign_up(
        client,
        name="Pat",
        email="pat@example.org",
        mobile="07400 111222",
        district=dover.pk,
        role="grandparent",
        preferred_channel="sms",
        purposes=[Purpose.CONSULTATIONS],
    )
    assert not Contact.objects.exists()
    client.post(_confirmation_path("pat@example.org"))
    client.post(_confirmation_path("+447400111222"))
    contact = Contact.objects.get()
    assert (contact.name, contact.email, str(contact.mobile)) == ("Pat", "pat@example.org", "+447400111222")
    assert (contact.district, contact.parent_role, contact.preferred_channel) == (dover, "grandparent", "sms")
    assert services.current_consents(contact) == {
        (Channel.EMAIL, Purpose.CONSULTATIONS): True,
        (Channel.SMS, Purpose.CONSULTATIONS): True,
    }
    assert set(contact.consents.values_list("confirmed_by", flat=True)) == {
        ConfirmedBy.EMAIL_LINK,
        ConfirmedBy.SMS_LINK,
    }


def test_an_email_of_one_contact_and_a_mobile_of_another_are_never_merged(client, home_page):
    by_email = ContactFactory(name="A", email="a@example.org", mobile=None)
    by_mobile = ContactFactory(name="B", email=None, mobile=PARENT_MOBILE)
    response = _sign_up(client, email="a@example.org", mobile=PARENT_MOBILE)
    assert response.status_code == 302
    client.post(_confirmation_path("a@example.org"))
    client.post(_confirmation_path(PARENT_MOBILE))
    by_email.refresh_from_db()
    by_mobile.refresh_from_db()
    assert (by_email.email, by_email.mobile) == ("a@example.org", None)
    assert (by_mobile.email, str(by_mobile.mobile)) == (None, PARENT_MOBILE)
    assert services.current_consents(by_email) == {(Channel.EMAIL, Purpose.CONSULTATIONS): True}
    assert services.current_consents(by_mobile) == {(Channel.SMS, Purpose.CONSULTATIONS): True}
    assert Contact.objects.count() == 2


def test_replying_yes_to_the_confirmation_text_confirms_the_number(client, home_page):
    _sign_up(client, mobile="07400 111222", purposes=[Purpose.FORUM_EVENTS])
    text = Message.objects.get(recipient="+447400111222")
    assert "Reply YES" in text.body and "Reply STOP to stop" in text.body
    reply = services.receive_sms(provider_ref="SM1", from_number="+447400111222", to_number="+1", body="Yes")
    assert "you're signed up" in reply
    consent = Consent.objects.get()
    # The reply is their copy of the link to change their mind later.
    assert services.preferences_url(consent.contact_id) in reply
    assert (consent.channel, consent.purpose, consent.confirmed_by) == (
        Channel.SMS,
        Purpose.FORUM_EVENTS,
        ConfirmedBy.SMS_REPLY,
    )
    assert InboundMessage.objects.get().handled_by == "confirm"


def test_a_yes_from_a_number_with_nothing_waiting_confirms_nothing(home_page):
    services.receive_sms(provider_ref="SM2", from_number=PARENT_MOBILE, to_number="+1", body="YES")
    assert not Consent.objects.exists() and not Contact.objects.exists()


def test_opting_back_in_on_the_preferences_page_lifts_the_persons_own_unsubscribe(client, home_page):
    parent = _parent()
    services.unsubscribe(parent)
    token = services.preferences_token(parent.pk)
    response = client.post(f"/preferences/{token}/", {"email": [Purpose.CONSULTATIONS]}, follow=True)
    assert not services.is_suppressed(Channel.EMAIL, PARENT_EMAIL)
    assert "You will get emails from us again" in response.content.decode()
    consent = parent.consents.latest("recorded_at", "id")
    assert (consent.granted, consent.source, consent.confirmed_by) == (
        True,
        ConsentSource.PREFERENCES,
        ConfirmedBy.PERSONAL_LINK,
    )


@pytest.mark.parametrize(
    ("mobile", "message"),
    [
        ("+33 6 12 34 56 78", "We cannot text numbers outside the UK"),
        ("+1 202 555 0100", "We cannot text numbers outside the UK"),
        ("07624 123456", "We cannot text numbers outside the UK"),  # Isle of Man
        ("0121 234 5678", "not landlines"),
        ("07400 12", "Enter a UK mobile number"),
        ("07400 12²", "Enter a UK mobile number"),
    ],
)
def test_only_uk_mobiles_are_texted(client, home_page, mobile, message):
    response = _sign_up(client, mobile=mobile)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AddressConfirmation.objects.exists() and not Message.objects.exists()


def test_a_filled_in_honeypot_is_refused_and_nothing_is_sent(client, home_page):
    page = client.get(URL).content.decode()
    assert 'aria-hidden="true"' in page and 'tabindex="-1"' in page
    response = _sign_up(client, email="bot@example.org", extra_details="http://spam.example")
    assert response.status_code == 200
    assert "We could not accept this form" in response.content.decode()
    assert not AddressConfirmation.objects.exists() and not Message.objects.exists()


def test_a_yes_inside_a_text_conversation_is_left_to_that_conversation(client, home_page):
    _sign_up(client, mobile="07400 111222")
    services.receive_sms(provider_ref="SM3", from_number="+447400111222", to_number="+1", body="SUPPORT")
    services.receive_sms(provider_ref="SM4", from_number="+447400111222", to_number="+1", body="yes")
    assert not Consent.objects.exists()
    assert AddressConfirmation.objects.get().confirmed_at is None


def test_a_used_link_stops_working_when_it_expires(client, home_page):
    _sign_up(client, email="new@example.org")
    path = _confirmation_path("new@example.org")
    client.post(path)
    AddressConfirmation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 404


def test_full_width_digits_are_read_as_the_number_they_spell(client, home_page):
    assert _sign_up(client, mobile="07400 １２３４５６").status_code == 302
    assert AddressConfirmation.objects.get().address == PARENT_MOBILE


def test_a_stranger_confirming_their_own_mobile_never_joins_it_to_the_parent(home_page):
    """The form links the two addresses, and a stranger writes the form: each owner confirming on their
    own device keeps their address on their own contact."""
    from django.test import Client

    parent = _parent()
    stranger, parent_browser = Client(), Client()
    _sign_up(stranger, name="Someone", email=PARENT_EMAIL, mobile=STRANGER_MOBILE, preferred_channel="sms")
    parent_browser.post(_confirmation_path(PARENT_EMAIL))  # the parent does want to hear from us
    stranger.post(_confirmation_path(STRANGER_MOBILE))
    parent.refresh_from_db()
    assert parent.mobile is None and parent.preferred_channel == ""
    assert Contact.objects.get(mobile=STRANGER_MOBILE).email is None


def test_two_new_addresses_confirmed_on_different_devices_stay_apart(home_page):
    from django.test import Client

    _sign_up(Client(), email="new@example.org", mobile=STRANGER_MOBILE)
    Client().post(_confirmation_path("new@example.org"))
    Client().post(_confirmation_path(STRANGER_MOBILE))
    assert Contact.objects.get(email="new@example.org").mobile is None
    assert Contact.objects.get(mobile=STRANGER_MOBILE).email is None


def test_a_number_that_texted_us_lately_is_not_offered_yes_and_its_yes_confirms_nothing(client, home_page):
    services.receive_sms(provider_ref="SM5", from_number=PARENT_MOBILE, to_number="+1", body="Hello")
    _sign_up(client, mobile=PARENT_MOBILE)
    text = Message.objects.get(recipient=PARENT_MOBILE, idempotency_key__startswith="confirm-address:")
    assert "Reply YES" not in text.body and "/confirm/" in text.body
    services.receive_sms(provider_ref="SM6", from_number=PARENT_MOBILE, to_number="+1", body="Yes")
    assert not Consent.objects.exists()
