"""Delivery: campaign batches at each channel's pace, the shared sending windows, resuming what a
dead worker left and finishing a campaign once its messages are done."""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..choices import CampaignStatus, Channel, MessageStatus
from ..models import Campaign, Message, SendWindow
from .sending import UNSETTLED_STATUSES, send_message

BATCH_SIZE = 100

DEFAULT_PACE = {
    Channel.SMS: Campaign._meta.get_field("sms_per_second").default,
    Channel.EMAIL: Campaign._meta.get_field("email_per_second").default,
}


def send_batch(message_ids, per_second, window_start=None):
    """Send messages no faster than `per_second`, starting no earlier than `window_start`. Campaigns
    finish as their last message settles (`apply_status`), here or later by a delivery receipt."""
    delay = max(0.0, (window_start - timezone.now()).total_seconds()) if window_start else 0.0
    start = time.monotonic() + delay
    interval = 1.0 / per_second
    for position, message_id in enumerate(message_ids):
        wait = start + position * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        send_message(message_id)


def reserve_window(channel, count, per_second):
    """Book `count` sending slots on a channel, shared by every worker and campaign; returns when
    the first slot starts."""
    with transaction.atomic():
        window, _ = SendWindow.objects.select_for_update().get_or_create(channel=channel)
        start = max(window.next_slot_at, timezone.now())
        window.next_slot_at = start + timedelta(seconds=count / per_second)
        window.save(update_fields=["next_slot_at"])
    return start


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
    """The one place a sending campaign becomes sent: when none of its messages is waiting or being
    sent. One EXISTS on the (campaign, status) index; called when a message settles."""
    waiting = Message.objects.filter(campaign_id=campaign_id, status__in=UNSETTLED_STATUSES).exists()
    if not waiting:
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, finished_at=timezone.now()
        )


# --- Resuming what a dead worker left ---------------------------------------------------------

# Why a message or a fan-out was queued again.
TASK_GONE = "its task is gone"
TASK_FAILED = "its task failed"
WORKER_STOPPED = "its worker stopped mid-task"

SEND_TASKS = (
    "messaging.tasks.send_messages",
    "messaging.tasks.retry_message",
    "messaging.tasks.send_one",
)
PREPARE_TASK = "messaging.tasks.prepare_campaign"


@dataclass
class ResumeReport:
    """What `resume_sending` found. Messages waiting for their turn (their task is queued for a later
    window) are counted, never queued again."""

    requeued: Counter = field(default_factory=Counter)  # reason -> messages queued again
    fan_outs: list = field(default_factory=list)  # (campaign id, name, reason) of fan-outs queued again
    waiting: int = 0  # created messages whose task is queued: left alone
    overdue: int = 0  # of those, queued to start more than `older_than` ago: is a worker running?
    unconfirmed: dict = field(default_factory=dict)  # campaign id (None: service) -> messages

    @property
    def requeued_total(self):
        return sum(self.requeued.values())


def resume_sending(older_than=timedelta(minutes=15)) -> ResumeReport:
    """Queue again only what is truly stranded, and report what was found:

    - a `created` message none of whose tasks can still send it: the task is gone (pruned, or never
      queued because the process died first), failed, or has been running far longer than its batch's
      window allows (its worker was killed). A message whose task is still queued is waiting for its
      turn in a paced campaign and is left alone, however long ago it was created.
    - a campaign left `preparing` whose fan-out task is gone, failed or stopped: the fan-out is queued
      again (it is idempotent: nobody gets a second message).
    - messages left `sending` without a provider reference are only reported: whether they went is
      unknown, and a missing text is better than a double one.

    Everything here looks only at messages and tasks older than `older_than`."""
    now = timezone.now()
    report = ResumeReport()
    _resume_fan_outs(report, now, older_than)
    _resume_messages(report, now, older_than)
    report.unconfirmed = unconfirmed_counts(older_than=older_than)
    return report


def resume_stalled_messages(older_than=timedelta(minutes=15)) -> int:
    """The number of messages `resume_sending` queued again (kept for callers of the old name)."""
    return resume_sending(older_than).requeued_total


def unconfirmed_messages(campaign=None, older_than=timedelta(minutes=15)):
    """Messages left `sending` with no provider reference for longer than `older_than`: the worker
    died mid-send, or the provider did not answer. Nobody knows whether they went; they are never sent
    again (the claim), only shown to officers (the campaign's page, `resume_sending`)."""
    messages = Message.objects.filter(
        status=MessageStatus.SENDING, provider_ref="", status_changed_at__lt=timezone.now() - older_than
    )
    return messages.filter(campaign=campaign) if campaign is not None else messages


def unconfirmed_counts(older_than=timedelta(minutes=15)) -> dict:
    rows = unconfirmed_messages(older_than=older_than).values_list("campaign_id").annotate(n=Count("pk"))
    return dict(rows.order_by())


def _task_ids(task_result) -> list:
    """The message ids (send tasks) or campaign id (fan-out) a task was queued with."""
    args = (task_result.args_kwargs or {}).get("args") or []
    kwargs = (task_result.args_kwargs or {}).get("kwargs") or {}
    first = args[0] if args else next(iter(kwargs.values()), None)
    if first is None:
        return []
    return [int(pk) for pk in first] if isinstance(first, list) else [int(first)]


