"""Sending at county scale (issue #19): resume_sending queues again only what is stranded, service
messages go before campaign batches, campaigns finish when their last message settles (receipts
too), a fan-out killed mid-way is resumed, and messages that may or may not have gone are reported."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messaging import services, tasks
from messaging.choices import CampaignStatus, Channel, MessageStatus
from messaging.models import Campaign, Message, SendWindow
from parentvoice.accounts import roles
from tests.factories import ConsentingParentFactory, MessageFactory, SmsCampaignFactory

from .test_twilio_provider import _twilio_says

pytestmark = pytest.mark.django_db

AN_HOUR_AGO = timedelta(hours=1)


def _parents(n):
    return [ConsentingParentFactory(mobile=f"+4474009{i:05d}") for i in range(n)]


def _prepared(campaign):
    """Fan out and queue the batches, as the prepare_campaign task does."""
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PREPARING, started_at=timezone.now())
    services.prepare_campaign(campaign.pk)
    campaign.refresh_from_db()
    return campaign


def _an_hour_passes():
    """Everything waiting now has waited an hour (without waiting)."""
    Message.objects.update(status_changed_at=timezone.now() - AN_HOUR_AGO)


def _tasks(name):
    return DBTaskResult.objects.filter(task_path=f"messaging.tasks.{name}")


def _resume():
    out = io.StringIO()
    call_command("resume_sending", stdout=out)
    return out.getvalue()


# --- resume_sending leaves a paced campaign's waiting messages alone ------------------------------


def test_messages_waiting_for_their_turn_are_not_queued_again(settings):
    """Regression: every `created` message older than 15 minutes was queued again, so each cron run
    re-booked a long campaign's whole remainder and pushed the window back."""
    settings.SMS_PROVIDER = "outbox"
    _parents(3)
    campaign = _prepared(SmsCampaignFactory(sms_per_second=1))
    tasks_before = DBTaskResult.objects.count()
    assert _tasks("send_messages").count() == 1
    window_before = SendWindow.objects.get(channel=Channel.SMS).next_slot_at
    _an_hour_passes()

    report = services.resume_sending()
    output = _resume()

    assert report.requeued_total == 0 and report.waiting == 3 and report.overdue == 0
    assert "Queued 0 stranded message(s) again." in output
    assert "Left 3 message(s) waiting for their turn" in output
    assert DBTaskResult.objects.count() == tasks_before
    assert SendWindow.objects.get(channel=Channel.SMS).next_slot_at == window_before
    assert campaign.status == CampaignStatus.SENDING


def test_a_queued_batch_long_overdue_is_reported_not_queued_again(settings):
    settings.SMS_PROVIDER = "outbox"
    _parents(2)
    _prepared(SmsCampaignFactory())
    _tasks("send_messages").update(run_after=timezone.now() - AN_HOUR_AGO)  # no worker took it
    _an_hour_passes()

    output = _resume()

    assert "Queued 0 stranded message(s) again." in output
    assert "2 queued message(s) should have started over 15 minutes ago" in output
    assert _tasks("send_messages").count() == 1


def _task_gone():
    _tasks("send_messages").delete()  # pruned, or the process died before queueing it


def _task_failed():
    _tasks("send_messages").update(status="FAILED", finished_at=timezone.now())


def _worker_stopped():
    # A killed worker leaves its task RUNNING for good.
    an_hour_ago = timezone.now() - AN_HOUR_AGO
    for task in _tasks("send_messages"):
        ids, per_second, _ = task.args_kwargs["args"]
        task.args_kwargs["args"] = [ids, per_second, an_hour_ago.isoformat()]  # its window, an hour ago
        task.status, task.started_at = "RUNNING", an_hour_ago
        task.save()


