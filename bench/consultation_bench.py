"""Consultation benchmarks. Prints figures, each beside a baseline measured in the same run; asserts nothing.

    .venv/bin/python bench/consultation_bench.py [--database-url postgres://postgres@127.0.0.1:5432/pv_bench_tally]
        [--responses 100000] [--scale]

1. Results page and district breakdown: server time (best of 3) beside a hand-written GROUP BY over
   Answer for the same counts (the old way). Target: < 0.3 s at 1,000,000 responses on PostgreSQL, and
   no slower at 10x the data than at 1x. `--scale` (PostgreSQL) measures 100,000 responses, then adds
   900,000 to the same consultation and measures again.
2. rebuild_tallies: recounting the seeded responses' tallies from the answers (and, up to 100,000
   responses, that `tallies.differences` then finds none).
3. CSV export: responses per second and peak memory (targets >= 20,000/s, < 200 MB).
4. A web answer POST (one question) beside a bare Django form POST (target <= 2x), and the final submit
   (check your answers: the Response and its Answers, counted into the tallies afterwards by
   `tallies.fold`, whose time per response is measured and added) beside a bare form POST saving the
   same rows with bulk_create (target <= 1.2x).
"""

import argparse
import os
import random
import resource
import secrets
import statistics
import sys
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

SCALE_URL = "postgres://postgres@127.0.0.1:5432/pv_bench_tally"
RESPONSE_COLUMNS = (
    "id",
    "consultation_id",
    "channel",
    "language",
    "status",
    "district_id",
    "parent_role",
    "child_age_bands",
    "ethnicity",
    "disability",
    "started_at",
    "completed_at",
    "completed_on",
    "counted",
)
ANSWER_COLUMNS = (
    "id",
    "response_id",
    "consultation_id",
    "question_id",
    "choice_key",
    "text",
    "number",
    "channel",
    "district_id",
    "parent_role",
    "ethnicity",
    "disability",
    "language",
)


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
    from parentvoice.models import District

    page = _setup.publish_consultation(questions())
    districts = [
        District.objects.create(name=f"District {i}", slug=f"d{i}", ons_code=f"E0700{i:04d}").pk
        for i in range(13)
    ]
    return page, districts


# --- Seeding (untimed set-up, but its time is printed) ----------------------------------------------


class SeedCounts:
    """What the seeded responses add to the tallies, counted while they are made: per answer set of the
    pool, how many responses used it (in all, and with each value of each dimension), expanded at the
    end with the dimensions of tallies.py. At 100,000 responses `tallies.rebuild` then recounts them
    from the answers with GROUP BY and must find no difference."""

    def __init__(self, page_id, pool):
        from collections import Counter

        self.page_id = page_id
        self.pool = pool
        self.by_pool = Counter()
        self.by_pool_column = Counter()
        self.responses = Counter()

    def add(self, p, values):
        from surveys import tallies

        self.by_pool[p] += 1
        for column in {*tallies.ANSWER_DIMENSIONS.values(), *tallies.ANSWERED_DIMENSIONS.values()}:
            self.by_pool_column[(p, column, tallies.as_value(values[column]))] += 1
        self.responses[("", "")] += 1
        for dimension, column in tallies.RESPONSE_DIMENSIONS.items():
            self.responses[(dimension, tallies.as_value(values[column]))] += 1

    def counts(self):
        from collections import Counter

        from surveys import tallies

        page = self.page_id
        keys, sums, answered = [], [], []
        for rows in self.pool:
            keys.append(Counter((q, key) for q, key, _, _ in rows))
            total = Counter()
            for q, _, _, number in rows:
                if number is not None:
                    total[q] += number
            sums.append(total)
            answered.append({q for q, _, _, _ in rows})
        counts = Counter()
        for p, n in self.by_pool.items():
            for (q, key), m in keys[p].items():
                counts[(page, q, key, "", "")] += n * m
            for q, total in sums[p].items():
                counts[(page, q, tallies.NUMBER_SUM, "", "")] += n * total
            for q in answered[p]:
                counts[(page, q, tallies.ANSWERED, "", "")] += n
        for (p, column, value), n in self.by_pool_column.items():
            for dimension, dimension_column in tallies.ANSWER_DIMENSIONS.items():
                if dimension_column == column:
                    for (q, key), m in keys[p].items():
                        counts[(page, q, key, dimension, value)] += n * m
            for dimension, dimension_column in tallies.ANSWERED_DIMENSIONS.items():
                if dimension_column == column:
                    for q in answered[p]:
                        counts[(page, q, tallies.ANSWERED, dimension, value)] += n
        for (dimension, value), n in self.responses.items():
            counts[(page, "", "", dimension, value)] += n
        return counts


