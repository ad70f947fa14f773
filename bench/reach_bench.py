"""The reach and equality dashboard (and the board report, when there is one) over a large data set.
Prints figures; asserts nothing.

    .venv/bin/python bench/reach_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]
    [--scale 0.1]  # a smaller run for a quick look

Seeds 100 consultations with 1,000,000 complete responses (district, channel, parent role, ethnic group,
disability, partner and children's age bands spread over realistic mixes), 10 fora with 10,000
confirmed bookings and 5,000 members, 500 actions with two progress reports each, and county-wide and
district benchmarks. It first builds a tenth of that, measures, then adds the rest and measures again,
so the query counts show they do not grow with the data.

Measured (best of 3, server time in this process, no HTTP): `reach_dashboard()` for the county, for one
district, and for one consultation; and `feedback_loop.services.reports.board_report_context(report)`
if the reports module provides it. Target: each under 2 s on PostgreSQL over the full data, with the
same number of queries at both sizes.

Measured on 2026-12-02 on this project's 2-core machine, PostgreSQL 15 (best of 3):

| | 100,000 responses, 1,000 bookings | 1,000,000 responses, 10,000 bookings |
| --- | --- | --- |
| county, all time | 0.169 s, 6 queries | 1.443 s, 6 queries |
| one district | 0.020 s, 7 queries | 0.154 s, 7 queries |
| one consultation | 0.006 s, 4 queries | 0.051 s, 4 queries |
| county, one quarter | 0.054 s, 6 queries | 0.624 s, 6 queries |
| board_report_context (reports helper's, as of this run) | 0.123 s, 11 queries | 0.604 s, 11 queries |

(7 for a district: the script passes its id, which is looked up.) What makes it: all the responses'
marginals come from one scan with GROUPING SETS (grouping by every column together returns about one row
per response); seeding takes about 4 minutes.
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

RESPONSES = 1_000_000
CONSULTATIONS = 100
BOOKINGS = 10_000
MEMBERS = 5_000
ACTIONS = 500
FORA = 10
BATCH = 10_000

ROLES = (
    ["mother"] * 60 + ["father"] * 15 + ["grandparent"] * 5 + ["foster_carer", "kinship_carer"] + [""] * 18
)
ETHNICITIES = ["white"] * 70 + ["asian"] * 4 + ["black"] * 2 + ["mixed"] * 2 + ["other"] + [""] * 21
DISABILITIES = ["no"] * 60 + ["yes"] * 10 + [""] * 30
CHANNELS = ["web"] * 6 + ["sms"] * 3 + ["paper"]
BANDS = [[], ["0-4"], ["5-10"], ["11-15"], ["0-4", "5-10"], ["5-10", "11-15"], ["16-19"], ["20-25"]]
START = date(2026, 1, 1)


def best_of(runs, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return min(times), len(captured)


def seed_structure(rng):
    """Districts, consultations, partners, fora and their meetings, actions, benchmarks."""
    from django.utils import timezone

    from feedback_loop.models import Action, Priority, ProgressReport
    from forums.models import EventPage, ForumIndexPage, ForumPage
    from parentvoice.models import District
    from surveys.models import ConsultationPage, Partner, ReachBenchmark

    districts = [
        District.objects.create(name=f"District {i}", slug=f"district-{i}", ons_code=f"E0700{i:04d}")
        for i in range(12)
    ]
    first = _setup.publish_consultation([])
    index = first.get_parent()
    consultations = [first.pk]
    now = timezone.now()
    for i in range(1, CONSULTATIONS):
        page = ConsultationPage(
            title=f"Consultation {i}",
            slug=f"consultation-{i}",
            summary="s",
            why_asking="<p>w</p>",
            what_happens_next="<p>n</p>",
            opens_at=now - timedelta(days=300),
            closes_at=now + timedelta(days=30),
            ask_about_you=False,
            questions=[],
        )
        index.add_child(instance=page)
        consultations.append(page.pk)
    partners = [Partner.objects.create(name=f"Partner {i}", kind="school").pk for i in range(20)]
    fora_index = ForumIndexPage(title="Parent fora", slug="parent-fora")
    index.get_parent().add_child(instance=fora_index)
    events = []
    for i in range(FORA):
        forum = ForumPage(
            title=f"Forum {i}",
            slug=f"forum-{i}",
            district=districts[i],
            summary="s",
            who_for="Parents",
            how_it_works="<p>We meet.</p>",
            meeting_pattern="Monthly",
        )
        fora_index.add_child(instance=forum)
        for j in range(10):
            start = now - timedelta(days=10 + 20 * j)
            event = EventPage(
                title=f"Meeting {i}-{j}",
                slug=f"meeting-{j}",
                start=start,
                end=start + timedelta(hours=2),
                venue_name="Hall",
                address="1 High Street",
            )
            forum.add_child(instance=event)
            events.append(event.pk)
    Priority.objects.bulk_create(Priority(number=n, title=f"Priority {n}") for n in range(1, 10))
    priorities = list(Priority.objects.values_list("pk", flat=True))
    Action.objects.bulk_create(
        Action(priority_id=priorities[i % 9], number=i // 9 + 1, text=f"Action {i}", starts_on=START)
        for i in range(ACTIONS)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action_id=pk,
            reported_on=START + timedelta(days=90 * k),
            status=rng.choice(["green", "green", "amber", "red", "complete"]),
            commentary="Progress as planned.",
        )
        for pk in Action.objects.values_list("pk", flat=True)
        for k in range(2)
    )
    county = [("parent_role", "mother", 50), ("parent_role", "father", 45), ("ethnicity", "white", 89.5)]
    county += [("ethnicity", "asian", 4.6), ("ethnicity", "black", 2), ("ethnicity", "mixed", 2.5)]
    ReachBenchmark.objects.bulk_create(
        ReachBenchmark(dimension=d, value=v, share=s, source="bench") for d, v, s in county
    )
    ReachBenchmark.objects.create(
        district=districts[0], dimension="parent_role", value="father", share=44, source="bench"
    )
    return [d.pk for d in districts], consultations, partners, events


def seed_people(rng, n_responses, n_bookings, n_members, districts, consultations, partners, events, offset):
    from django.utils import timezone

    from forums.models import Booking, Membership
    from messaging.models import Contact
    from surveys.models import Response

    now = timezone.now()
    done = 0
    while done < n_responses:
        size = min(BATCH, n_responses - done)
        rows = []
        for _ in range(size):
            day = START + timedelta(days=rng.randrange(300))
            rows.append(
                Response(
                    consultation_id=rng.choice(consultations),
                    channel=rng.choice(CHANNELS),
                    district_id=rng.choice(districts) if rng.random() < 0.9 else None,
                    parent_role=rng.choice(ROLES),
                    ethnicity=rng.choice(ETHNICITIES),
                    disability=rng.choice(DISABILITIES),
                    partner_id=rng.choice(partners) if rng.random() < 0.2 else None,
                    child_age_bands=rng.choice(BANDS),
                    completed_at=now,
                    completed_on=day,
                )
            )
        Response.objects.bulk_create(rows, batch_size=BATCH)
        done += size
    Contact.objects.bulk_create(
        (
            Contact(
                mobile=f"+44741{offset + i:07d}",
                district_id=rng.choice(districts),
                parent_role=rng.choice(ROLES),
                child_age_bands=rng.choice(BANDS),
            )
            for i in range(n_members)
        ),
        batch_size=BATCH,
    )
    fora = {}
    from forums.models import EventPage

    for pk, forum_id in EventPage.objects.filter(pk__in=events).values_list("pk", "forum_id"):
        fora[pk] = forum_id
    forum_ids = sorted(set(fora.values()))
    contacts = (
        Contact.objects.filter(mobile__startswith="+44741")
        .order_by("-pk")
        .values_list("pk", flat=True)[:n_members]
    )
    Membership.objects.bulk_create(
        (Membership(forum_id=forum_ids[i % len(forum_ids)], contact_id=pk) for i, pk in enumerate(contacts)),
        batch_size=BATCH,
    )
    Booking.objects.bulk_create(
        (
            Booking(
                event_id=rng.choice(events),
                name="Bench",
                email=f"b{offset + i}@example.org",
                adults=rng.choice([1, 1, 2]),
                parent_role=rng.choice(ROLES),
                status="confirmed",
            )
            for i in range(n_bookings)
        ),
        batch_size=BATCH,
    )


def measure(label, districts, consultations):
    from django.db.models import Count

    from feedback_loop import services
    from surveys.models import Response

    print(f"\n{label}: {Response.objects.count():,} responses")
    # Baseline: one plain GROUP BY over every response (a single dimension), measured in the same run.
    baseline, _ = best_of(
        3, lambda: list(Response.objects.values("parent_role").annotate(n=Count("id")).order_by())
    )
    print(f"  baseline, one GROUP BY parent_role over all responses: {baseline:.3f} s")
    for name, filters in (
        ("county", {}),
        ("one district", {"district": districts[0]}),
        ("one consultation", {"consultation_ids": [consultations[0]]}),
        ("county, one quarter", {"since": date(2026, 4, 1), "until": date(2026, 6, 30)}),
    ):
        seconds, queries = best_of(3, lambda filters=filters: services.reach_dashboard(**filters))
        print(
            f"  reach_dashboard ({name}): {seconds:.3f} s, {queries} queries, {seconds / baseline:.1f}x baseline"
        )
    try:
        from feedback_loop.services.reports import board_report_context
    except ImportError:
        print("  board report: feedback_loop.services.reports.board_report_context not there yet")
        return
    from feedback_loop.models import Report

    report = Report.objects.filter(kind="board").first()
    if report is None:
        report = Report.objects.create(
            kind="board", period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
        )
    seconds, queries = best_of(3, lambda: board_report_context(report))
    print(f"  board_report_context: {seconds:.3f} s, {queries} queries, {seconds / baseline:.1f}x baseline")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    from django.db import connection

    rng = random.Random(16)  # repeatable bench data
    print(f"Database: {_setup.database_label(url)}")
    started = time.perf_counter()
    structure = seed_structure(rng)
    districts, consultations, partners, events = structure
    full = [int(n * args.scale) for n in (RESPONSES, BOOKINGS, MEMBERS)]
    tenth = [n // 10 for n in full]
    seed_people(rng, *tenth, *structure, offset=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"seeded a tenth in {time.perf_counter() - started:.0f} s")
    measure("A tenth", districts, consultations)
    started = time.perf_counter()
    rest = [f - t for f, t in zip(full, tenth, strict=True)]
    seed_people(rng, *rest, *structure, offset=tenth[2])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"seeded the rest in {time.perf_counter() - started:.0f} s")
    measure("Full", districts, consultations)


if __name__ == "__main__":
    main()
