import re

import pytest
from django.test import Client

from messaging import services
from messaging.choices import Channel, Purpose, SuppressionReason
from messaging.forms import CONSENT_WORDING
from messaging.models import Consent, Contact, Message, Suppression

pytestmark = pytest.mark.django_db
URL = "/keep-me-informed/"
MOBILE = "+447400123456"


def _confirmation_path(address):
    message = Message.objects.filter(
        recipient=address, idempotency_key__startswith="confirm-address:"
    ).latest("pk")
    return re.search(r"http://testserver(/confirm/\S+?/)", message.body).group(1)


def _sign_up(client, **data):
    payload = {
        "name": "Pat",
        "email": "",
        "mobile": "",
        "purposes": [Purpose.CONSULTATIONS],
        "preferred_channel": "sms",
    }
    payload.update(data)
    return client.post(URL, payload)


def test_sign_up_records_consent_per_channel_and_purpose_with_the_exact_wording(client, demo):
    response = _sign_up(
        client,
        email="Pat@Example.org",
        mobile="07400 123456",
        purposes=[Purpose.CONSULTATIONS, Purpose.OUTCOMES],
    )
    assert response["Location"] == "/keep-me-informed/check/?sent=email&sent=sms"
    assert "Check your email and your phone" in client.get(response["Location"]).content.decode()
    for address in ("pat@example.org", MOBILE):
        confirmed = client.post(_confirmation_path(address))
    contact = Contact.objects.get(email="pat@example.org")
    assert str(contact.mobile) == MOBILE
    consents = set(
        Consent.objects.filter(contact=contact).values_list("channel", "purpose", "granted", "wording")
    )
    assert consents == {
        (channel, purpose, True, CONSENT_WORDING)
        for channel in (Channel.SMS, Channel.EMAIL)
        for purpose in (Purpose.CONSULTATIONS, Purpose.OUTCOMES)
    }
    assert "You have signed up" in confirmed.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter an email address or a mobile number"),
        ({"mobile": "07400 12"}, "Enter a UK mobile number"),
        ({"mobile": "0121 234 5678"}, "Enter a mobile number: we can only send texts to mobiles"),
        ({"email": "not-an-email"}, "Enter an email address in the right format"),
        ({"email": "a@example.org", "purposes": []}, "Select what you want to hear about"),
    ],
)
def test_sign_up_errors_are_specific_and_keep_what_was_typed(client, demo, data, message):
    response = _sign_up(client, name="Typed name", **data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "govuk-error-summary" in html
    assert 'value="Typed name"' in html
    assert Contact.objects.filter(name="Typed name").count() == 0


def test_signing_up_again_lifts_an_unsubscribe_but_not_a_bounce(client, demo):
    _sign_up(client, email="a@example.org", mobile=MOBILE)
    client.post(_confirmation_path("a@example.org"))
    client.post(_confirmation_path(MOBILE))
    contact = Contact.objects.get(email="a@example.org")
    services.unsubscribe(contact)
    Suppression.objects.filter(channel=Channel.EMAIL).update(reason=SuppressionReason.HARD_BOUNCE)
    _sign_up(client, email="a@example.org", mobile=MOBILE)
    assert services.is_suppressed(Channel.SMS, MOBILE)  # nothing changes until the owner confirms
    client.post(_confirmation_path("a@example.org"))
    client.post(_confirmation_path(MOBILE))
    assert not services.is_suppressed(Channel.SMS, MOBILE)
    assert services.is_suppressed(Channel.EMAIL, "a@example.org")


def _contact():
    contact = Contact.objects.create(name="Pat", email="pat@example.org", mobile=MOBILE)
    services.record_consent(
        contact,
        channel=Channel.EMAIL,
        purpose=Purpose.CONSULTATIONS,
        granted=True,
        source="web_form",
        wording="Yes",
    )
    return contact, services.preferences_token(contact.pk)


def test_preferences_page_masks_addresses_and_records_only_changes(client, demo):
    contact, token = _contact()
    html = client.get(f"/preferences/{token}/").content.decode()
    assert "pat@example.org" not in html and MOBILE not in html
    assert "p•••@example.org" in html and "ending 456" in html
    response = client.post(
        f"/preferences/{token}/", {"email": [Purpose.CONSULTATIONS], "sms": [Purpose.OUTCOMES]}
    )
    assert response.status_code == 302
    assert Consent.objects.filter(contact=contact).count() == 2  # only the new SMS outcomes consent was added
    assert services.current_consents(contact)[(Channel.SMS, Purpose.OUTCOMES)] is True
    assert "Your choices have been saved" in client.get(f"/preferences/{token}/").content.decode()


def test_a_tampered_link_shows_nothing_personal(client, demo):
    _contact()
    for path in ("/preferences/nope/", "/unsubscribe/nope/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_unsubscribe_get_changes_nothing_and_post_unsubscribes(client, demo):
    contact, token = _contact()
    client.get(f"/unsubscribe/{token}/")
    assert not Suppression.objects.exists()
    response = client.post(f"/unsubscribe/{token}/")
    assert "You have unsubscribed" in response.content.decode()
    assert services.is_suppressed(Channel.EMAIL, "pat@example.org")
    assert services.current_consents(contact)[(Channel.EMAIL, Purpose.CONSULTATIONS)] is False


def test_one_click_unsubscribe_needs_no_csrf_token_but_other_posts_do(demo):
    contact, token = _contact()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/unsubscribe/{token}/", {}).status_code == 403
    assert not Suppression.objects.exists()
    response = strict.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert services.is_suppressed(Channel.EMAIL, "pat@example.org")


def test_confirming_a_sign_up_sends_the_preferences_link_and_shows_it(client, home_page):
    _sign_up(client, email="pat@example.org", mobile=MOBILE)
    confirmed = client.post(_confirmation_path("pat@example.org"))
    contact = Contact.objects.get(email="pat@example.org")
    link = services.preferences_url(contact.pk)
    welcome = Message.objects.get(idempotency_key__startswith="signed-up:", recipient="pat@example.org")
    assert link in welcome.body and "You're signed up" in welcome.subject
    html = confirmed.content.decode()
    assert f'href="/preferences/{services.preferences_token(contact.pk)}/"' in html
    assert client.get(re.search(r"http://testserver(/\S+)", link).group(1)).status_code == 200
    # Confirming the same link again sends nothing more.
    client.post(_confirmation_path("pat@example.org"))
    assert Message.objects.filter(idempotency_key__startswith="signed-up:").count() == 1
    # The text: confirmed from its link, it also gets the preferences link.
    client.post(_confirmation_path(MOBILE))
    text = Message.objects.get(idempotency_key__startswith="signed-up:", recipient=MOBILE)
    assert link in text.body


def test_a_yes_reply_does_not_get_a_second_welcome_text(home_page):
    from messaging.choices import ConfirmedBy

    sign_up = services.request_sign_up(
        email=None, mobile=MOBILE, purposes=[Purpose.CONSULTATIONS], wording=CONSENT_WORDING
    )
    services.confirm_address(sign_up.confirmations[0].pk, confirmed_by=ConfirmedBy.SMS_REPLY)
    assert not Message.objects.filter(idempotency_key__startswith="signed-up:").exists()