def _rows(page, districts, first_response, first_answer, n, rng, seed_counts):
    """Batches of (response rows, answer rows) for n complete responses with a realistic spread. The
    answers come from a pool of 2,000 random answer sets (making each one afresh is most of the seeding
    time at a million responses; the spread of counts is the same)."""
    from django.utils import timezone

    from surveys import services
    from surveys.choices import Disability, Ethnicity

    pool = seed_counts.pool
    now = timezone.now()
    channels = ["web"] * 7 + ["sms"] * 2 + ["paper"]
    roles = ["mother", "father", "grandparent", "foster_carer", ""]
    ethnicities = [*Ethnicity.values, "", ""]
    disabilities = [*Disability.values, ""]
    languages = ["en-gb"] * 8 + ["pl", "ne"]
    responses, answers = [], []
    answer_id = first_answer
    for i in range(n):
        response_id = first_response + i
        channel, district, role = rng.choice(channels), rng.choice(districts), rng.choice(roles)
        ethnicity, disability, language = (
            rng.choice(ethnicities),
            rng.choice(disabilities),
            rng.choice(languages),
        )
        completed = now - timedelta(minutes=rng.randrange(60 * 24 * 20))
        completed_on = completed.astimezone(services.LONDON).date()
        responses.append(
            (
                response_id,
                page.pk,
                channel,
                language,
                "complete",
                district,
                role,
                "[]",
                ethnicity,
                disability,
                completed,
                completed,
                completed_on,
                True,  # counted: the script loads their counts into the tallies itself
            )
        )
        p = rng.randrange(len(pool))
        seed_counts.add(
            p,
            {
                "district_id": district,
                "channel": channel,
                "parent_role": role,
                "ethnicity": ethnicity,
                "disability": disability,
                "language": language,
                "completed_on": completed_on,
            },
        )
        for question_id, key, text, number in pool[p]:
            answers.append(
                (
                    answer_id,
                    response_id,
                    page.pk,
                    question_id,
                    key,
                    text,
                    number,
                    channel,
                    district,
                    role,
                    ethnicity,
                    disability,
                    language,
                )
            )
            answer_id += 1
        if len(answers) >= 200_000:
            yield responses, answers
            responses, answers = [], []
    yield responses, answers


# The Answer indexes the figures at a million responses use: the old way's two GROUP BYs (index-only
# scans) and the lowest and highest number on the results page. The others are built at 100,000.
MEASURED_ANSWER_INDEXES = (
    "(consultation_id, question_id, choice_key)",
    "(consultation_id, question_id, district_id, choice_key)",
    "(consultation_id, question_id, number)",
)


