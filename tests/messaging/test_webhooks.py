"""Signed replays of Twilio's webhooks, and anymail's tracking webhook with basic auth."""

import base64
import json

import pytest
from django.test import override_settings
from twilio.request_validator import RequestValidator

from messaging import services
from messaging.choices import Channel, ConsentSource, MessageStatus, Purpose
from messaging.models import Consent, Contact, InboundMessage, Message, Suppression
from messaging.signals import registry

pytestmark = pytest.mark.django_db
MOBILE = "+447400123456"
STATUS_PATH = "/messaging/twilio/status/"
INBOUND_PATH = "/messaging/twilio/inbound/"


def _signed_post(client, settings, path, params, *, sign_url=None, signature=None):
    url = sign_url or (settings.WAGTAILADMIN_BASE_URL + path)
    if signature is None:
        signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(path, params, **headers)


def _message(status=MessageStatus.SENDING, sid="SM" + "a" * 32):
    return Message.objects.create(
        channel=Channel.SMS,
        recipient=MOBILE,
        body="Hi",
        status=status,
        idempotency_key=f"k{Message.objects.count()}",
        provider_ref=sid,
    )


def _callback(message, status, error_code=""):
    params = {"MessageSid": message.provider_ref, "MessageStatus": status, "AccountSid": "AC1"}
    if error_code:
        params["ErrorCode"] = error_code
    return f"{STATUS_PATH}?m={message.pk}", params


def _status(message):
    message.refresh_from_db()
    return message.status


# --- Status callbacks -------------------------------------------------------------------------


def test_a_signed_callback_updates_the_status(client, settings):
    message = _message()
    path, params = _callback(message, "delivered")
    assert _signed_post(client, settings, path, params).status_code == 204
    assert _status(message) == MessageStatus.DELIVERED


@pytest.mark.parametrize(
    "tamper",
    ["param", "missing", "scheme", "trailing_slash", "other_message"],
)
def test_unsigned_or_tampered_callbacks_are_refused(client, settings, tamper):
    message = _message()
    path, params = _callback(message, "delivered")
    url = settings.WAGTAILADMIN_BASE_URL + path
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    if tamper == "param":
        response = client.post(path, {**params, "MessageStatus": "failed"}, HTTP_X_TWILIO_SIGNATURE=signature)
    elif tamper == "missing":
        response = client.post(path, params)
    elif tamper == "scheme":
        response = _signed_post(client, settings, path, params, sign_url=url.replace("http://", "https://"))
    elif tamper == "trailing_slash":
        response = _signed_post(client, settings, path, params, sign_url=url.replace("/?m=", "?m="))
    else:
        response = client.post(f"{STATUS_PATH}?m={message.pk + 1}", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    assert _status(message) == MessageStatus.SENDING


def test_duplicate_and_out_of_order_callbacks_never_move_a_status_back(client, settings):
    message = _message()
    for status in ["sent", "delivered", "delivered", "sent", "sending", "failed", "undelivered"]:
        path, params = _callback(message, status, "30005" if status in {"failed", "undelivered"} else "")
        assert _signed_post(client, settings, path, params).status_code == 204
    assert _status(message) == MessageStatus.DELIVERED


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        ("undelivered", "30003", MessageStatus.TEMPORARY_FAILURE),
        ("undelivered", "30008", MessageStatus.TEMPORARY_FAILURE),
        ("failed", "30005", MessageStatus.PERMANENT_FAILURE),
        ("failed", "30006", MessageStatus.PERMANENT_FAILURE),
        ("failed", "30002", MessageStatus.TECHNICAL_FAILURE),
        ("sent", "", MessageStatus.SENT),
        ("read", "", MessageStatus.DELIVERED),
    ],
)
def test_twilio_statuses_and_error_codes_map_to_ours(client, settings, status, code, expected):
    message = _message()
    path, params = _callback(message, status, code)
    _signed_post(client, settings, path, params)
    message.refresh_from_db()
    assert message.status == expected
    assert message.error_code == code


def test_a_callback_for_another_providers_message_id_is_ignored(client, settings):
    message = _message()
    path, params = _callback(message, "delivered")
    params["MessageSid"] = "SM" + "b" * 32
    assert _signed_post(client, settings, path, params).status_code == 204
    assert _status(message) == MessageStatus.SENDING


def test_opted_out_error_suppresses_the_number(client, settings):
    message = _message()
    path, params = _callback(message, "failed", "21610")
    _signed_post(client, settings, path, params)
    assert Suppression.objects.filter(channel=Channel.SMS, address=MOBILE).exists()


# A message that has already settled ("sent") takes the one-UPDATE path (receipts._advance_settled_sms):
# it must check what the full path checks.


