"""Screening free text and the retention job. Prints figures; asserts nothing.

    .venv/bin/python bench/safeguarding_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

- screening: `matching_terms` on a 100,000-character text against 1,000 terms, and on a typical
  1,000-character answer against the starting term list, each beside `normalise` of the same text
  alone (the one pass every screen makes) in the same run. Target: a long text screened in under
  1 second; a typical answer in under 5 ms.
- retention: `run_retention` wiping 50,000 messages past RETAIN_MESSAGE_DAYS (in chunks of 1,000, each
  re-checking the rule), beside one plain UPDATE of 50,000 other messages' body and address in the
  same run. Target: 10,000 rows a second or more. The chunks (each its own short transaction, so a
  run never holds a long lock on a table the site is writing to) cost a fixed multiple of the UPDATE.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

MESSAGES = 50_000


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def screening():
    from parentvoice.safeguarding.choices import TermMatch
    from parentvoice.safeguarding.services import matching_terms, normalise
    from parentvoice.safeguarding.starting_terms import STARTING_TERMS

    terms = [(f"term{i} word{i}", TermMatch.PHRASE if i % 2 else TermMatch.STEM) for i in range(1000)]
    long_text = ("Some ordinary words about a school day, nothing to worry about. " * 1600)[:100_000]
    long_match = best_of(3, lambda: matching_terms(long_text, terms))
    long_base = best_of(3, lambda: normalise(long_text))
    starting = [(phrase, match) for phrase, match, _ in STARTING_TERMS]
    answer = ("We would come to meetings if they were after school and there was a creche. " * 14)[:1000]
    answer_match = best_of(50, lambda: matching_terms(answer, starting))
    answer_base = best_of(50, lambda: normalise(answer))
    print(
        f"screening 100,000 chars x 1,000 terms: {long_match * 1000:.0f} ms ({long_match / long_base:.1f}x normalise alone)"
    )
    print(
        f"screening a 1,000-char answer x {len(starting)} starting terms: {answer_match * 1e6:.0f} us "
        f"({answer_match / answer_base:.1f}x normalise alone)"
    )


def seed_messages(n, created_at, prefix):
    from messaging.choices import Channel, MessageStatus
    from messaging.models import Message

    Message.objects.bulk_create(
        (
            Message(
                channel=Channel.SMS,
                recipient=f"+44740{i:07d}",
                body=f"Kent Parent Voice: have your say {i}. Reply STOP to stop.",
                status=MessageStatus.DELIVERED,
                idempotency_key=f"{prefix}-{i}",
                created_at=created_at,
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def retention():
    from django.conf import settings
    from django.utils import timezone

    from messaging.models import Message
    from parentvoice.privacy.services.retention import run_retention

    old = timezone.now() - timedelta(days=settings.RETAIN_MESSAGE_DAYS + 10)
    seed_messages(MESSAGES, old, "baseline")
    started = time.perf_counter()
    Message.objects.filter(idempotency_key__startswith="baseline-").update(body="", recipient="", subject="")
    baseline = time.perf_counter() - started
    Message.objects.all().delete()
    seed_messages(MESSAGES, old, "retained")
    started = time.perf_counter()
    counts = run_retention()
    elapsed = time.perf_counter() - started
    wiped = Message.objects.filter(body="", recipient="").count()
    print(
        f"retention: {wiped:,} messages wiped (counts {counts.get('messaging.messages')}) in {elapsed:.2f} s "
        f"({wiped / elapsed:,.0f} rows/s); one plain UPDATE of {MESSAGES:,}: {baseline:.2f} s; "
        f"ratio {elapsed / baseline:.1f}x"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"database: {_setup.database_label(url)}")
    screening()
    retention()


if __name__ == "__main__":
    main()
