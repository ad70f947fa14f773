"""Shared by the bench scripts: run the site under gunicorn and drive it with keep-alive clients."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
STATIC = ("GET", "/static/js/init.js", None, {})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url, workers):
    """The site under gunicorn (sync workers) on a free port, with the bench settings; yields the port."""
    port = free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.bench_settings"}
    command = [sys.executable, "-m", "gunicorn", "parentvoice.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--keep-alive", "5"]
    server = subprocess.Popen([*command, "--log-level", "warning", "--chdir", ROOT], env=env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(*STATIC[:2])
                break
            except OSError:
                time.sleep(0.2)
        drive(port, [[STATIC] * 50 for _ in range(4)])  # warm every worker up
        yield port
    finally:
        server.terminate()
        server.wait()


def drive(port, chunks):
    """Each chunk of (method, path, body, headers) is sent in order by its own thread over one
    keep-alive connection. Returns (latencies, elapsed seconds, errors, response bodies by chunk)."""
    latencies, errors, bodies = [], [], [[] for _ in chunks]
    lock = threading.Lock()

    def worker(index, chunk):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for method, path, body, headers in chunk:
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            mine.append(time.perf_counter() - start)
            bodies[index].append(content)
            if response.status >= 400:
                errors.append(response.status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i, chunk)) for i, chunk in enumerate(chunks)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - start, errors, bodies


def split(requests, concurrency):
    return [requests[i::concurrency] for i in range(concurrency)]


def report(label, latencies, elapsed, errors, *_):
    latencies = sorted(latencies)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    rate = len(latencies) / elapsed
    print(
        f"{label}: {len(latencies):,} requests, {rate:,.0f} req/s, p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, "
        f"p99 {p(0.99):.1f} ms, errors {len(errors)}"
    )
    return rate, p(0.95)
