"""Saving an event reads what is saved once, for both its calendar SEQUENCE and its write-up state
(forums.services.events.prepare_event_for_save)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums.models import EventPage

pytestmark = pytest.mark.django_db


def test_publishing_an_event_reads_its_saved_state_once(dover, make_event):
    event = make_event(dover, "Forum meeting", days=3)
    page = EventPage.objects.get(pk=event.pk)
    page.title = "Forum meeting (moved)"
    with CaptureQueriesContext(connection) as saved:
        page.save()
    # The reads of saved values (`values()`, aliased), not Wagtail's own loading of the page.
    reads = [
        q["sql"]
        for q in saved.captured_queries
        if q["sql"].startswith("SELECT") and ('AS "sequence"' in q["sql"] or 'AS "written_up_at"' in q["sql"])
    ]
    assert len(reads) == 1, reads


def test_a_save_touching_neither_reads_nothing(dover, make_event):
    event = make_event(dover, "Forum meeting", days=3)
    with CaptureQueriesContext(connection) as saved:
        event.save(update_fields=["capacity"])
    assert not [q for q in saved.captured_queries if 'AS "written_up_at"' in q["sql"]]


def test_the_write_up_state_and_the_sequence_still_survive_an_older_revision(dover, make_event):
    event = make_event(dover, "Forum meeting", days=3)
    draft = EventPage.objects.get(pk=event.pk)
    draft.save_revision()  # from before the reminder
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(agenda_reminder_sent_at=now, written_up_at=now)
    page = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    page.title = "Forum meeting, renamed"
    page.save_revision().publish()
    event.refresh_from_db()
    assert (event.agenda_reminder_sent_at, event.written_up_at) == (now, now)
    assert event.sequence == draft.sequence + 1  # the title is on calendars: bumped once
