"""The Twilio status webhook beside a bare Django view. Prints figures; asserts nothing.

    .venv/bin/python bench/webhook_bench.py [--database-url postgres://postgres@127.0.0.1:5432/pv_bench_webhooks]

The site runs under gunicorn (sync workers) with the bench settings; keep-alive client threads POST, in
rounds that alternate so both see the same machine load:

- bare: a csrf-exempt view answering 204 with no database work, behind the site's whole middleware
  stack (the baseline the issue names);
- status webhook: signed Twilio status callbacks (signature check, the conditional UPDATE), "sent" and
  then "delivered" for each message, as Twilio sends them: half first receipts, half second ones.

Target (issue #19): the webhook at >= 0.5x the bare view's requests per second.

Then, in this process and so unmoved by the machine's load, the CPU time per request of the bare view,
a first and a second receipt, and the same receipts through the whole middleware (what
messaging.webhooks.WebhookMiddleware saves).
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _http, _setup

HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def seed_messages(n, start=0):
    from django.utils import timezone

    from messaging.models import Message

    now = timezone.now()
    Message.objects.bulk_create(
        (
            Message(
                channel="sms",
                recipient=f"+44740{i:07d}",
                body="Bench",
                status="sending",
                idempotency_key=f"bench-{i}",
                provider="twilio",
                provider_ref=f"SM{i:032x}",
                created_at=now,
                sent_at=now,
            )
            for i in range(start, start + n)
        ),
        batch_size=5000,
    )
    return list(
        Message.objects.filter(idempotency_key__in=[f"bench-{i}" for i in range(start, start + n)])
        .order_by("pk")
        .values_list("pk", "provider_ref")
    )


def status_requests(messages, block=200):
    """Signed callbacks, "sent" for a block of messages and then "delivered" for the block before, so
    that every stretch of the list is half first receipts, half second ones."""
    from django.conf import settings
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)

    def signed(message_id, ref, status):
        path = f"/messaging/twilio/status/?m={message_id}"
        params = {
            "MessageSid": ref,
            "MessageStatus": status,
            "AccountSid": "AC00000000000000000000000000000000",
            "From": "+447400000001",
            "To": "+447400000002",
            "ApiVersion": "2010-04-01",
        }
        signature = validator.compute_signature(settings.WAGTAILADMIN_BASE_URL + path, params)
        return ("POST", path, urlencode(params), {**HEADERS, "X-Twilio-Signature": signature})

    blocks = [messages[i : i + block] for i in range(0, len(messages), block)]
    requests = []
    for index, current in enumerate([*blocks, []]):
        requests += [signed(pk, ref, "sent") for pk, ref in current]
        if index:
            requests += [signed(pk, ref, "delivered") for pk, ref in blocks[index - 1]]
    return requests


def cpu_per_request(messages):
    """CPU time of this process per request through Django's WSGI handler, with no HTTP and no other
    process involved: the figure the machine's load does not move. Bare view, first and second
    receipts, and a second receipt through the whole middleware (WebhookMiddleware left out)."""
    import io
    import time

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    def environ(method, path, body, headers):
        path, _, query = path.partition("?")
        data = body.encode()
        env = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": headers["Content-Type"],
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if "X-Twilio-Signature" in headers:
            env["HTTP_X_TWILIO_SIGNATURE"] = headers["X-Twilio-Signature"]
        return env

    def run(app, requests):
        statuses = []
        start = time.process_time()
        for request in requests:
            result = app(environ(*request), lambda status, headers, exc_info=None: statuses.append(status))
            b"".join(result)
            result.close()
        assert all(status.startswith("20") for status in statuses), statuses[:3]
        return (time.process_time() - start) / len(requests) * 1000

    half = len(messages) // 2
    fast, slow = status_requests(messages[:half]), status_requests(messages[half:])
    sent = lambda requests: [r for r in requests if "MessageStatus=sent" in r[2]]  # noqa: E731
    delivered = lambda requests: [r for r in requests if "MessageStatus=delivered" in r[2]]  # noqa: E731
    bare = [("POST", "/bench-bare/", fast[0][2], HEADERS)] * half
    app = WSGIHandler()
    run(app, bare[:200])  # warm up
    figures = {"bare view": run(app, bare)}
    figures["first receipt (sent)"] = run(app, sent(fast))
    figures["second receipt (delivered)"] = run(app, delivered(fast))
    middleware = [m for m in settings.MIDDLEWARE if m != "messaging.webhooks.WebhookMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        app = WSGIHandler()
        figures["first receipt, whole middleware"] = run(app, sent(slow))
        figures["second receipt, whole middleware"] = run(app, delivered(slow))
    print("CPU per request in one process (ms): " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--size", type=int, default=4_000, help="requests per round and kind")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--cpu", type=int, default=2_000, help="messages for the in-process CPU figures")
    args = parser.parse_args()
    url = _setup.prepare(args.database_url, urlconf="bench.webhook_urls")
    print(
        f"== Webhook bench on {_setup.database_label(url)}: gunicorn {args.workers} sync workers, "
        f"{args.concurrency} keep-alive clients, {args.rounds} rounds of {args.size:,} requests each"
    )
    # Each message gets "sent" and then "delivered", as from Twilio: half first receipts, half second.
    messages = seed_messages(args.size * args.rounds // 2)
    webhook = status_requests(messages)
    body = webhook[0][2]
    bare = [("POST", "/bench-bare/", body, HEADERS)] * args.size
    from django.db import connections

    connections.close_all()
    totals = {"bare": [0, 0.0, []], "webhook": [0, 0.0, []]}
    with _http.gunicorn(url, args.workers) as port:
        for r in range(args.rounds):
            for kind, requests in (("bare", bare), ("webhook", webhook[r * args.size : (r + 1) * args.size])):
                latencies, elapsed, errors, _ = _http.drive(port, _http.split(requests, args.concurrency))
                _http.report(f"round {r + 1}, {kind}", latencies, elapsed, errors)
                totals[kind][0] += len(latencies)
                totals[kind][1] += elapsed
                totals[kind][2].extend(latencies)
    rates = {}
    for kind, label in (("bare", "bare view (204, whole middleware)"), ("webhook", "status webhook")):
        count, elapsed, latencies = totals[kind]
        rates[kind], _ = _http.report(f"all rounds, {label}", latencies, elapsed, [])
    ratio = rates["webhook"] / rates["bare"]
    print(f"status webhook / bare view: {ratio:.2f}x; target >= 0.5x")

    from messaging.models import Message

    delivered = Message.objects.filter(status="delivered").count()
    print(f"messages delivered: {delivered:,} of {len(messages):,}")
    if args.cpu:
        cpu_per_request(seed_messages(args.cpu, start=len(messages)))


if __name__ == "__main__":
    main()