def _stopped(task_result, now, older_than) -> bool:
    """A running task that should have finished long ago: its worker was killed (django-tasks leaves
    it `RUNNING` for good). A batch is expected to end when its window does."""
    if task_result.started_at is None:
        return True
    ends = task_result.started_at
    if task_result.task_path == SEND_TASKS[0]:
        args = task_result.args_kwargs.get("args") or []
        if len(args) == 3:
            ids, per_second, window_start = args
            if window_start:
                ends = max(ends, datetime.fromisoformat(window_start))
            ends += timedelta(seconds=len(ids) / float(per_second or 1))
    return ends + older_than < now


def _live_and_stopped(task_paths, now, older_than):
    """Ids covered by a queued or running task, ids of tasks that stopped with their worker, and how
    many queued ids are overdue. Read before the messages or campaigns they cover: a task that ends in
    between has moved its messages out of `created` by then, so none looks stranded by mistake."""
    live, stopped = set(), set()
    overdue = 0
    statuses = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
    for result in DBTaskResult.objects.filter(task_path__in=task_paths, status__in=statuses).only(
        "task_path", "status", "args_kwargs", "started_at", "run_after"
    ):
        ids = _task_ids(result)
        if result.status == TaskResultStatus.RUNNING and _stopped(result, now, older_than):
            stopped.update(ids)
            continue
        live.update(ids)
        if result.status == TaskResultStatus.READY and result.run_after < now - older_than:
            overdue += len(ids)
    return live, stopped, overdue


def _failed(task_paths, since):
    """Ids of failed tasks queued since `since` (a message's task is queued after it last changed)."""
    failed = set()
    for result in DBTaskResult.objects.filter(
        task_path__in=task_paths, status=TaskResultStatus.FAILED, enqueued_at__gte=since
    ).only("task_path", "args_kwargs"):
        failed.update(_task_ids(result))
    return failed


def _reason(pk, stopped, failed):
    if pk in failed:
        return TASK_FAILED
    if pk in stopped:
        return WORKER_STOPPED
    return TASK_GONE


def _resume_messages(report, now, older_than):
    live, stopped, report.overdue = _live_and_stopped(SEND_TASKS, now, older_than)
    # A fan-out that is still preparing queues its own messages (or is resumed above).
    # Only ids here: in a long campaign nearly all of them are waiting, and are left alone.
    candidates = (
        Message.objects.filter(status=MessageStatus.CREATED, status_changed_at__lt=now - older_than)
        .exclude(campaign__status__in=[CampaignStatus.CANCELLED, CampaignStatus.PREPARING])
        .values_list("pk", flat=True)
    )
    ids = []
    for pk in candidates.iterator(chunk_size=10_000):
        if pk in live:
            report.waiting += 1
        else:
            ids.append(pk)
    if not ids:
        return
    stranded = []
    for offset in range(0, len(ids), 5000):
        stranded += Message.objects.filter(pk__in=ids[offset : offset + 5000]).values_list(
            "pk", "channel", "campaign_id", "status_changed_at"
        )
    stranded.sort()
    failed = _failed(SEND_TASKS, since=min(row[3] for row in stranded))
    # Touched first, so running this again before they are sent finds their new task, not them.
    for offset in range(0, len(ids), 5000):
        Message.objects.filter(pk__in=ids[offset : offset + 5000]).update(status_changed_at=timezone.now())
    paces = dict(
        Campaign.objects.filter(pk__in={row[2] for row in stranded if row[2]}).values_list(
            "pk", "sms_per_second"
        )
    )
    email_paces = dict(Campaign.objects.filter(pk__in=paces).values_list("pk", "email_per_second"))
    groups = {}
    for pk, channel, campaign_id, _ in stranded:
        report.requeued[_reason(pk, stopped, failed)] += 1
        if campaign_id is None:
            _requeue_service_message(pk)
            continue
        pace = (paces if channel == Channel.SMS else email_paces).get(campaign_id) or DEFAULT_PACE[channel]
        groups.setdefault((channel, pace), []).append(pk)
    for (channel, pace), group in groups.items():
        _enqueue_batches(channel, group, pace)


def _requeue_service_message(message_id):
    from ..tasks import send_one

    send_one.enqueue(message_id)


def _resume_fan_outs(report, now, older_than):
    """A campaign `preparing` since before `older_than` with no fan-out task queued or running."""
    from ..tasks import prepare_campaign

    live, stopped, _ = _live_and_stopped((PREPARE_TASK,), now, older_than)
    preparing = list(
        Campaign.objects.filter(status=CampaignStatus.PREPARING, started_at__lt=now - older_than)
        .order_by("pk")
        .values_list("pk", "name", "send_at", "started_at")
    )
    if not preparing:
        return
    failed = _failed((PREPARE_TASK,), since=min(row[3] for row in preparing))
    for pk, name, send_at, _ in preparing:
        if pk in live:
            continue
        task = prepare_campaign
        if send_at and send_at > now:
            task = task.using(run_after=send_at)
        task.enqueue(pk)
        report.fan_outs.append((pk, name, _reason(pk, stopped, failed)))
