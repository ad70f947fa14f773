"""Sending at county scale: service messages during a running campaign, and resume_sending. Prints
figures; asserts nothing.

    .venv/bin/python bench/sending_bench.py [--texts 600] [--database-url postgres://postgres@127.0.0.1:5432/pv_bench_delivery]

A campaign of `--texts` texts at Twilio's 10 a second is sent by real `db_worker` processes through the
real twilio client to the project's fake Twilio (another process) answering each request in 150 ms.
A few seconds in, booking confirmations (`send_service_message`) are sent one after another, and each
one's latency (created -> Twilio answered) is printed for:

1. no campaign running (the floor);
2. the old routing, as before issue #19 (the sms queue at the default priority) with one worker
   serving every queue: the baseline;
3. the `service` queue at top priority with one worker serving every queue (`make demo`'s set-up
   before it ran a service worker): waits at most for the batch the worker is in;
4. as documented for production and `make demo`: a worker for `service` beside the campaign's worker.

Then `resume_sending` during the running campaign (every waiting message older than the cut-off, as
its cron would find a long campaign): how many it queued again (target 0) and the old behaviour's
count (every `created` message), with its time for `--resume-texts` waiting messages.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _setup  # noqa: E402

FAKE_TWILIO = """
import sys, time
sys.path.insert(0, {root!r})
from tests.messaging.fake_twilio import FakeTwilio
with FakeTwilio() as fake:
    fake.latency = {latency}
    print(fake.url, flush=True)
    time.sleep(3600)
