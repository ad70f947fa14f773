"""The email provider's tracking webhook: only the configured provider's is mounted, a malformed body is a
400 (never a 500), and a bounce or complaint counts only for an email we sent to that address."""

import base64
import json

import pytest
from django.test import override_settings

from messaging import services
from messaging.choices import Channel, MessageStatus
from messaging.models import Message, Suppression
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

SECRET = "hook:secret-password"
POSTMARK = {"EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend", "ANYMAIL": {"WEBHOOK_SECRET": SECRET}}
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
TRACKING = "/anymail/postmark/tracking/"


def _post(client, path, body, content_type="application/json"):
    return client.post(path, body, content_type=content_type, **AUTH)


def _sent_email(**fields):
    fields = {"recipient": "pat@example.org", "provider_ref": "pm-1", "status": MessageStatus.SENT, **fields}
    return MessageFactory(channel=Channel.EMAIL, **fields)


def _bounce(message_id="pm-1", email="pat@example.org", metadata=None):
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": message_id,
        "Email": email,
        "BouncedAt": "2026-11-24T10:00:00Z",
        "Description": "The server was unable to deliver your message",
    }
    if metadata is not None:
        payload["Metadata"] = metadata
    return json.dumps(payload)


def _complaint(message_id="pm-1", email="pat@example.org"):
    return json.dumps(
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "TypeCode": 512,
            "MessageID": message_id,
            "Email": email,
            "BouncedAt": "2026-11-24T10:00:00Z",
        }
    )


# --- Only the configured provider's tracking webhook is mounted ----------------------------------


@override_settings(**POSTMARK)
@pytest.mark.parametrize(
    "path",
    [
        "/anymail/mailgun/tracking/",
        "/anymail/sendgrid/tracking/",
        "/anymail/amazon_ses/tracking/",
        "/anymail/mandrill/",
        "/anymail/mandrill/tracking/",
        "/anymail/postmark/inbound/",
        "/anymail/nobody/tracking/",
    ],
)
def test_other_providers_webhooks_are_not_found(client, path):
    assert _post(client, path, _bounce()).status_code == 404


@override_settings(
    EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
    ANYMAIL={"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": "test-signing-key"},
)
def test_the_webhook_follows_the_email_backend(client):
    assert _post(client, TRACKING, _bounce()).status_code == 404
    # Mailgun's own view answers (and refuses an unsigned body), rather than a 404.
    assert _post(client, "/anymail/mailgun/tracking/", "{}").status_code == 400


@override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_no_tracking_webhook_without_an_email_provider(client):
    assert _post(client, TRACKING, _bounce()).status_code == 404


@override_settings(**POSTMARK)
@pytest.mark.parametrize(
    "body",
    [
        "this is not JSON",
        "{",
        "",
        json.dumps([{"RecordType": "Bounce"}]),  # JSON, but a list
        json.dumps("a string"),
        json.dumps({"RecordType": "Bounce", "Type": ["HardBounce"], "Email": "pat@example.org"}),
        json.dumps({"RecordType": "Delivery", "DeliveredAt": 20261124}),
        json.dumps({"FromFull": {"Email": "pat@example.org"}}),  # an inbound email, on the tracking hook
    ],
)
def test_a_malformed_body_is_a_400_and_changes_nothing(client, body):
    message = _sent_email()
    assert _post(client, TRACKING, body).status_code == 400
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not Suppression.objects.exists()


@override_settings(**POSTMARK)
def test_fields_of_the_wrong_type_are_ignored_not_a_500(client):
    message = _sent_email()
    body = json.dumps(
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "MessageID": {"id": "pm-1"},
            "Email": ["pat@example.org"],
            "Description": 42,
        }
    )
    assert _post(client, TRACKING, body).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not Suppression.objects.exists()


@override_settings(**POSTMARK)
def test_a_message_id_too_big_for_the_database_is_not_a_500(client):
    _sent_email()
    body = _bounce(message_id="unknown", metadata={"message_id": "9" * 40})
    assert _post(client, TRACKING, body).status_code == 200
    assert not Suppression.objects.exists()


# --- A bounce or complaint counts only for an email we sent -------------------------------------


@override_settings(**POSTMARK)
def test_a_bounce_for_an_unknown_message_suppresses_nothing(client):
    _sent_email()
    for body in [
        _bounce(message_id="pm-unknown"),
        _bounce(message_id="pm-unknown", metadata={"message_id": "999999"}),
        _complaint(message_id="pm-unknown"),
        _bounce(message_id=""),
    ]:
        assert _post(client, TRACKING, body).status_code == 200
    assert not Suppression.objects.exists()


@override_settings(**POSTMARK)
def test_a_bounce_for_an_address_we_did_not_send_it_to_changes_nothing(client):
    message = _sent_email()
    for body in [
        _bounce(email="someone.else@example.org"),
        _bounce(email="someone.else@example.org", metadata={"message_id": str(message.pk)}),
        _complaint(email="someone.else@example.org"),
    ]:
        assert _post(client, TRACKING, body).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not Suppression.objects.exists()


@override_settings(**POSTMARK)
def test_our_id_and_the_providers_must_agree(client):
    message = _sent_email()
    other = _sent_email(recipient="sam@example.org", provider_ref="pm-2")
    body = _bounce(message_id="pm-2", email="pat@example.org", metadata={"message_id": str(message.pk)})
    assert _post(client, TRACKING, body).status_code == 200
    assert not Suppression.objects.exists()
    assert {m.status for m in Message.objects.filter(pk__in=[message.pk, other.pk])} == {MessageStatus.SENT}


@override_settings(**POSTMARK)
def test_a_bounce_for_a_message_never_sent_suppresses_nothing(client):
    message = _sent_email(status=MessageStatus.CREATED, provider_ref="")
    assert _post(client, TRACKING, _bounce(metadata={"message_id": str(message.pk)})).status_code == 200
    assert not Suppression.objects.exists()


@override_settings(**POSTMARK)
def test_a_bounce_for_a_message_we_sent_suppresses_that_address(client):
    message = _sent_email(recipient="Pat@Example.org")
    assert _post(client, TRACKING, _bounce(email="pat@example.org ")).status_code == 200
    assert Suppression.objects.get().address == "pat@example.org"
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE


def test_record_email_event_without_a_message_changes_nothing():
    assert services.record_email_event(event_type="complained", recipient="pat@example.org") is False
    assert services.record_email_event(event_type="bounced", recipient="") is False
    assert not Suppression.objects.exists()
