"""Public pages from the page cache (parentvoice.page_cache) beside a static file served by WhiteNoise.

Seeds a small site (home, a consultation with published results, the fora with What's on and events,
the public log with a decision), runs it under gunicorn (sync workers) with the page cache on, in the
database table (or Redis with --redis-url), and drives it with keep-alive clients:

- a static file served by WhiteNoise through the same stack: the baseline;
- the same public pages from the cache (every response checked to be a hit);
- the same pages rendered afresh (each request carries a session cookie, so the cache is skipped).

Target (#19): cached pages at >= 0.5x the static file's requests per second, 16 clients, no errors.
"""

import argparse
import contextlib
import http.client
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _http, _setup

PAGES = [
    "/",
    "/have-your-say/",
    "/have-your-say/bench/",
    "/have-your-say/bench/results/",
    "/parent-fora/",
    "/parent-fora/whats-on/",
    "/parent-fora/bench-forum/",
    "/you-said-we-did/",
]


def seed():
    from django.utils import timezone

    from feedback_loop.models import Decision, FeedbackItem, Theme, YouSaidWeDidPage
    from feedback_loop.services import EVIDENCE_SEPARATOR
    from forums.models import EventPage, ForumIndexPage, ForumPage
    from parentvoice.models import District, HomePage
    from surveys import services as surveys
    from surveys.demo import SUPPORT_QUESTIONS

    consultation = _setup.publish_consultation(SUPPORT_QUESTIONS, results_published=True)
    home = HomePage.objects.get()
    fora = ForumIndexPage(title="Parent fora", slug="parent-fora")
    home.add_child(instance=fora)
    fora.save_revision().publish()
    district = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    forum = ForumPage(
        title="Bench forum",
        slug="bench-forum",
        district=district,
        summary="Parents shaping services.",
        who_for="Parents and carers",
        how_it_works="<p>We meet.</p>",
        meeting_pattern="Monthly",
    )
    fora.add_child(instance=forum)
    forum.save_revision().publish()
    now = timezone.now().replace(microsecond=0)
    for day in range(1, 13):
        start = now + timedelta(days=day * 5)
        event = EventPage(
            title=f"Meeting {day}",
            slug=f"meeting-{day}",
            start=start,
            end=start + timedelta(hours=2),
            venue_name="Children's centre",
            address="1 High Street\nDover",
        )
        forum.add_child(instance=event)
        event.save_revision().publish()
    log = YouSaidWeDidPage(title="You said, we did", slug="you-said-we-did")
    home.add_child(instance=log)
    log.save_revision().publish()
    theme = Theme.objects.create(name="Information for parents", slug="information")
    question = next(q for q in surveys.schema_for(consultation) if q.code == "first-place")
    item = FeedbackItem(
        summary="Parents want texts about what is on.",
        theme=theme,
        consultation=consultation,
        evidence=[f"{question.id}{EVIDENCE_SEPARATOR}school"],
    )
    item.save()
    item.save_revision().publish()
    decision = Decision(
        summary="We will send a monthly text about what is on.",
        status="agreed",
        deciding_body="Children's Trust Board",
        owner="Head of Early Help",
        decided_on=timezone.localdate(),
    )
    decision.feedback_items = [item]
    decision.save()
    decision.save_revision().publish()


@contextlib.contextmanager
def gunicorn(database_url, workers, redis_url):
    """As _http.gunicorn, with this bench's settings (the page cache on)."""
    port = _http.free_port()
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": database_url,
        "BENCH_REDIS_URL": redis_url or "",
        "DJANGO_SETTINGS_MODULE": "bench.cache_bench_settings",
    }
    command = [sys.executable, "-m", "gunicorn", "parentvoice.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--keep-alive", "5"]
    server = subprocess.Popen([*command, "--log-level", "warning", "--chdir", _http.ROOT], env=env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(*_http.STATIC[:2])
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker up, one request at a time: on a loaded machine workers boot slowly.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for _ in range(20 * workers):
            warm.request(*_http.STATIC[:2])
            warm.getresponse().read()
        yield port
    finally:
        server.terminate()
        server.wait()


def cache_states(port, paths, headers=None):
    """The X-Cache header of one GET of each path."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    states = []
    for path in paths:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        states.append((response.status, response.getheader("X-Cache")))
    return states


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default=None, help="the page cache in Redis instead of the database")
    parser.add_argument("--requests", type=int, default=8_000, help="per measurement")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    database_url = _setup.prepare(args.database_url)
    from django.core.management import call_command

    call_command("createcachetable", "parentvoice_page_cache", verbosity=0)  # the pages cache's table
    seed()
    label = _setup.database_label(database_url) + (" + Redis" if args.redis_url else "")
    print(
        f"{label}: {len(PAGES)} public pages, gunicorn {args.workers} sync workers, {args.concurrency} clients"
    )

    pages = [("GET", path, None, {}) for path in PAGES]
    fresh = [("GET", path, None, {"Cookie": "sessionid=bench-no-such-session"}) for path in PAGES]
    count = args.requests
    with gunicorn(database_url, args.workers, args.redis_url) as port:
        # Fill the cache (twice: the first page rendered creates the site settings, which purges it).
        cache_states(port, PAGES)
        cache_states(port, PAGES)
        states = cache_states(port, PAGES)
        assert all(state == (200, "hit") for state in states), states
        assert all(state == (200, None) for state in cache_states(port, PAGES, fresh[0][3])), "not skipped"
        static = _http.drive(port, _http.split([_http.STATIC] * count, args.concurrency))
        cached = _http.drive(port, _http.split((pages * count)[:count], args.concurrency))
        uncached = _http.drive(port, _http.split((fresh * (count // 40))[: count // 40], args.concurrency))
        static_again = _http.drive(port, _http.split([_http.STATIC] * count, args.concurrency))
        still = cache_states(port, PAGES)
    static_rate, _ = _http.report("static file (WhiteNoise)", *static)
    cached_rate, _ = _http.report("public pages from the cache", *cached)
    uncached_rate, _ = _http.report("public pages rendered (cache skipped)", *uncached)
    again_rate, _ = _http.report("static file again", *static_again)
    baseline = (static_rate + again_rate) / 2
    print(
        f"cached pages / static file: {cached_rate / baseline:.2f}x (target >= 0.5x); "
        f"cached / rendered: {cached_rate / uncached_rate:.1f}x; still hits after the run: "
        f"{sum(state == (200, 'hit') for state in still)}/{len(PAGES)}"
    )


if __name__ == "__main__":
    main()
