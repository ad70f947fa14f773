"""The agenda reminder: five days before a forum meeting with no agenda or papers, to the forum's
coordinators (or, with none, to those who review write-ups), once, whatever runs at once or again."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from forums import services
from forums.choices import EventKind
from forums.models import EventPage
from messaging.models import Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(dover_coordinator):
    return dover_coordinator


@pytest.fixture
def officer(make_user):
    return make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])


def _reminders():
    return Message.objects.filter(idempotency_key__startswith="agenda-reminder:")


def test_the_coordinators_are_reminded_once(dover, make_event, coordinator, officer):
    event = make_event(dover, "Forum meeting", days=4)
    draft = EventPage.objects.get(pk=event.pk)
    draft.venue_name = "Library"
    draft.save_revision()  # a draft from before the reminder, published later
    assert services.send_agenda_reminders() == 1
    sent = list(_reminders())
    assert [m.recipient for m in sent] == [coordinator.email]  # not the officer: the forum has coordinators
    assert "Dover Parents Forum: Forum meeting: add the agenda and papers" == sent[0].subject
    assert f"/admin/pages/{event.pk}/edit/" in sent[0].body
    assert EventPage.objects.get(pk=event.pk).agenda_reminder_sent_at is not None
    # A second run, and a run after the page is published again from its older revision, send nothing.
    assert services.send_agenda_reminders() == 0
    page = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    assert page.agenda_reminder_sent_at is None
    page.save_revision().publish()
    assert services.send_agenda_reminders() == 0
    assert _reminders().count() == 1


def test_two_runs_at_once_send_one_reminder(dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=4)
    # The other run claimed the meeting between this run's read and its claim.
    EventPage.objects.filter(pk=event.pk).update(agenda_reminder_sent_at=timezone.now())
    assert services.send_agenda_reminders() == 0
    assert not _reminders().exists()


def test_skipped_meetings(fora_index, dover, make_event, coordinator, make_forum):
    make_event(dover, "Far off", days=6)
    make_event(dover, "Already held", days=-1)
    make_event(dover, "Cancelled", days=3, cancelled=True, cancellation_notice="Sorry")
    make_event(dover, "With agenda", days=3, agenda="<p>1. Welcome</p>")
    make_event(dover, "Drop-in", days=3, kind=EventKind.DROP_IN)
    make_event(fora_index, "County evening", days=3)  # outside any forum
    draft = make_event(dover, "Unpublished", days=3)
    draft.unpublish()
    reminded = make_event(dover, "Reminded", days=2)
    EventPage.objects.filter(pk=reminded.pk).update(agenda_reminder_sent_at=timezone.now())
    assert services.send_agenda_reminders() == 0
    assert not _reminders().exists()


def test_an_empty_agenda_is_no_agenda(dover, make_event, coordinator):
    make_event(dover, "Forum meeting", days=3, agenda="<p>&nbsp;</p>")
    assert services.send_agenda_reminders() == 1


def test_a_forum_without_coordinators_reminds_those_who_review_write_ups(
    dover, make_event, officer, make_user
):
    make_event(dover, "Forum meeting", days=3)
    make_user(email="someone@example.org", groups=[FORUM_COORDINATORS])  # a coordinator of no forum here
    make_user(email="admin@example.org", is_superuser=True, is_staff=True)
    inactive = make_user(email="gone@example.org", groups=[CONSULTATION_OFFICERS])
    inactive.is_active = False
    inactive.save()
    assert services.send_agenda_reminders() == 1
    assert [m.recipient for m in _reminders()] == [officer.email]


def test_officers_are_found_by_permission_not_by_the_group_s_name(dover, make_event, officer):
    group = Group.objects.get(name=CONSULTATION_OFFICERS)
    group.name = "Events team"
    group.save()
    make_event(dover, "Forum meeting", days=3)
    services.send_agenda_reminders()
    assert [m.recipient for m in _reminders()] == [officer.email]


def test_the_command_says_what_it_did(dover, make_event, coordinator):
    make_event(dover, "Forum meeting", days=3)
    out = StringIO()
    call_command("send_agenda_reminders", stdout=out)
    assert out.getvalue().strip() == "Sent agenda reminders for 1 meeting."
    out = StringIO()
    call_command("send_agenda_reminders", stdout=out)
    assert out.getvalue().strip() == "No meeting needed an agenda reminder."