def seed_responses(page, districts, n, rng, *, all_indexes=True):
    """Add n complete responses to the page with their tallies. The two tables' indexes are dropped
    meanwhile and built again after (with `all_indexes` false, on Answer only those the figures use);
    rows go in by COPY on PostgreSQL (foreign keys not checked row by row), executemany on SQLite.
    Returns {phase: seconds}."""
    from django.db import connection, transaction

    from surveys import services, tallies
    from surveys.models import Answer, Response

    schema = services.schema_for(page)
    pool = [services.answer_rows(schema, _random_answers(schema, rng)) for _ in range(2000)]
    seed_counts = SeedCounts(page.pk, pool)
    first_response = (Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_answer = (Answer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    batches = _rows(page, districts, first_response, first_answer, n, rng, seed_counts)
    postgres = connection.vendor == "postgresql"
    timings = {}
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('surveys_response', 'surveys_answer') "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('surveys_response', 'surveys_answer')"
            )
        indexes = cursor.fetchall()
        start = time.perf_counter()
        with transaction.atomic():
            if postgres:
                cursor.execute(
                    "SET LOCAL session_replication_role = replica"
                )  # no foreign key trigger per row
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for responses, answers in batches:
                if postgres:
                    for table, columns, rows in (
                        ("surveys_response", RESPONSE_COLUMNS, responses),
                        ("surveys_answer", ANSWER_COLUMNS, answers),
                    ):
                        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                else:
                    _insert(cursor, "surveys_response", RESPONSE_COLUMNS, responses)
                    _insert(cursor, "surveys_answer", ANSWER_COLUMNS, answers)
        timings["rows"] = time.perf_counter() - start
        start = time.perf_counter()
        if postgres:
            cursor.execute("SET maintenance_work_mem = '1GB'")
        skipped = 0
        for _, definition in indexes:
            if (
                not all_indexes
                and "surveys_answer" in definition
                and not any(columns in definition.replace('"', "") for columns in MEASURED_ANSWER_INDEXES)
            ):
                skipped += 1
                continue
            cursor.execute(definition)
        if postgres:
            cursor.execute("RESET maintenance_work_mem")
            for table in ("surveys_response", "surveys_answer"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
        timings[f"{len(indexes) - skipped} indexes" + (f" ({skipped} left out)" if skipped else "")] = (
            time.perf_counter() - start
        )
    start = time.perf_counter()
    with transaction.atomic():
        tallies.apply(seed_counts.counts())
    timings["tallies"] = time.perf_counter() - start
    return timings


def _insert(cursor, table, columns, rows):
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def vacuum():
    """VACUUM ANALYZE (PostgreSQL: the visibility map lets the baseline's GROUP BY scan indexes only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE surveys_response, surveys_answer, surveys_tally")
        else:
            cursor.execute("ANALYZE")


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


def rebuild_tallies(page):
    """The rebuild_tallies command's work: recount the page's tallies from its answers (GROUP BY) and
    compare them with the running counts (here, those loaded with the seed plus those any bench POST
    added). There must be no difference."""
    from surveys import tallies

    start = time.perf_counter()
    found = tallies.rebuild(page.pk)
    print(
        f"rebuild_tallies: {time.perf_counter() - start:.1f} s to recount the tallies from the answers; "
        f"tallies.differences found {len(found)} rows differing"
        + (f", e.g. {list(found.items())[:3]}" if found else "")
    )


# --- Results ----------------------------------------------------------------------------------------


def staff_client():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(email="bench@example.org").first()
    if user is None:
        user = get_user_model().objects.create_superuser(email="bench@example.org", password="x")  # noqa: S106
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def best_of_3(run):
    """(best, median) seconds of 3 runs after a warm-up run."""
    run()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings), sorted(timings)[1]


# The old way: one hand-written GROUP BY over every answer for the same counts.
BASELINES = {
    "results page": "SELECT question_id, choice_key, COUNT(*) FROM surveys_answer WHERE consultation_id = %s "
    "GROUP BY question_id, choice_key",
    "breakdown by district": "SELECT question_id, choice_key, district_id, COUNT(*) FROM surveys_answer "
    "WHERE consultation_id = %s GROUP BY question_id, choice_key, district_id",
}


def bench_results(page, n, explain=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from surveys import results

    client = staff_client()
    url = f"/admin/consultations/{page.pk}/results/"
    figures = {}
    for name, address in (("results page", url), ("breakdown by district", url + "?by=district")):

        def get(address=address):
            response = client.get(address)
            assert response.status_code == 200, response.status_code

        best, median = best_of_3(get)
        with CaptureQueriesContext(connection) as queries:
            get()

        def baseline(name=name):
            with connection.cursor() as cursor:
                cursor.execute(BASELINES[name], [page.pk])
                cursor.fetchall()

        old, _ = best_of_3(baseline)
        figures[name] = best
        print(
            f"{name}: {best:.3f} s server time (best of 3; median {median:.3f} s; {len(queries)} queries) for "
            f"{n:,} responses x 15 questions; the old way's GROUP BY over Answer alone {old:.3f} s "
            f"({best / old:.2f}x of it); target < 0.3 s at 1,000,000 on PostgreSQL"
        )
    start = time.perf_counter()
    results.question_results(page)
    print(f"  (results.question_results alone {time.perf_counter() - start:.3f} s)")
    if explain and connection.vendor == "postgresql":
        _explain(page)
    return figures


def _explain(page):
    from django.db import connection

    from surveys.models import Tally

    tally_sql, params = (
        Tally.objects.filter(consultation=page, dimension="district")
        .values_list("question_id", "choice_key", "value", "count")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        for name, sql, arguments in (
            ("tally read, district", tally_sql, params),
            ("old way, district", BASELINES["breakdown by district"], [page.pk]),
        ):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, arguments)
            print(f"  EXPLAIN ANALYZE {name}:")
            for (line,) in cursor.fetchall():
                print(f"    {line}")


# --- Exports ----------------------------------------------------------------------------------------


def bench_export(page, n, xlsx=True):
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
    if xlsx:
        start = time.perf_counter()
        exports.xlsx_file(page).close()
        print(f"XLSX export: {time.perf_counter() - start:.1f} s")


# --- Answering --------------------------------------------------------------------------------------


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
        f"answer POST (one question): {ours:.2f} ms; bare Django form POST {bare:.2f} ms; ratio {ours / bare:.2f}x; "
        "target <= 2x"
    )


def bench_submit(page, repeats):
    """The final submit beside a bare submit, interleaved one by one (so a busy moment of the shared
    machine falls on both alike); each browser session is given a complete set of answers first
    (untimed), as if its questions had been answered."""
    from django.test import Client

    from bench.bench_urls import BARE_ANSWERS
    from surveys import services, views
    from surveys.models import Response

    schema = services.schema_for(page)
    answers = _random_answers(schema, random.Random(3))
    for q in schema:  # every question is required: a real answer to each
        if q.type == "free_text":
            answers[q.id] = "More evening groups"
    rows = [list(row) for row in services.answer_rows(schema, answers)]
    submit_url = f"/consultations/{page.pk}/check-your-answers/"
    client = Client()
    client.get(f"/consultations/{page.pk}/start/")

    def ours():
        session = client.session
        key = secrets.token_urlsafe(24)
        session[views._state_key(page)] = {"answers": answers, "contact": None, "submission_key": key}
        session.pop(views.DONE_KEY, None)
        session.pop(views._sent_key(page), None)
        session.save()
        start = time.perf_counter()
        response = client.post(submit_url, {"submission_key": key})
        seconds = time.perf_counter() - start
        assert response.status_code == 302 and response["Location"].endswith("/done/"), (
            response.status_code,
            response.get("Location"),
        )
        return seconds

    bare_keys = []

    def bare():
        session = client.session
        session[BARE_ANSWERS] = [page.pk, rows]
        session.save()
        bare_keys.append(secrets.token_urlsafe(24))
        start = time.perf_counter()
        response = client.post("/bench-submit/", {"submission_key": bare_keys[-1]})
        seconds = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        return seconds

    for _ in range(10):
        ours(), bare()
    timings = {"ours": [], "bare": []}
    for _ in range(repeats):
        timings["ours"].append(ours())
        timings["bare"].append(bare())
    # The bare view's responses are not ours to count: they go before the fold.
    Response.objects.filter(submission_key__in=bare_keys).delete()
    from surveys import tallies

    start = time.perf_counter()
    folded = tallies.fold([page.pk])
    fold_ms = (time.perf_counter() - start) * 1000 / max(folded, 1)
    ours_ms = statistics.median(timings["ours"]) * 1000
    bare_ms = statistics.median(timings["bare"]) * 1000
    print(
        f"submit POST (check your answers: Response + {len(rows)} Answers): {ours_ms:.2f} ms; "
        f"counting it into the tallies afterwards (tallies.fold of {folded} responses at once) {fold_ms:.2f} ms "
        f"a response; bare Django form POST saving the same rows with bulk_create {bare_ms:.2f} ms; "
        f"ratio {(ours_ms + fold_ms) / bare_ms:.2f}x with the fold ({ours_ms / bare_ms:.2f}x without; "
        f"medians of {repeats}, interleaved); target <= 1.2x"
    )


# --- Main -------------------------------------------------------------------------------------------


def _drop(url):
    """Drop the benchmark database (a million responses take several GB of disk)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load():
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"100,000 then 1,000,000 responses in one run, on PostgreSQL (default {SCALE_URL})",
    )
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--submits", type=int, default=100)
    parser.add_argument("--no-export", action="store_true", help="skip the CSV and XLSX exports")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX export (not a target)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE (PostgreSQL)")
    parser.add_argument(
        "--rebuild-all", action="store_true", help="time rebuild_tallies above 100,000 responses too"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    args = parser.parse_args()
    if args.scale and not args.database_url:
        args.database_url = SCALE_URL
    url = _setup.prepare(args.database_url, urlconf="bench.bench_urls")
    if args.scale and not url.startswith("postgres"):
        parser.error("--scale runs on PostgreSQL only")
    sizes = [100_000, 1_000_000] if args.scale else [args.responses]
    from surveys.models import Response

    print(f"== Consultation bench on {_setup.database_label(url)} ({_load()})")
    page, districts = make_consultation()
    rng = random.Random(7)
    figures = {}
    for i, size in enumerate(sizes):
        seeded = Response.objects.filter(consultation=page).count()
        start = time.perf_counter()
        timings = seed_responses(page, districts, size - seeded, rng, all_indexes=i == 0)
        detail = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        print(
            f"(seeded {size - seeded:,} responses in {time.perf_counter() - start:.0f} s"
            + (f": {detail}" if detail else "")
            + ", untimed)"
        )
        start = time.perf_counter()
        vacuum()
        print(f"(VACUUM ANALYZE {time.perf_counter() - start:.0f} s; {_load()})")
        figures[size] = bench_results(page, size, explain=args.explain)
        if i == 0:
            if not args.no_export:
                bench_export(page, size, xlsx=not args.no_xlsx)
            bench_answer_post(page, args.posts)
            bench_submit(page, args.submits)
        if size <= 100_000 or args.rebuild_all:
            rebuild_tallies(page)
    if len(sizes) > 1:
        small, large = figures[sizes[0]], figures[sizes[-1]]
        for name in small:
            print(
                f"{name} at {sizes[-1]:,} vs {sizes[0]:,} responses: {large[name]:.3f} s vs {small[name]:.3f} s "
                f"({large[name] / small[name]:.2f}x for {sizes[-1] // sizes[0]}x the data)"
            )
    if url.startswith("postgres") and not args.keep:
        from django.db import connection

        connection.close()
        _drop(url)
        print("(benchmark database dropped)")


if __name__ == "__main__":
    main()