"""

PER_SECOND = 10  # Twilio's default for a long code


def seed(n):
    from messaging.choices import Channel, ConsentSource, Purpose
    from messaging.models import Consent, Contact

    start = Contact.objects.count()
    Contact.objects.bulk_create(
        [Contact(name=f"Parent {i}", mobile=f"+44740{i:07d}") for i in range(start, start + n)],
        batch_size=5000,
    )
    Consent.objects.bulk_create(
        (
            Consent(
                contact_id=pk,
                channel=Channel.SMS,
                purpose=Purpose.CONSULTATIONS,
                granted=True,
                source=ConsentSource.IMPORT,
                wording="bench",
            )
            for pk in Contact.objects.values_list("pk", flat=True).iterator()
        ),
        batch_size=5000,
        ignore_conflicts=True,
    )


def start_campaign(name, queue=True):
    from messaging import tasks
    from messaging.choices import CampaignStatus
    from messaging.models import Campaign

    campaign = Campaign.objects.create(
        name=name,
        kind="consultation_invitation",
        purpose="consultations",
        send_email=False,
        sms_template="Hi ((name)), have your say: ((link))",
        link_url="https://parentvoice.example.org/c/1/",
        sms_per_second=PER_SECOND,
        status=CampaignStatus.PREPARING,
    )
    if queue:
        tasks.prepare_campaign.enqueue(campaign.pk)
    return campaign


def workers(env, *queue_sets):
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", queues, "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for queues in queue_sets
    ]


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def service_message(n, old_routing):
    """A booking confirmation: through `send_service_message`, or (old_routing) as it was queued
    before: the sms queue at the default priority."""
    from messaging import services, tasks
    from messaging.choices import Channel
    from messaging.models import Message

    if not old_routing:
        return services.send_service_message(
            channel=Channel.SMS, recipient="+447400999999", body="Your place is booked.", key=f"bench:{n}"
        )
    message = Message.objects.create(
        channel=Channel.SMS,
        recipient="+447400999999",
        body="Kent Parent Voice: Your place is booked. Reply STOP to stop.",
        idempotency_key=f"bench:{n}",
    )
    tasks.send_one.using(queue_name="sms", priority=0).enqueue(message.pk)
    return message


def latency(message, timeout):
    from messaging.models import Message

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent_at = Message.objects.filter(pk=message.pk).values_list("sent_at", flat=True).first()
        if sent_at:
            return (sent_at - message.created_at).total_seconds()
        time.sleep(0.05)
    return None


def reset():
    from messaging.models import Campaign, Message, SendWindow

    Message.objects.all().delete()
    Campaign.objects.all().delete()
    SendWindow.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


def scenario(label, env, queue_sets, texts, samples, old_routing=False, campaign=True):
    from messaging import services
    from messaging.models import Campaign, Message

    reset()
    processes = workers(env, *queue_sets)
    try:
        # The workers are up once one has sent a message (Django starts slowly on a loaded machine).
        if latency(service_message(f"{label}:warm-up", old_routing=False), timeout=300) is None:
            raise SystemExit("no worker sent the warm-up message")
        running = start_campaign(label) if campaign else None
        if running:
            while not Message.objects.filter(campaign=running, sent_at__isnull=False).exists():
                time.sleep(0.1)
            time.sleep(2)  # well into a batch
        messages = []
        for n in range(samples):  # one a second, whatever happens to the ones before
            messages.append(service_message(f"{label}:{n}", old_routing))
            time.sleep(1)
        seconds = [latency(message, timeout=texts / PER_SECOND * 3 + 60) for message in messages]
        if running:
            sent = Message.objects.filter(campaign=running, sent_at__isnull=False).count()
            services.cancel_campaign(Campaign.objects.get(pk=running.pk))
        else:
            sent = 0
    finally:
        stop(processes)
    got = [s for s in seconds if s is not None]
    shown = ", ".join(f"{s:.2f}" for s in got)
    print(
        f"{label}: service message latency median {statistics.median(got):.2f} s, max {max(got):.2f} s "
        f"({shown}); campaign texts sent meanwhile: {sent}"
        + (f"; {len(seconds) - len(got)} not sent in time" if len(got) < len(seconds) else "")
    )
    return got


def bench_resume(n):
    """`n` waiting messages of a paced campaign, their batches queued for later windows, all older
    than the cut-off: resume_sending must queue none of them again."""
    from django.utils import timezone

    from messaging import services
    from messaging.choices import MessageStatus
    from messaging.models import Contact, Message

    reset()
    seed(max(0, n - Contact.objects.count()))  # contacts already seeded are reused
    campaign = start_campaign("Resume", queue=False)
    services.prepare_campaign(campaign.pk)
    Message.objects.update(status_changed_at=timezone.now() - timedelta(hours=1))
    waiting = Message.objects.filter(status=MessageStatus.CREATED).count()
    start = time.perf_counter()
    report = services.resume_sending(timedelta(minutes=15))
    seconds = time.perf_counter() - start
    print(
        f"resume_sending during a {waiting:,}-text campaign: queued again {report.requeued_total:,} "
        f"(before: every created message, {waiting:,}, re-booking the whole remainder), left waiting "
        f"{report.waiting:,}, in {seconds:.2f} s; target 0 queued again"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--texts", type=int, default=600, help="campaign size for the latency runs")
    parser.add_argument("--samples", type=int, default=5, help="service messages per run")
    parser.add_argument("--resume-texts", type=int, default=30_000)
    parser.add_argument("--latency", type=float, default=0.15, help="the fake Twilio's answer time")
    parser.add_argument("--resume-only", action="store_true", help="only the resume_sending figure")
    args = parser.parse_args()

    fake = subprocess.Popen(
        [sys.executable, "-c", FAKE_TWILIO.format(root=str(ROOT), latency=args.latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        fake_url = fake.stdout.readline().strip()
        os.environ.update(SMS_PROVIDER="twilio", TWILIO_API_BASE_URL=fake_url, TWILIO_TIMEOUT_SECONDS="10")
        url = _setup.prepare(args.database_url)
        from django.db import connection

        print(f"== Sending bench on {_setup.database_label(url)}; load {os.getloadavg()[0]:.1f} at start")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.bench_settings"}
        if args.resume_only:
            bench_resume(args.resume_texts)
            return
        seed(args.texts)
        connection.close()
        every = ("*",)
        scenario("1. idle, no campaign", env, [*every], args.texts, args.samples, campaign=False)
        scenario(
            "2. before: sms queue, one worker", env, [*every], args.texts, args.samples, old_routing=True
        )
        scenario("3. service queue first, one worker", env, [*every], args.texts, args.samples)
        scenario(
            "4. service worker + campaign worker",
            env,
            ["service", "default,sms,email"],
            args.texts,
            args.samples,
        )
        print("target: a few seconds whatever a campaign is doing (runs 3 and 4 during a running campaign)")
        bench_resume(args.resume_texts)
    finally:
        fake.terminate()


if __name__ == "__main__":
    main()
