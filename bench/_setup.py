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


def publish_consultation(questions, **fields):
    """A home page, a consultation index and a published, open consultation with these questions."""
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page, Site

    from parentvoice.models import HomePage
    from surveys.models import ConsultationIndexPage, ConsultationPage

    root = Page.get_first_root_node()
    home = HomePage(title="Home", slug="bench-home", introduction="x")
    root.add_child(instance=home)
    Site.objects.update(root_page=home)
    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home.add_child(instance=index)
    now = timezone.now()
    page = ConsultationPage(
        title="Bench",
        slug="bench",
        summary="s",
        why_asking="<p>w</p>",
        what_happens_next="<p>n</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        ask_about_you=False,
        questions=questions,
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def seed_consenting_contacts(n):
    """n contacts with a mobile who agreed to consultation and outcome texts; returns their ids in order."""
    from django.utils import timezone

    from messaging.choices import Channel, ConsentSource, Purpose
    from messaging.models import Consent, Contact

    now = timezone.now()
    Contact.objects.bulk_create(
        (Contact(name=f"Parent {i}", mobile=f"+44740{i:07d}", created_at=now) for i in range(n)),
        batch_size=5000,
    )
    ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
    Consent.objects.bulk_create(
        (
            Consent(
                contact_id=pk,
                channel=Channel.SMS,
                purpose=purpose,
                granted=True,
                source=ConsentSource.IMPORT,
                wording="bench",
            )
            for pk in ids
            for purpose in (Purpose.CONSULTATIONS, Purpose.OUTCOMES)
        ),
        batch_size=5000,
    )
    return ids
