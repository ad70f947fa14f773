"""Abuse-limit benchmark. Prints figures; asserts nothing.

    .venv/bin/python bench/limiter_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

What the limiter (parentvoice.ratelimit, allauth's rate limiter underneath) adds to a public POST: the
same POST with the default limits and with every limit switched off (each action set to ""), in the
same run, alternating in rounds, through Django's test client. Two POSTs:

- a consultation answer step (one question; only the session is written): one rule, per client;
- a booking (validation, the booking row, its confirmation message and task): per client, per event,
  per recipient, and the daily cap on service messages to that recipient - four rules.

Each request comes from a new client address and books for a new recipient, spread over 50 events, so
no limit is ever reached and every rule does its full work (lock, read, write, unlock). Measured with
the two caches the limits can live in: in-process memory (what Redis costs at least) and the database
cache table, the production default when REDIS_URL is unset. Target: under 1 ms added per POST.
"""

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

CACHES = {
    "process memory": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "database table": {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "parentvoice_cache"}
    },
}


def seed(n_events):
    from django.utils import timezone

    from forums.models import EventPage, ForumIndexPage, ForumPage

    page = _setup.publish_consultation(
        [{"type": "single_choice", "value": {"question": "Which?", "code": "which", "required": True,
          "choices": [{"label": "A", "key": "a"}, {"label": "B", "key": "b"}]}}]
    )  # fmt: skip
    home = page.get_parent().get_parent()
    index = ForumIndexPage(title="Parent fora", slug="parent-fora")
    home.add_child(instance=index)
    forum = ForumPage(
        kind="county",
        title="Dover",
        slug="dover",
        summary="s",
        who_for="w",
        how_it_works="<p>h</p>",
        meeting_pattern="m",
    )
    index.add_child(instance=forum)
    start = timezone.now().replace(microsecond=0) + timedelta(days=30)
    events = []
    for n in range(n_events):
        event = EventPage(
            title=f"Meeting {n}", slug=f"meeting-{n}", start=start, end=start + timedelta(hours=2),
            venue_name="Hall", address="1 High Street", booking_required=True, capacity=100_000,
        )  # fmt: skip
        forum.add_child(instance=event)
        events.append(event.pk)
    EventPage.objects.filter(pk__in=events).update(live=True)
    return page, events


class Requests:
    """Each call is a POST from a new client address; bookings go to a new recipient each time."""

    def __init__(self, page, events):
        from django.test import Client

        from surveys import services

        self.client = Client()
        self.client.get(f"/consultations/{page.pk}/start/")
        question = services.schema_for(page)[0]
        self.answer_url = f"/consultations/{page.pk}/question/{question.id}/"
        self.events = events
        self.n = 0

    def _address(self):
        self.n += 1
        return f"10.{self.n >> 16 & 255}.{self.n >> 8 & 255}.{self.n & 255}"

    def answer(self):
        response = self.client.post(self.answer_url, {"answer": "a"}, REMOTE_ADDR=self._address())
        assert response.status_code == 302, response.status_code

    def book(self):
        address = self._address()
        event = self.events[self.n % len(self.events)]
        data = {
            "name": "Sam",
            "email": f"p{self.n}@example.org",
            "mobile": "",
            "adults": "1",
            "children": "0",
        }
        response = self.client.post(f"/fora/events/{event}/book/", data, REMOTE_ADDR=address)
        assert response.status_code == 302, (response.status_code, response.content[:300])


class LimiterClock:
    """Time spent inside the limiter itself (every check a POST makes, its service-message cap
    included), measured around parentvoice.ratelimit's two entry points."""

    def __init__(self):
        from parentvoice import ratelimit

        self.seconds, self.running = 0.0, False
        refused = ratelimit.refused
        ratelimit.refused = self._timed(refused)
        ratelimit.allow = self._timed(lambda action, key: refused(None, (action, [key])) is None)

    def _timed(self, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if self.running:
                    self.seconds += time.perf_counter() - start

        return timed


def measure(post, pairs, clock):
    """Median ms per POST (wall clock, and this process's CPU time) with the limits and without,
    the two alternating request by request so that a busy machine slows both alike; and the mean ms
    per POST spent inside the limiter."""
    from django.conf import settings

    from parentvoice.settings import base

    limits = {True: dict(base.PUBLIC_RATE_LIMITS), False: dict.fromkeys(base.PUBLIC_RATE_LIMITS, "")}
    wall, cpu = {True: [], False: []}, {True: [], False: []}
    clock.seconds = 0.0
    for n in range(pairs + 20):
        for limited in (n % 2 == 0, n % 2 == 1):
            settings.PUBLIC_RATE_LIMITS = limits[limited]
            clock.running = limited and n >= 20
            start, start_cpu = time.perf_counter(), time.process_time()
            post()
            if n >= 20:  # the first 20 pairs warm up
                wall[limited].append((time.perf_counter() - start) * 1000)
                cpu[limited].append((time.process_time() - start_cpu) * 1000)
    clock.running = False
    figures = {
        kind: (statistics.median(v[True]), statistics.median(v[False]))
        for kind, v in (("wall", wall), ("cpu", cpu))
    }
    figures["inside"] = clock.seconds / pairs * 1000
    return figures


@contextlib.contextmanager
def redis_server():
    """A throwaway redis-server on a free port, if redis-server and the redis package are installed."""
    try:
        import redis  # noqa: F401
    except ImportError:
        yield None
        return
    executable = shutil.which("redis-server")
    if not executable:
        yield None
        return
    from bench._http import free_port

    port = free_port()
    server = subprocess.Popen(
        [executable, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pairs", type=int, default=300, help="POSTs with and without the limits, each")
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"== Limiter bench on {_setup.database_label(url)}")
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    page, events = seed(50)
    requests = Requests(page, events)
    clock = LimiterClock()
    with redis_server() as redis_url:
        caches = dict(CACHES)
        if redis_url:
            caches["Redis"] = {
                "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
            }
        else:
            print("(no redis-server or redis package: Redis not measured)")
        for cache_name, config in caches.items():
            with override_settings(CACHES=config):
                call_command("createcachetable", verbosity=0)
                cache.clear()
                for label, post in (("answer step POST", requests.answer), ("booking POST", requests.book)):
                    figures = measure(post, args.pairs, clock)
                    (limited, bare), (limited_cpu, bare_cpu) = figures["wall"], figures["cpu"]
                    print(
                        f"{label}, limits in {cache_name}: {limited:.2f} ms with the limits, {bare:.2f} ms without "
                        f"(median); difference {limited - bare:+.2f} ms ({limited / bare:.2f}x), CPU "
                        f"{limited_cpu - bare_cpu:+.2f} ms; inside the limiter {figures['inside']:.2f} ms per POST; "
                        "target < 1 ms"
                    )


if __name__ == "__main__":
    main()