def test_a_second_receipt_for_another_providers_message_id_is_ignored(client, settings):
    message = _message(status=MessageStatus.SENT)
    path, params = _callback(message, "delivered")
    params["MessageSid"] = "SM" + "b" * 32
    assert _signed_post(client, settings, path, params).status_code == 204
    assert _status(message) == MessageStatus.SENT


def test_a_second_receipt_for_an_email_or_a_settled_message_changes_nothing(client, settings):
    email = _message(status=MessageStatus.SENT)
    Message.objects.filter(pk=email.pk).update(channel=Channel.EMAIL)
    path, params = _callback(email, "delivered")
    _signed_post(client, settings, path, params)
    assert _status(email) == MessageStatus.SENT
    failed = _message(status=MessageStatus.PERMANENT_FAILURE, sid="SM" + "d" * 32)
    path, params = _callback(failed, "delivered")
    _signed_post(client, settings, path, params)
    assert _status(failed) == MessageStatus.PERMANENT_FAILURE


def test_a_second_receipt_records_its_error_and_a_reference_we_did_not_have(client, settings):
    message = _message(status=MessageStatus.SENT, sid="")
    path, params = _callback(message, "undelivered", "30003")
    params["MessageSid"] = "SM" + "e" * 32
    _signed_post(client, settings, path, params)
    message.refresh_from_db()
    assert (message.status, message.error_code, message.provider_ref) == (
        MessageStatus.TEMPORARY_FAILURE,
        "30003",
        "SM" + "e" * 32,
    )


def test_an_opt_out_after_sent_still_suppresses_the_number(client, settings):
    message = _message(status=MessageStatus.SENT)
    path, params = _callback(message, "failed", "21610")
    _signed_post(client, settings, path, params)
    assert _status(message) == MessageStatus.PERMANENT_FAILURE
    assert Suppression.objects.filter(channel=Channel.SMS, address=MOBILE).exists()


@pytest.mark.parametrize("message_id", ["0", "99999999999999999999"])
def test_a_second_receipt_for_a_message_id_out_of_range_changes_nothing(client, settings, message_id):
    message = _message(status=MessageStatus.SENT)
    path, params = _callback(message, "delivered")
    path = f"{STATUS_PATH}?m={message_id}"
    assert _signed_post(client, settings, path, params).status_code == 204
    assert _status(message) == MessageStatus.SENT


# --- The webhooks' short path through the middleware (messaging.webhooks.WebhookMiddleware) ----


def test_webhooks_skip_the_sites_middleware_but_keep_its_protections(client, settings):
    message = _message()
    path, params = _callback(message, "delivered")
    client.cookies["sessionid"] = "anything"
    response = _signed_post(client, settings, path, params)
    assert response.status_code == 204
    assert not response.cookies  # no session, CSRF or language cookie: the middleware below never ran
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware still runs first
    assert not hasattr(response.wsgi_request, "user")


def test_a_webhook_for_a_host_we_do_not_serve_is_refused(client, settings):
    settings.ALLOWED_HOSTS = ["parentvoice.example.org"]
    message = _message()
    path, params = _callback(message, "delivered")
    response = _signed_post(client, settings, path, params)  # the test client's Host is "testserver"
    assert response.status_code == 400
    assert _status(message) == MessageStatus.SENDING


def test_an_address_under_the_webhook_prefixes_that_is_no_webhook_goes_through_the_middleware(client):
    response = client.get("/messaging/twilio/nothing-here/")
    assert response.status_code == 404
    assert hasattr(response.wsgi_request, "user")


def test_a_webhook_runs_in_english_whatever_the_thread_last_served(client, settings):
    from django.utils import translation

    registry.register_keyword("LANG", lambda event: f"Language {translation.get_language()}")
    translation.activate("pl")  # as a /pl/ page served by this thread would leave it
    try:
        response = _inbound(client, settings, "LANG")
    finally:
        registry.unregister_keyword("LANG")
        translation.deactivate()
    assert f"Language {settings.LANGUAGE_CODE}" in response.content.decode()


# --- Inbound texts ----------------------------------------------------------------------------


def _inbound(client, settings, body, sid="SM" + "c" * 32, sender=MOBILE, signature=None):
    params = {"MessageSid": sid, "From": sender, "To": "+447400000001", "Body": body, "AccountSid": "AC1"}
    return _signed_post(client, settings, INBOUND_PATH, params, signature=signature)


def _contact():
    contact = Contact.objects.create(name="Pat", mobile=MOBILE)
    for purpose in (Purpose.CONSULTATIONS, Purpose.OUTCOMES):
        services.record_consent(
            contact,
            channel=Channel.SMS,
            purpose=purpose,
            granted=True,
            source=ConsentSource.WEB_FORM,
            wording="Yes",
        )
    return contact


