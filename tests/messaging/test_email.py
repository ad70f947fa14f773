import pytest
from django.core import mail
from django.test import override_settings

from messaging import services
from messaging.choices import Channel, ConsentSource, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message
from messaging.providers import reset_providers

pytestmark = pytest.mark.django_db


@pytest.fixture
def anymail_test_backend():
    # pytest-django forces the locmem backend; anymail's test backend records ESP parameters.
    with override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend"):
        reset_providers()
        yield
    reset_providers()


def _email_campaign():
    contact = Contact.objects.create(name="Pat", email="pat@example.org")
    services.record_consent(
        contact,
        channel=Channel.EMAIL,
        purpose=Purpose.OUTCOMES,
        granted=True,
        source=ConsentSource.WEB_FORM,
        wording="Yes",
    )
    campaign = Campaign.objects.create(
        name="Outcome",
        kind="outcome_notice",
        purpose=Purpose.OUTCOMES,
        send_sms=False,
        email_subject="What we did: ((title))",
        email_template="Hello ((name)),\n\nYou said, we did: ((link))",
        title="childcare",
        link_url="https://x.test/log/",
    )
    services.create_campaign_messages(campaign)
    return contact, Message.objects.get(campaign=campaign)


def test_campaign_email_carries_metadata_unsubscribe_headers_links_and_sender(anymail_test_backend):
    contact, message = _email_campaign()
    assert services.send_message(message.pk) == MessageStatus.SENT
    sent = mail.outbox[0]
    assert sent.to == ["pat@example.org"]
    assert sent.subject == "What we did: childcare"
    assert sent.anymail_test_params["metadata"] == {"message_id": str(message.pk)}
    token = services.preferences_token(contact.pk)
    assert sent.extra_headers["List-Unsubscribe"] == f"<http://testserver/unsubscribe/{token}/>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://testserver/preferences/{token}/" in sent.body
    assert "Sent by Kent Parent Voice." in sent.body
    message.refresh_from_db()
    assert message.provider == "email" and message.provider_ref


def test_an_email_to_a_suppressed_address_is_not_sent(anymail_test_backend):
    _, message = _email_campaign()
    services.suppress(Channel.EMAIL, "pat@example.org", "complaint")
    assert services.send_message(message.pk) == MessageStatus.SUPPRESSED
    assert mail.outbox == []


class FakePostmark:
    """Postmark's send API on 127.0.0.1, for anymail's real Postmark backend."""

    def __init__(self, replies):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        fake = self
        self.replies, self.calls = list(replies), []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.calls.append(body)
                status, reply = fake.replies.pop(0)
                payload = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


ACCEPTED = {
    "To": "pat@example.org",
    "SubmittedAt": "2026-11-24T10:00:00Z",
    "MessageID": "pm-42",
    "ErrorCode": 0,
    "Message": "OK",
}


@pytest.mark.parametrize(
    ("replies", "status_after"),
    [
        ([(200, ACCEPTED)], MessageStatus.SENT),
        ([(500, {"ErrorCode": 500, "Message": "Server error"})], MessageStatus.CREATED),  # retried later
        ([(422, {"ErrorCode": 300, "Message": "Invalid email request"})], MessageStatus.PERMANENT_FAILURE),
    ],
)
def test_email_through_anymails_postmark_backend_against_a_local_fake(replies, status_after):
    fake = FakePostmark(replies)
    try:
        with override_settings(
            EMAIL_BACKEND="anymail.backends.postmark.EmailBackend",
            ANYMAIL={"POSTMARK_SERVER_TOKEN": "test-token", "POSTMARK_API_URL": fake.url},
        ):
            reset_providers()
            _, message = _email_campaign()
            assert services.send_message(message.pk) == status_after
    finally:
        fake.close()
        reset_providers()
    sent = fake.calls[0]
    assert sent["To"] == "pat@example.org" and sent["Metadata"] == {"message_id": str(message.pk)}
    message.refresh_from_db()
    if status_after == MessageStatus.SENT:
        assert message.provider_ref == "pm-42"
