"""Sending through the real twilio client to a local fake Twilio: errors, retries, suppression,
pacing and crash safety."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from twilio.request_validator import RequestValidator

from messaging import services
from messaging.choices import Channel, ConsentSource, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message, Suppression

pytestmark = pytest.mark.django_db


def _campaign_with(n, **fields):
    for i in range(n):
        contact = Contact.objects.create(name=f"P{i}", mobile=f"+4474001{i:05d}")
        services.record_consent(
            contact,
            channel=Channel.SMS,
            purpose=Purpose.CONSULTATIONS,
            granted=True,
            source=ConsentSource.WEB_FORM,
            wording="Yes",
        )
    defaults = {
        "name": "Invite",
        "kind": "consultation_invitation",
        "purpose": Purpose.CONSULTATIONS,
        "sms_template": "Hi ((name)): ((link))",
        "send_email": False,
        "link_url": "https://x.test/c/",
        "sms_per_second": 1000,
    }
    defaults.update(fields)
    campaign = Campaign.objects.create(**defaults)
    services.create_campaign_messages(campaign)
    return campaign


def test_a_text_reaches_twilio_with_sender_identity_opt_out_and_its_own_status_callback(
    fake_twilio, settings
):
    campaign = _campaign_with(1)
    message = Message.objects.get(campaign=campaign)
    assert services.send_message(message.pk) == MessageStatus.SENDING
    call = fake_twilio.sent[0]
    assert call["path"] == f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    assert call["form"]["To"] == "+447400100000"
    assert call["form"]["From"] == settings.TWILIO_FROM_NUMBER
    assert call["form"]["Body"] == "Kent Parent Voice: Hi P0: https://x.test/c/ Reply STOP to stop."
    assert call["form"]["StatusCallback"] == f"http://testserver/messaging/twilio/status/?m={message.pk}"
    assert call["auth"].startswith("Basic ")
    message.refresh_from_db()
    assert message.provider_ref == call["sid"] and message.provider == "twilio" and message.attempts == 1


def test_a_messaging_service_sid_is_used_instead_of_a_number_when_set(fake_twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG00000000000000000000000000000000"
    from messaging.providers import reset_providers

    reset_providers()
    campaign = _campaign_with(1)
    services.send_message(Message.objects.get(campaign=campaign).pk)
    form = fake_twilio.sent[0]["form"]
    assert form["MessagingServiceSid"] == settings.TWILIO_MESSAGING_SERVICE_SID and "From" not in form


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, None), (503, None)])
def test_temporary_errors_are_retried_later_with_back_off(fake_twilio, run_tasks, status, code):
    campaign = _campaign_with(1)
    message = Message.objects.get(campaign=campaign)
    fake_twilio.fail_next(status, code=code)
    assert services.send_message(message.pk) == MessageStatus.CREATED
    retry = DBTaskResult.objects.get(task_path="messaging.tasks.retry_message")
    assert retry.run_after > timezone.now() + timezone.timedelta(seconds=20)
    assert retry.queue_name == "sms"
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING and message.attempts == 2
    assert len(fake_twilio.sent) == 1


# --- No double sends: retry only what never reached Twilio --------------------------------------


def _twilio_says(client, settings, message, sid, status):
    """Twilio's signed status callback for `message`, as it would arrive."""
    path = f"/messaging/twilio/status/?m={message.pk}"
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": settings.TWILIO_ACCOUNT_SID}
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.WAGTAILADMIN_BASE_URL + path, params
    )
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.mark.parametrize("fault", ["accept_then_stall_next", "accept_then_drop_next"])
def test_a_text_twilio_may_have_accepted_is_never_sent_again(fake_twilio, run_tasks, client, settings, fault):
    """A read timeout, or the connection closing, after the request reached Twilio: Twilio may be
    sending the text, so it stays `sending` (no retry, and resume_sending leaves it) until the
    delivery receipt settles it."""
    campaign = _campaign_with(1)
    message = Message.objects.get(campaign=campaign)
    getattr(fake_twilio, fault)()
    assert services.send_message(message.pk) == MessageStatus.SENDING
    assert len(fake_twilio.sent) == 1  # Twilio accepted it
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING and message.provider == "twilio"
    assert message.error_code == "no_answer" and "may have accepted the text" in message.error_message
    assert not DBTaskResult.objects.filter(task_path="messaging.tasks.retry_message").exists()

    call_command("resume_sending", older_than_minutes=0, stdout=io.StringIO())
    run_tasks()
    services.send_message(message.pk)  # a duplicate task for the same message
    assert len(fake_twilio.sent) == 1

    sid = fake_twilio.sent[0]["sid"]
    assert _twilio_says(client, settings, message, sid, "delivered").status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.provider_ref == sid