@pytest.mark.parametrize(
    ("end_task", "reason"),
    [
        (_task_gone, services.TASK_GONE),
        (_task_failed, services.TASK_FAILED),
        (_worker_stopped, services.WORKER_STOPPED),
    ],
)
def test_stranded_messages_are_queued_again_once_and_sent_once(fake_twilio, run_tasks, end_task, reason):
    _parents(3)
    campaign = _prepared(SmsCampaignFactory())
    end_task()
    _an_hour_passes()

    output = _resume()
    again = services.resume_sending(timedelta(0))  # their new task covers them
    run_tasks()

    assert f"Queued 3 stranded message(s) again: 3 because {reason}." in output
    assert again.requeued_total == 0 and again.waiting == 3
    assert len(fake_twilio.sent) == 3
    assert sorted(call["form"]["To"] for call in fake_twilio.sent) == sorted(
        Message.objects.filter(campaign=campaign).values_list("recipient", flat=True)
    )


def test_a_stranded_service_message_goes_back_to_the_service_queue(run_tasks, settings):
    settings.SMS_PROVIDER = "outbox"
    message = MessageFactory(campaign=None, status_changed_at=timezone.now() - AN_HOUR_AGO)

    report = services.resume_sending()

    assert report.requeued == {services.TASK_GONE: 1}
    task = _tasks("send_one").get()
    assert (task.task_path, task.queue_name) == ("messaging.tasks.send_one", "service")
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


# --- Service messages go first ------------------------------------------------------------------


def test_a_service_message_is_sent_before_due_campaign_batches(run_tasks, settings):
    """Regression: a booking confirmation waited behind every due campaign batch."""
    settings.SMS_PROVIDER = "outbox"
    _parents(3)
    campaign = _prepared(SmsCampaignFactory())
    message = services.send_service_message(
        channel=Channel.SMS, recipient="+447400111222", body="Your place is booked.", key="booking:1"
    )

    # A worker serving every queue takes one task: the service message's.
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        "--max-tasks",
        "1",
        "--queue-name",
        "*",
        "--no-reload",
        verbosity=0,
    )

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert set(Message.objects.filter(campaign=campaign).values_list("status", flat=True)) == {
        MessageStatus.CREATED
    }
    queue, priority = DBTaskResult.objects.filter(task_path="messaging.tasks.send_one").values_list(
        "queue_name", "priority"
    )[0]
    assert (queue, priority) == (tasks.SERVICE_QUEUE, tasks.SERVICE_PRIORITY)


def test_a_service_message_retry_stays_in_the_service_queue(fake_twilio, run_tasks):
    fake_twilio.fail_next(503)
    services.send_service_message(
        channel=Channel.SMS, recipient="+447400111222", body="Your code is 123456.", key="code:1"
    )
    run_tasks(due_only=True)

    retry = DBTaskResult.objects.get(task_path="messaging.tasks.retry_message")
    assert (retry.queue_name, retry.priority) == (tasks.SERVICE_QUEUE, tasks.SERVICE_PRIORITY)


# --- Campaigns finish when their last message settles --------------------------------------------


def test_a_twilio_campaign_is_finished_by_its_last_delivery_receipt(fake_twilio, run_tasks, client, settings):
    """Regression: Twilio answers "queued", so every message was still `sending` when its batch ended
    and nothing finished the campaign afterwards."""
    _parents(2)
    campaign = SmsCampaignFactory()
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PREPARING)
    tasks.prepare_campaign.enqueue(campaign.pk)
    run_tasks()
    campaign.refresh_from_db()
    first, last = Message.objects.filter(campaign=campaign).order_by("pk")
    assert campaign.status == CampaignStatus.SENDING
    assert {first.status, last.status} == {MessageStatus.SENDING}
    sids = {call["form"]["To"]: call["sid"] for call in fake_twilio.sent}

    for status in ["sent", "delivered"]:
        _twilio_says(client, settings, first, sids[first.recipient], status)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENDING  # the last text is still `sending`

    _twilio_says(client, settings, last, sids[last.recipient], "sent")  # handed to the network: settled
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.finished_at is not None


