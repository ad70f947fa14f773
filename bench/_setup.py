"""Shared set-up for bench scripts: choose and prepare a database, then django.setup()."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(database_url=None, urlconf=None):
    if not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='pv-bench-')}/bench.sqlite3"
    elif database_url.startswith("postgres"):
        _recreate_postgres(database_url)
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    if urlconf:
        os.environ["BENCH_URLCONF"] = urlconf
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database_url


def _recreate_postgres(url):
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_label(url):
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"
