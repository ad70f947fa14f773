"""SMS pumping: a daily cap on service messages per recipient, and HELP answered once an hour."""

import pytest
from twilio.request_validator import RequestValidator

from messaging import services
from messaging.choices import Channel, MessageStatus
from messaging.models import InboundMessage, Message

pytestmark = pytest.mark.django_db
MOBILE, OTHER = "+447400123456", "+447400654321"


def _send(n, recipient=MOBILE, channel=Channel.SMS):
    return services.send_service_message(
        channel=channel, recipient=recipient, body="Your booking is confirmed.", key=f"test:{recipient}:{n}"
    )


def test_service_messages_to_one_recipient_stop_at_the_daily_cap(
    settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "service_sms": "2/d/key"}
    with django_capture_on_commit_callbacks() as queued:
        sent = [_send(n) for n in range(3)]
        other = _send(0, recipient=OTHER)
    assert [m.status for m in sent] == [
        MessageStatus.CREATED,
        MessageStatus.CREATED,
        MessageStatus.TECHNICAL_FAILURE,
    ]
    over = sent[2]
    assert (
        over.error_code == services.sending.DAILY_CAP_ERROR and "most service messages" in over.error_message
    )
    assert other.status == MessageStatus.CREATED  # another number has its own cap
    assert len(queued) == 3  # the capped message is recorded but never queued for sending
    assert Message.objects.count() == 4


def test_the_same_service_message_asked_for_twice_counts_once(settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "service_sms": "1/d/key"}
    with django_capture_on_commit_callbacks() as queued:
        first, again = _send(0), _send(0)
    assert first.pk == again.pk and again.status == MessageStatus.CREATED and len(queued) == 1


def test_the_email_cap_is_its_own_setting(settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "service_email": "1/d/key"}
    assert _send(0, "pat@example.org", Channel.EMAIL).status == MessageStatus.CREATED
    assert _send(1, "pat@example.org", Channel.EMAIL).status == MessageStatus.TECHNICAL_FAILURE
    assert _send(0).status == MessageStatus.CREATED  # texts to a number are counted apart


def _text(client, settings, body, sid, sender=MOBILE):
    path = "/messaging/twilio/inbound/"
    params = {"MessageSid": sid, "From": sender, "To": "+447400000001", "Body": body, "AccountSid": "AC1"}
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.WAGTAILADMIN_BASE_URL + path, params
    )
    response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200  # never 429: Twilio would retry
    return response.content.decode()


def test_help_is_answered_at_most_once_an_hour_per_number(client, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "sms_help": "1/h/key"}
    assert "we send texts about consultations" in _text(client, settings, "HELP", "SM" + "1" * 32)
    again = _text(client, settings, "INFO", "SM" + "2" * 32)
    assert "<Message>" not in again and "we send texts" not in again
    assert InboundMessage.objects.filter(reply="").count() == 1  # the text itself is still stored
    assert "we send texts about consultations" in _text(
        client, settings, "HELP", "SM" + "3" * 32, sender=OTHER
    )
    # A repeat delivery of the first text gets the reply stored the first time, not a new count.
    assert "we send texts about consultations" in _text(client, settings, "HELP", "SM" + "1" * 32)