def test_a_refused_connection_is_retried_as_nothing_reached_twilio(fake_twilio, run_tasks):
    campaign = _campaign_with(1)
    message = Message.objects.get(campaign=campaign)
    fake_twilio.refuse_connections()
    assert services.send_message(message.pk) == MessageStatus.CREATED
    message.refresh_from_db()
    assert message.error_code == "unreachable" and "Could not reach Twilio" in message.error_message
    fake_twilio.accept_connections()
    assert fake_twilio.calls == []
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING and message.attempts == 2
    assert len(fake_twilio.sent) == 1


def test_after_five_temporary_errors_the_message_is_a_technical_failure(fake_twilio, run_tasks):
    campaign = _campaign_with(1)
    message = Message.objects.get(campaign=campaign)
    fake_twilio.fail_next(503, times=services.MAX_SEND_ATTEMPTS)
    services.send_message(message.pk)
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert message.attempts == services.MAX_SEND_ATTEMPTS
    assert len(fake_twilio.calls) == services.MAX_SEND_ATTEMPTS


def test_an_invalid_number_fails_permanently_without_a_retry(fake_twilio):
    campaign = _campaign_with(1)
    message = Message.objects.get(campaign=campaign)
    fake_twilio.fail_next(400, code=21211)
    assert services.send_message(message.pk) == MessageStatus.PERMANENT_FAILURE
    assert not DBTaskResult.objects.filter(task_path="messaging.tasks.retry_message").exists()
    message.refresh_from_db()
    assert message.error_code == "21211" and message.error_message == "Invalid phone number"


def test_a_number_that_opted_out_with_twilio_is_suppressed(fake_twilio):
    campaign = _campaign_with(1)
    fake_twilio.fail_next(400, code=21610)
    services.send_message(Message.objects.get(campaign=campaign).pk)
    assert Suppression.objects.get(address="+447400100000").reason == "provider_opt_out"


def test_suppressed_and_withdrawn_people_are_never_sent_to(fake_twilio, run_tasks):
    campaign = _campaign_with(3)
    first, second, third = Message.objects.filter(campaign=campaign).order_by("pk")
    services.suppress(Channel.SMS, first.recipient, "stop")  # STOP arrived after fan-out
    services.send_batch([first.pk, second.pk, third.pk], 1000)
    assert sorted(c["form"]["To"] for c in fake_twilio.calls) == sorted([second.recipient, third.recipient])
    first.refresh_from_db()
    assert first.status == MessageStatus.SUPPRESSED

    withdrawn = Contact.objects.get(mobile=third.recipient)
    services.record_consent(
        withdrawn,
        channel=Channel.SMS,
        purpose=Purpose.CONSULTATIONS,
        granted=False,
        source="preferences",
        wording="No",
    )
    again = Campaign.objects.create(
        name="Reminder",
        kind="reminder",
        purpose=Purpose.CONSULTATIONS,
        sms_template="Reminder",
        send_email=False,
    )
    services.create_campaign_messages(again)
    assert not Message.objects.filter(campaign=again, recipient=third.recipient).exists()


def test_a_batch_is_paced(fake_twilio):
    campaign = _campaign_with(10)
    ids = list(Message.objects.filter(campaign=campaign).values_list("pk", flat=True))
    services.send_batch(ids, per_second=5)
    times = sorted(call["at"] for call in fake_twilio.calls)
    assert len(times) == 10
    assert times[-1] - times[0] >= 1.7  # 10 texts at 5 a second: the 10th goes 1.8 s after the 1st


def test_a_batch_killed_mid_send_then_run_again_never_sends_anyone_twice(fake_twilio, run_tasks):
    campaign = _campaign_with(5)
    ids = list(Message.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True))
    services.send_batch(ids[:2], 1000)  # sent before the crash
    Message.objects.filter(pk=ids[2]).update(status=MessageStatus.SENDING)  # claimed, then the worker died
    services.send_batch(ids, 1000)  # the same batch runs again
    services.send_batch(ids, 1000)  # and once more, as a duplicate task would
    recipients = [call["form"]["To"] for call in fake_twilio.calls]
    assert len(recipients) == len(set(recipients)) == 4
    assert Message.objects.get(pk=ids[2]).status == MessageStatus.SENDING


def test_a_whole_campaign_through_workers(fake_twilio, run_tasks, django_capture_on_commit_callbacks):
    campaign = _campaign_with(250)
    Message.objects.filter(campaign=campaign).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_campaign(campaign)
    results = run_tasks()
    assert results.get("SUCCESSFUL", 0) >= 4  # prepare + 3 batches of up to 100
    assert len(fake_twilio.sent) == 250
    assert Message.objects.filter(campaign=campaign, status=MessageStatus.SENDING).count() == 250