@pytest.mark.parametrize("word", ["STOP", "stop", "Stopall", "UNSUBSCRIBE", "cancel", "quit"])
def test_stop_words_suppress_withdraw_consent_and_reply_in_twiml(client, settings, word):
    contact = _contact()
    response = _inbound(client, settings, f" {word} ")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    body = response.content.decode()
    assert "<Response><Message>" in body and "Text START to get them again" in body
    assert Suppression.objects.get(channel=Channel.SMS, address=MOBILE).reason == "stop"
    assert Consent.objects.filter(contact=contact, granted=False, source="sms_stop").count() == 2


def test_start_lifts_the_suppression(client, settings):
    _contact()
    _inbound(client, settings, "STOP", sid="SM1")
    response = _inbound(client, settings, "Start", sid="SM2")
    assert "get texts from us again" in response.content.decode()
    assert not Suppression.objects.exists()


def test_help_gets_a_reply(client, settings):
    assert "we send texts about consultations" in _inbound(client, settings, "HELP").content.decode()


def test_other_texts_go_to_registered_handlers_and_duplicates_are_answered_once(client, settings):
    calls = []

    def childcare(event):
        calls.append(event.body)
        return "Question 1: how old is your child?"

    def fallback(event):
        calls.append(("fallback", event.body))
        return None

    registry.register_keyword("CHILDCARE", childcare)
    registry.register_fallback(fallback)
    try:
        first = _inbound(client, settings, "Childcare")
        duplicate = _inbound(client, settings, "Childcare")
        unknown = _inbound(client, settings, "hello there", sid="SM" + "d" * 32)
    finally:
        registry.unregister_keyword("CHILDCARE")
        registry.unregister_fallback(fallback)
    assert "Question 1: how old is your child?" in first.content.decode()
    assert first.content == duplicate.content
    assert calls == ["Childcare", ("fallback", "hello there")]
    assert unknown.content.decode().strip().endswith("<Response />")
    assert InboundMessage.objects.count() == 2


def test_inbound_without_a_valid_signature_is_refused(client, settings):
    assert _inbound(client, settings, "STOP", signature="bad").status_code == 403
    assert _inbound(client, settings, "STOP", signature="").status_code == 403
    assert not InboundMessage.objects.exists()


# --- Email tracking (anymail, Postmark's webhook format) -----------------------------------


# Only the configured provider's tracking webhook is mounted: Postmark's here.
POSTMARK = {
    "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
    "ANYMAIL": {"WEBHOOK_SECRET": "hook:secret-password"},
}


def _postmark(client, payload, auth="hook:secret-password"):
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    return client.post(
        "/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json", **headers
    )


def _email():
    return Message.objects.create(
        channel=Channel.EMAIL,
        recipient="pat@example.org",
        body="Hi",
        status=MessageStatus.SENT,
        idempotency_key="e1",
        provider_ref="pm-1",
    )


@override_settings(**POSTMARK)
def test_email_delivery_event_maps_back_by_metadata(client):
    message = _email()
    payload = {
        "RecordType": "Delivery",
        "MessageID": "pm-1",
        "Recipient": "pat@example.org",
        "DeliveredAt": "2026-11-24T10:00:00Z",
        "Metadata": {"message_id": str(message.pk)},
    }
    assert _postmark(client, payload).status_code == 200
    assert _status(message) == MessageStatus.DELIVERED


@override_settings(**POSTMARK)
def test_hard_bounce_fails_the_message_and_suppresses_the_address(client):
    message = _email()
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "pm-1",
        "Email": "pat@example.org",
        "BouncedAt": "2026-11-24T10:00:00Z",
        "Description": "The server was unable to deliver your message",
        "Metadata": {"message_id": str(message.pk)},
    }
    assert _postmark(client, payload).status_code == 200
    assert _status(message) == MessageStatus.PERMANENT_FAILURE
    assert Suppression.objects.get(channel=Channel.EMAIL).reason == "hard_bounce"


@override_settings(**POSTMARK)
def test_spam_complaint_suppresses_the_address(client):
    _email()
    payload = {
        "RecordType": "SpamComplaint",
        "MessageID": "pm-1",
        "Email": "Pat@Example.org",
        "BouncedAt": "2026-11-24T10:00:00Z",
        "Type": "SpamComplaint",
        "TypeCode": 512,
    }
    assert _postmark(client, payload).status_code == 200
    assert Suppression.objects.get(channel=Channel.EMAIL, address="pat@example.org").reason == "complaint"


@override_settings(**POSTMARK)
def test_email_webhook_without_basic_auth_is_refused(client):
    message = _email()
    payload = {
        "RecordType": "Delivery",
        "MessageID": "pm-1",
        "Recipient": "pat@example.org",
        "DeliveredAt": "2026-11-24T10:00:00Z",
    }
    assert _postmark(client, payload, auth=None).status_code == 400
    assert _postmark(client, payload, auth="hook:wrong").status_code == 400
    assert _status(message) == MessageStatus.SENT
