"""#19 attack review: the results' running tallies (surveys.tallies) and the web submit's key.

Each test here is a bug found by trying to break what #19 added; an xfail one is still open (see its
reason) and passes once fixed (strict: it must then lose its mark)."""

# The fixtures imported below are used as arguments, which ruff reads as redefinitions.
# ruff: noqa: F811

import random
import threading

import pytest
from django.db import connection, connections, transaction

from surveys import services, tallies
from surveys.choices import ResponseChannel
from surveys.models import Response
from tests.surveys.test_tallies import districts, page, random_answers  # noqa: F401 - fixtures


def _wait_for_a_lock_wait(timeout=60):
    """Until another connection waits on a lock (PostgreSQL's own view of it): the moment a second
    transaction is parked behind the first, whatever the machine's speed."""
    with connections["default"].cursor() as cursor:
        for _ in range(timeout * 20):
            # pg_stat_activity is read once per transaction unless its snapshot is cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.05)
    raise AssertionError("the second delete never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_the_same_response_deleted_twice_at_once_is_taken_from_the_tallies_once(page):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions)")
    rng = random.Random(19)
    response = services.submit_response(page, random_answers(rng, page), channel=ResponseChannel.WEB)
    services.submit_response(page, random_answers(rng, page), channel=ResponseChannel.WEB)
    first_deleted, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                services.delete_responses(Response.objects.filter(pk=response.pk))
                first_deleted.set()
                _wait_for_a_lock_wait()  # the second is waiting for this one's locks: now commit
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            first_deleted.set()
        finally:
            connections.close_all()

    def second():
        first_deleted.wait()
        try:
            services.delete_responses(Response.objects.filter(pk=response.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Response.objects.filter(consultation=page).count() == 1
    assert tallies.differences(page.pk) == {}
