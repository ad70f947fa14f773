"""Delivery: campaign batches at each channel's pace, the shared sending windows, resuming what a
dead worker left and finishing a campaign once its messages are done."""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..choices import CampaignStatus, Channel, MessageStatus
from ..models import Campaign, Message, SendWindow
from .sending import send_message

BATCH_SIZE = 100

DEFAULT_PACE = {
    Channel.SMS: Campaign._meta.get_field("sms_per_second").default,
    Channel.EMAIL: Campaign._meta.get_field("email_per_second").default,
}


def send_batch(message_ids, per_second, window_start=None):
    """Send messages no faster than `per_second`, starting no earlier than `window_start`."""
    delay = max(0.0, (window_start - timezone.now()).total_seconds()) if window_start else 0.0
    start = time.monotonic() + delay
    interval = 1.0 / per_second
    for position, message_id in enumerate(message_ids):
        wait = start + position * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        send_message(message_id)
    campaign_ids = (
        Message.objects.filter(pk__in=message_ids, campaign__isnull=False)
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    for campaign_id in campaign_ids:
        finish_campaign_if_done(campaign_id)


def reserve_window(channel, count, per_second):
    """Book `count` sending slots on a channel, shared by every worker and campaign; returns when
    the first slot starts."""
    with transaction.atomic():
        window, _ = SendWindow.objects.select_for_update().get_or_create(channel=channel)
        start = max(window.next_slot_at, timezone.now())
        window.next_slot_at = start + timedelta(seconds=count / per_second)
        window.save(update_fields=["next_slot_at"])
    return start


def resume_stalled_messages(older_than=timedelta(minutes=15)):
    """After a worker was killed mid-batch, the batch's unsent messages wait in `created` with no task
    to send them. Queue them again at each campaign's pace; the claim means nothing is sent twice.
    Messages left in `sending` are not touched: whether they went is unknown, and a missing text is
    better than a double one."""
    cutoff = timezone.now() - older_than
    stalled = Message.objects.filter(status=MessageStatus.CREATED, status_changed_at__lt=cutoff).exclude(
        campaign__status=CampaignStatus.CANCELLED
    )
    queued = 0
    for channel in Channel.values:
        ids = list(stalled.filter(channel=channel).order_by("pk").values_list("pk", flat=True))
        # Touch them first, so running this again before they are sent queues nothing twice.
        Message.objects.filter(pk__in=ids).update(status_changed_at=timezone.now())
        _enqueue_batches(channel, ids, DEFAULT_PACE[channel])
        queued += len(ids)
    return queued


def _enqueue_batches(channel, ids, per_second):
    """Split messages into batches, book each a sending window and queue it to start then."""
    from ..tasks import send_messages

    for offset in range(0, len(ids), BATCH_SIZE):
        chunk = ids[offset : offset + BATCH_SIZE]
        window_start = reserve_window(channel, len(chunk), per_second)
        task = send_messages.using(queue_name=channel)
        if window_start > timezone.now() + timedelta(seconds=1):
            task = task.using(queue_name=channel, run_after=window_start)
        task.enqueue(chunk, float(per_second), window_start.isoformat())
    return -(-len(ids) // BATCH_SIZE)


def finish_campaign_if_done(campaign_id):
    waiting = Message.objects.filter(
        campaign_id=campaign_id, status__in=[MessageStatus.CREATED, MessageStatus.SENDING]
    ).exists()
    if not waiting:
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, finished_at=timezone.now()
        )