def test_the_receipt_settling_the_last_message_finishes_the_campaign(
    fake_twilio, run_tasks, client, settings
):
    _parents(2)
    campaign = SmsCampaignFactory()
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PREPARING)
    tasks.prepare_campaign.enqueue(campaign.pk)
    run_tasks()
    first, last = Message.objects.filter(campaign=campaign).order_by("pk")
    sids = {call["form"]["To"]: call["sid"] for call in fake_twilio.sent}

    _twilio_says(client, settings, first, sids[first.recipient], "delivered")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENDING and campaign.finished_at is None

    _twilio_says(client, settings, last, sids[last.recipient], "undelivered")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.finished_at is not None
    assert set(campaign.messages.values_list("status", flat=True)) == {
        MessageStatus.DELIVERED,
        MessageStatus.TEMPORARY_FAILURE,
    }


def test_a_late_receipt_after_sent_does_not_look_at_the_campaign(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    message = MessageFactory(campaign=SmsCampaignFactory(), status=MessageStatus.SENT)
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        assert services.apply_status(message.pk, MessageStatus.DELIVERED)
    assert callbacks == []


# --- A fan-out killed mid-way is resumed -----------------------------------------------------------


def test_a_fan_out_killed_mid_way_is_queued_again_and_completes(run_tasks, settings):
    """Regression: a worker killed during fan-out left the campaign `preparing` for good with most
    of its messages never created, and nothing reported it."""
    settings.SMS_PROVIDER = "outbox"
    _parents(4)
    campaign = SmsCampaignFactory()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.PREPARING, started_at=timezone.now() - AN_HOUR_AGO
    )
    tasks.prepare_campaign.enqueue(campaign.pk)
    services.create_campaign_messages(campaign)
    Message.objects.filter(pk__in=Message.objects.order_by("pk").values("pk")[1:]).delete()  # killed
    _tasks("prepare_campaign").update(status="RUNNING", started_at=timezone.now() - AN_HOUR_AGO)

    output = _resume()
    again = services.resume_sending()
    run_tasks()

    assert f"Queued the fan-out of campaign {campaign.pk} ({campaign.name}) again, because " in output
    assert services.WORKER_STOPPED in output
    assert again.fan_outs == []
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert list(campaign.messages.values_list("status", flat=True)) == [MessageStatus.DELIVERED] * 4


def test_a_campaign_scheduled_for_later_is_not_resumed(settings):
    campaign = SmsCampaignFactory()
    later = timezone.now() + timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.PREPARING, started_at=timezone.now() - AN_HOUR_AGO, send_at=later
    )
    tasks.prepare_campaign.using(run_after=later).enqueue(campaign.pk)

    assert services.resume_sending().fan_outs == []
    assert _tasks("prepare_campaign").count() == 1


def test_a_scheduled_campaign_whose_task_is_gone_is_queued_for_its_time(settings):
    campaign = SmsCampaignFactory()
    later = timezone.now() + timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.PREPARING, started_at=timezone.now() - AN_HOUR_AGO, send_at=later
    )

    report = services.resume_sending()

    assert report.fan_outs == [(campaign.pk, campaign.name, services.TASK_GONE)]
    assert _tasks("prepare_campaign").get().run_after == later


# --- Messages that may or may not have gone are reported, never resent -----------------------------


@pytest.fixture
def officer_client(client, staff_login):
    client.user = staff_login(roles.CONSULTATION_OFFICERS)
    return client


def test_a_message_left_sending_without_a_provider_reference_is_reported_not_resent(officer_client):
    campaign = SmsCampaignFactory(status=CampaignStatus.SENDING)
    message = MessageFactory(
        campaign=campaign,
        status=MessageStatus.SENDING,
        provider_ref="",
        status_changed_at=timezone.now() - AN_HOUR_AGO,
    )
    MessageFactory(campaign=campaign, status=MessageStatus.SENDING, provider_ref="SM1")  # awaits its receipt

    output = _resume()
    page = officer_client.get(f"/admin/messaging/campaigns/{campaign.pk}/progress/").content.decode()

    assert f"1 message(s) of campaign {campaign.pk} left 'sending' with no answer from the provider" in output
    assert "1 message may or may not have gone." in page
    assert not _tasks("send_one").exists() and not _tasks("send_messages").exists()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
