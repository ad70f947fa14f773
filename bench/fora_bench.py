"""Parent fora benchmark. Prints figures; asserts nothing.

    .venv/bin/python bench/fora_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

Server time (Django test client, best of 5) and query count of the fora index, What's on (first page
and a district filter) and the site-wide calendar feed, first with 5 fora and 50 events (the baseline),
then with 50 fora and 5,000 events. Target: the same number of queries at both sizes. The calendar
feed is cached while nothing in it changes; its first build is printed too.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

PAGES = [
    ("fora index", "/parent-fora/"),
    ("What's on", "/parent-fora/whats-on/"),
    ("What's on, one district", "/parent-fora/whats-on/?district=district-1"),
    ("calendar feed", "/parent-fora/calendar/"),
]


def seed(fora, events_per_forum, start_at=0):
    from django.utils import timezone
    from wagtail.models import Page, Site

    from forums.models import EventPage, ForumIndexPage, ForumPage
    from parentvoice.models import District, HomePage

    index = ForumIndexPage.objects.first()
    if index is None:
        home = HomePage(title="Home", slug="bench-home", introduction="x")
        Page.get_first_root_node().add_child(instance=home)
        Site.objects.update(root_page=home)
        index = ForumIndexPage(title="Parent fora", slug="parent-fora")
        home.add_child(instance=index)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n in range(start_at, start_at + fora):
        # A valid 9-character ONS code (E + 8 digits; PostgreSQL enforces the column's length), in a
        # range no real district uses.
        ons_code = f"E99{n:06d}"
        district = District.objects.create(name=f"District {n}", slug=f"district-{n}", ons_code=ons_code)
        forum = ForumPage(
            title=f"Forum {n}",
            slug=f"forum-{n}",
            district=district,
            summary="s",
            who_for="Parents",
            how_it_works="<p>x</p>",
            meeting_pattern="Monthly",
        )
        index.add_child(instance=forum)
        for e in range(events_per_forum):
            start = now + timedelta(days=e - events_per_forum // 5, hours=n % 8)
            forum.add_child(
                instance=EventPage(
                    title=f"Meeting {n}-{e}",
                    slug=f"meeting-{e}",
                    start=start,
                    end=start + timedelta(hours=2),
                    venue_name="Centre",
                    address="1 High Street",
                    online_link="https://meet.example.org/x" if e % 3 == 0 else "",
                )
            )


def measure(label):
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for name, url in PAGES:
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        first = time.perf_counter() - start
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        reset_queries()  # each request resets the log; start the capture from an empty one
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        results[name] = (min(times), len(captured))
        print(
            f"{label}: {name}: {min(times) * 1000:.1f} ms (first request, empty cache: {first * 1000:.1f} ms), "
            f"{len(captured)} queries"
        )
    return results


def analyze():
    """PostgreSQL plans from table statistics, which autovacuum gathers on a live site some time after a
    bulk load: measured straight after seeding, with none, the fora index's next-event subquery was
    planned as nested scans (26 s at 5,000 events instead of under a second)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"== Fora bench on {_setup.database_label(url)}")
    seed(5, 10)
    analyze()
    small = measure("5 fora, 50 events")
    start = time.perf_counter()
    seed(45, 110, start_at=5)
    seed_time = time.perf_counter() - start
    analyze()
    from forums.models import EventPage

    print(f"(seeded {EventPage.objects.count():,} events in {seed_time:.0f} s, untimed)")
    large = measure("50 fora, 5,000 events")
    for name, (seconds, queries) in large.items():
        base_seconds, base_queries = small[name]
        print(
            f"{name}: {seconds / base_seconds:.2f}x the time at 50 events; queries {base_queries} -> {queries}"
            + (" (constant)" if queries == base_queries else " (NOT constant)")
        )


if __name__ == "__main__":
    main()
