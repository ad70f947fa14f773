"""Messaging benchmarks. Prints figures; asserts nothing.

    .venv/bin/python bench/messaging_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

1. Fan-out: 100,000 consented contacts to Message rows, the messages the next two figures use (the fan-out's
   own figures, beside a raw executemany of the same rows, are bench/fanout_bench.py's).
2. Our CPU per sent SMS: render + real twilio client call to a fake Twilio in another process + status
   update (target < 2 ms), beside a bare twilio client call measured in the same run.
3. The Twilio status webhook under gunicorn: requests/s and latency (target >= 300/s, p95 < 50 ms),
   beside a trivial endpoint on the same server. The webhook beside a bare Django view (issue #19's
   target), with its CPU per request in-process, is bench/webhook_bench.py's.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _http, _setup

FAKE_TWILIO = """
import sys, time
sys.path.insert(0, {root!r})
from tests.messaging.fake_twilio import FakeTwilio
with FakeTwilio() as fake:
    print(fake.url, flush=True)
    time.sleep(3600)
"""


def seed_contacts(n):
    from django.utils import timezone

    from messaging.choices import Channel, ConsentSource, Purpose
    from messaging.models import Consent, Contact

    now = timezone.now()
    contacts = [Contact(name=f"Parent {i}", mobile=f"+44740{i:07d}", created_at=now) for i in range(n)]
    Contact.objects.bulk_create(contacts, batch_size=5000)
    ids = Contact.objects.values_list("pk", flat=True)
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
            for pk in ids.iterator()
        ),
        batch_size=5000,
    )


def bench_fan_out(n):
    from messaging import services
    from messaging.models import Campaign, Message

    seed_contacts(n)
    campaign = Campaign.objects.create(
        name="Bench",
        kind="consultation_invitation",
        purpose="consultations",
        send_email=False,
        sms_template="Hi ((name)), have your say: ((link))",
        link_url="https://parentvoice.example.org/c/1/",
    )
    start = time.perf_counter()
    created = services.create_campaign_messages(campaign)
    seconds = time.perf_counter() - start
    assert Message.objects.filter(campaign=campaign).count() == created == n
    print(
        f"fan-out: {n:,} contacts -> {created:,} messages in {seconds:.2f} s ({created / seconds:,.0f} rows/s); "
        "see bench/fanout_bench.py"
    )
    return campaign


def bench_send_cpu(campaign, m):
    from django.conf import settings
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    from messaging import services
    from messaging.models import Message
    from messaging.providers import reset_providers

    root = str(Path(__file__).resolve().parent.parent)
    fake = subprocess.Popen(
        [sys.executable, "-c", FAKE_TWILIO.format(root=root)], stdout=subprocess.PIPE, text=True
    )
    try:
        url = fake.stdout.readline().strip()
        settings.SMS_PROVIDER = "twilio"
        settings.TWILIO_API_BASE_URL = url
        reset_providers()
        client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=TwilioHttpClient(timeout=10)
        )
        client.api.base_url = url
        for _ in range(50):  # warm up both paths
            client.messages.create(to="+447400000000", from_="+447400000001", body="warm")
        start = time.process_time()
        for i in range(m):
            client.messages.create(to="+447400000000", from_="+447400000001", body=f"Bare {i}")
        bare = (time.process_time() - start) / m * 1000

        ids = list(Message.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True)[:m])
        start = time.process_time()
        for pk in ids:
            services.send_message(pk)
        ours = (time.process_time() - start) / len(ids) * 1000
        print(
            f"send: {ours:.2f} ms CPU per SMS (render, claim, suppression check, twilio call, status update); "
            f"bare twilio client call {bare:.2f} ms; ours adds {ours - bare:.2f} ms ({ours / bare:.1f}x); target < 2 ms"
        )
        return ids
    finally:
        fake.terminate()


def bench_webhook(message_ids, database_url, requests_count, workers, concurrency):
    from django.conf import settings
    from twilio.request_validator import RequestValidator

    from messaging.models import Message

    Message.objects.filter(pk__in=message_ids).update(status="sending")
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    refs = dict(Message.objects.filter(pk__in=message_ids).values_list("pk", "provider_ref"))
    requests = []
    for i in range(requests_count):
        message_id = message_ids[i % len(message_ids)]
        path = f"/messaging/twilio/status/?m={message_id}"
        # First pass: sent; second pass: delivered; later passes are duplicates (no change).
        status = "sent" if i < len(message_ids) else "delivered"
        params = {"MessageSid": refs[message_id], "MessageStatus": status, "AccountSid": "AC1"}
        signature = validator.compute_signature(settings.WAGTAILADMIN_BASE_URL + path, params)
        headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
        requests.append(("POST", path, urlencode(params), headers))
    with _http.gunicorn(database_url, workers) as port:
        baseline = _http.split([_http.STATIC] * requests_count, concurrency)
        base_rate, _ = _http.report(
            "baseline (static file through the same stack)", *_http.drive(port, baseline)
        )
        rate, p95 = _http.report(
            "status webhook (signature check + one conditional UPDATE)",
            *_http.drive(port, _http.split(requests, concurrency)),
        )
        print(
            f"webhook throughput is {rate / base_rate:.2f}x the static-file baseline; target >= 300 req/s, p95 < 50 ms"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--sends", type=int, default=2_000)
    parser.add_argument("--webhook-requests", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"== Messaging bench on {_setup.database_label(url)}")
    campaign = bench_fan_out(args.contacts)
    ids = bench_send_cpu(campaign, args.sends)
    from django.db import connections

    connections.close_all()
    bench_webhook(ids, url, args.webhook_requests, args.workers, args.concurrency)


if __name__ == "__main__":
    main()
