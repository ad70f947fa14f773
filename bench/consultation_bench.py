"""Consultation benchmarks. Prints figures; asserts nothing.

    .venv/bin/python bench/consultation_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

1. Results page server time with 100,000 responses of 15 questions (target < 1 s).
2. CSV export: responses per second and peak memory (targets >= 20,000/s, < 200 MB).
3. A web answer POST beside a bare Django form POST in the same run (target <= 2x).
"""

import argparse
import random
import resource
import sys
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup


def questions():
    blocks = []
    for _ in range(8):
        blocks.append(
            ("single_choice", {"choices": [{"label": f"Option {k}", "key": f"o{k}"} for k in range(5)]})
        )
    blocks += [("scale", {"low_label": "Low", "high_label": "High"})] * 2
    blocks += [
        (
            "multiple_choice",
            {"choices": [{"label": f"Item {k}", "key": f"i{k}"} for k in range(6)], "other_option": True},
        )
    ] * 2
    blocks += [("number", {"min_value": 0, "max_value": 20})]
    blocks += [("free_text", {"max_length": 1000})] * 2
    raw = []
    for n, (kind, extra) in enumerate(blocks):
        value = {
            "label": f"Question {n + 1}",
            "hint": "",
            "required": True,
            "code": f"q{n + 1}",
            "show_if": {},
            **extra,
        }
        raw.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
    return raw


def make_consultation():
    return _setup.publish_consultation(questions())


def seed_responses(page, n):
    """Bulk-load n complete responses with realistic spread (untimed set-up)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from parentvoice.models import District
    from surveys import services

    schema = services.schema_for(page)
    districts = [
        District.objects.create(name=f"District {i}", slug=f"d{i}", ons_code=f"E0700{i:04d}").pk
        for i in range(13)
    ]
    rng = random.Random(7)
    now = timezone.now()
    channels = ["web"] * 7 + ["sms"] * 2 + ["paper"]
    roles = ["mother", "father", "grandparent", "foster_carer", ""]
    with transaction.atomic(), connection.cursor() as cursor:
        response_rows, answer_rows = [], []
        start_id = 1
        for i in range(n):
            channel, district, role = rng.choice(channels), rng.choice(districts), rng.choice(roles)
            completed = now - timedelta(minutes=rng.randrange(60 * 24 * 20))
            completed_on = completed.astimezone(services.LONDON).date()
            response_rows.append(
                (
                    start_id + i,
                    page.pk,
                    channel,
                    "complete",
                    district,
                    role,
                    "[]",
                    completed,
                    completed,
                    completed_on,
                )
            )
            for question_id, key, text, number in services.answer_rows(schema, _random_answers(schema, rng)):
                answer_rows.append(
                    (start_id + i, page.pk, question_id, key, text, number, channel, district, role)
                )
            if len(answer_rows) > 50_000:
                _flush(cursor, response_rows, answer_rows)
                response_rows, answer_rows = [], []
        _flush(cursor, response_rows, answer_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('surveys_response', 'id'), (SELECT MAX(id) FROM surveys_response))"
            )
            cursor.execute("ANALYZE")


def _flush(cursor, responses, answers):
    cursor.executemany(
        "INSERT INTO surveys_response (id, consultation_id, channel, status, district_id, parent_role, child_age_bands, started_at, completed_at, completed_on) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        responses,
    )
    cursor.executemany(
        "INSERT INTO surveys_answer (response_id, consultation_id, question_id, choice_key, text, number, channel, district_id, parent_role) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        answers,
    )


def _random_answers(schema, rng):
    answers = {}
    for q in schema:
        if q.type == "single_choice":
            answers[q.id] = rng.choice(q.choices)[0]
        elif q.type == "scale":
            answers[q.id] = str(rng.randint(1, 5))
        elif q.type == "multiple_choice":
            keys = sorted(rng.sample([k for k, _ in q.choices], rng.randint(1, 3)))
            answers[q.id] = {
                "keys": keys + (["other"] if rng.random() < 0.1 else []),
                "other": "Something else",
            }
        elif q.type == "number":
            answers[q.id] = rng.randint(0, 6)
        else:
            answers[q.id] = rng.choice(
                ["More evening groups", "Help with transport", "", "=formula looking text"]
            )
    return answers


def staff_client():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser(email="bench@example.org", password="x")  # noqa: S106
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def bench_results(page, n):
    from surveys import results

    client = staff_client()
    url = f"/admin/consultations/{page.pk}/results/"
    client.get(url)  # warm caches (templates, site root paths)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    start = time.perf_counter()
    results.question_results(page)
    aggregation = time.perf_counter() - start
    print(
        f"results page: {min(timings):.3f} s server time (best of 3; median {sorted(timings)[1]:.3f} s) for {n:,} responses x 15 questions; the aggregation alone {aggregation:.3f} s; target < 1 s"
    )
    start = time.perf_counter()
    response = client.get(url + "?by=district")
    print(f"results page with a breakdown by district: {time.perf_counter() - start:.3f} s")


def bench_export(page, n):
    from surveys import exports

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    size = sum(len(chunk) for chunk in exports.csv_chunks(page))
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # A second pass under tracemalloc (which slows allocation, so it is not timed) for the heap peak.
    tracemalloc.start()
    for _ in exports.csv_chunks(page):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"CSV export: {n:,} responses, {size / 1e6:.0f} MB of CSV in {seconds:.2f} s = {n / seconds:,.0f} responses/s; "
        f"Python heap peak {peak / 1e6:.1f} MB; process peak RSS grew {(rss_after - rss_before) / 1024:.0f} MB "
        f"(to {rss_after / 1024:.0f} MB); targets >= 20,000/s, < 200 MB"
    )
    start = time.perf_counter()
    exports.xlsx_file(page).close()
    print(f"XLSX export: {time.perf_counter() - start:.1f} s")


def bench_answer_post(page, repeats):
    from django.test import Client

    from surveys import services

    question = services.schema_for(page)[0]
    answer_url = f"/consultations/{page.pk}/question/{question.id}/"
    client = Client()
    client.get(f"/consultations/{page.pk}/start/")

    def timed(url, data):
        for _ in range(20):
            client.post(url, data)
        start = time.perf_counter()
        for _ in range(repeats):
            response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)
        return (time.perf_counter() - start) / repeats * 1000

    bare = timed("/bench-form/", {"answer": "a"})
    ours = timed(answer_url, {"answer": question.choices[0][0]})
    print(
        f"answer POST: {ours:.2f} ms; bare Django form POST {bare:.2f} ms; ratio {ours / bare:.2f}x; target <= 2x"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=300)
    args = parser.parse_args()
    url = _setup.prepare(args.database_url, urlconf="bench.bench_urls")
    print(f"== Consultation bench on {_setup.database_label(url)}")
    page = make_consultation()
    start = time.perf_counter()
    seed_responses(page, args.responses)
    print(f"(seeded {args.responses:,} responses in {time.perf_counter() - start:.0f} s, untimed)")
    bench_results(page, args.responses)
    bench_export(page, args.responses)
    bench_answer_post(page, args.posts)


if __name__ == "__main__":
    main()
