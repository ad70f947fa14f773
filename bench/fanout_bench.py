"""The campaign fan-out beside a raw `executemany` of the same Message rows. Prints figures; checks only
that the fan-out made one message per person and that running it again makes none.

    .venv/bin/python bench/fanout_bench.py [--sizes 100000,300000]
        [--database-url postgres://postgres@127.0.0.1:5432/pv_bench_fanout]

Each size runs in a fresh subprocess (so its peak RSS is its own) on a fresh database: N contacts who
agreed to consultation texts, one in ten reading Polish (the campaign has a Polish translation) and one
in a hundred with a suppressed number. Measured, in the same run on the same database:

1. fan-out: `services.create_campaign_messages` for an SMS invitation with ((name)), ((title)) and
   ((link)): the audience query (latest consent per contact), choosing each person's wording,
   rendering, the insert and the suppression marking. Peak RSS of the process during it (Linux's
   VmHWM, reset just before), beside the RSS before it.
2. raw executemany: the same rows, read back from the table and deleted (PostgreSQL: then vacuumed),
   inserted again with one `cursor.executemany` of a plain INSERT in one transaction.
3. re-run: the fan-out again on the same campaign (creates nothing: idempotency key).

Target (issue #19): fan-out <= 1.5x the raw executemany; 300,000 in < 15 s on PostgreSQL; flat memory.
"""

import argparse
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

POLISH_EVERY = 10
SUPPRESSED_EVERY = 100


def _status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss():
    """Linux: writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def seed(n):
    """n contacts with consent to consultation texts, inserted by SQL (the seeding must not set the
    process's peak memory). Same SQL on SQLite and PostgreSQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from messaging.models import Consent, Contact, Suppression

    now = timezone.now()
    numbers = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) "
    mobile = "'+4474' || (10000000 + i)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            numbers + f"INSERT INTO {Contact._meta.db_table} "
            "(name, mobile, language, preferred_channel, parent_role, child_age_bands, created_at, updated_at) "
            f"SELECT 'Parent ' || i, {mobile}, CASE WHEN i %% {POLISH_EVERY} = 0 THEN 'pl' ELSE 'en' END, "
            "'', '', '[]', %s, %s FROM s",
            [n, now, now],
        )
        cursor.execute(
            f"INSERT INTO {Consent._meta.db_table} "
            "(contact_id, channel, purpose, granted, source, wording, recorded_at, confirmed_by, confirmed_address) "
            f"SELECT id, 'sms', 'consultations', %s, 'import', 'bench', %s, '', '' FROM {Contact._meta.db_table}",
            [True, now],
        )
        cursor.execute(
            numbers + f"INSERT INTO {Suppression._meta.db_table} (channel, address, reason, created_at) "
            f"SELECT 'sms', {mobile}, 'stop', %s FROM s WHERE i %% {SUPPRESSED_EVERY} = 0",
            [n, now],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def settle():
    """Before each timed step, the writes before it finished on disk, so no step pays for another's:
    SQLite copies its write-ahead log into the database file (otherwise the first step to cross the
    checkpoint threshold does it for the seeding's megabytes), PostgreSQL checkpoints."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("CHECKPOINT")


def make_campaign():
    from messaging.models import Campaign, CampaignTranslation

    campaign = Campaign.objects.create(
        name="Bench",
        kind="consultation_invitation",
        purpose="consultations",
        send_email=False,
        title="childcare",
        sms_template="Hi ((name)), tell us about ((title)): ((link))",
        link_url="https://parentvoice.example.org/c/1/",
    )
    CampaignTranslation.objects.create(
        campaign=campaign,
        language="pl",
        title="opieka nad dziećmi",
        sms_template="Cześć ((name)), opowiedz nam o ((title)): ((link))",
    )
    return campaign


def raw_executemany(campaign):
    """Read the campaign's rows, delete them, and insert them again with one plain executemany."""
    from django.db import connection, transaction

    from messaging.models import Message

    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    rows = list(
        Message.objects.filter(campaign=campaign).order_by("pk").values_list(*[f.attname for f in fields])
    )
    # Plain SQL: Django's delete() would load every row for its signals (Wagtail's reference index).
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Message._meta.db_table} WHERE campaign_id = %s", [campaign.pk])
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {Message._meta.db_table}")
    settle()
    sql = (
        f"INSERT INTO {Message._meta.db_table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    # The database adapter gets values as Django would send them (datetimes, booleans).
    prepared = [
        [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)] for row in rows
    ]
    del rows
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return time.perf_counter() - start, len(prepared)


def one_size(n, database_url):
    url = _setup.prepare(database_url)
    from messaging import services
    from messaging.models import Message

    seed(n)
    campaign = make_campaign()
    settle()
    gc.collect()
    rss_before = _status_kb("VmRSS")
    reset_peak_rss()
    start = time.perf_counter()
    created = services.create_campaign_messages(campaign)
    fan_out = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    assert created == n == Message.objects.filter(campaign=campaign).count(), (created, n)
    suppressed = Message.objects.filter(campaign=campaign, status="suppressed").count()
    assert suppressed == n // SUPPRESSED_EVERY, suppressed
    raw, rows = raw_executemany(campaign)
    assert rows == n
    settle()
    start = time.perf_counter()
    again = services.create_campaign_messages(campaign)
    rerun = time.perf_counter() - start
    assert again == 0 and Message.objects.filter(campaign=campaign).count() == n, again
    label = _setup.database_label(url)
    print(
        f"{label} {n:,} contacts: fan-out {fan_out:.2f} s ({n / fan_out:,.0f} rows/s), raw executemany "
        f"{raw:.2f} s: {fan_out / raw:.2f}x (target <= 1.5x); re-run {rerun:.2f} s, created {again}; "
        f"RSS {rss_before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB during "
        f"(+{(peak - rss_before) / 1024:.0f} MB)",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sizes", default="100000,300000", help="comma-separated numbers of contacts")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_size(args.one, args.database_url)
        return
    load = os.getloadavg()[0]
    print(f"== Fan-out bench (load average {load:.1f} on {os.cpu_count()} cores)", flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size)]
        if args.database_url:
            command += ["--database-url", args.database_url]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
