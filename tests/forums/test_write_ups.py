"""Meeting write-ups: the due date in working days, the checklist, attendance as counts, marking as
written up, who sees which meetings (and who is refused), the papers on the event page."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.models import PageLogEntry

from forums import services
from forums.choices import AttendanceGroup, EventKind
from forums.models import Attendance, EventPage
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS
from parentvoice.dates import is_working_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator(staff_login, dover):
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(dover.coordinators)
    return user


def _document(title="Minutes", name="minutes.pdf", content=b"%PDF-1.4 minutes"):
    return get_document_model().objects.create(title=title, file=ContentFile(content, name=name))


def _publish(event, **fields):
    page = EventPage.objects.get(pk=event.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def _complete(event, user):
    services.record_attendance(event, {"mother": 4, "father": 2}, user=user)
    return _publish(
        event,
        meeting_notes="<p>We talked about short breaks.</p>",
        minutes=_document(),
        parents_said=[("said", {"text": "Short breaks are hard to find.", "theme": "Short breaks"})],
    )


# --- Due date ----------------------------------------------------------------------------------


def _meeting_on(day):
    return EventPage(start=datetime(day.year, day.month, day.day, 19, tzinfo=timezone.get_current_timezone()))


def test_due_date_skips_weekends_and_bank_holidays():
    # Thursday 21 May 2026; Monday 25 May is the spring bank holiday.
    assert services.write_up_due_on(_meeting_on(date(2026, 5, 21))) == date(2026, 6, 5)
    # Across Christmas: Friday 18 December 2026 (25, 28 December and 1 January are holidays).
    assert services.write_up_due_on(_meeting_on(date(2026, 12, 18))) == date(2027, 1, 6)
    # A Saturday meeting: Monday is the first working day after it.
    assert services.write_up_due_on(_meeting_on(date(2026, 6, 13))) == date(2026, 6, 26)


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
def test_due_date_is_the_tenth_working_day_after_the_meeting(day):
    due = services.write_up_due_on(_meeting_on(day))
    assert is_working_day(due)
    between = [day + timedelta(days=n) for n in range(1, (due - day).days + 1)]
    assert sum(is_working_day(d) for d in between) == 10
    assert (due - day).days >= 12  # what meetings_overdue_for_write_up relies on


# --- Checklist, attendance and marking as written up --------------------------------------------


def test_the_checklist_starts_all_to_do_and_ends_all_done(dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=-3)
    items = {item.key: item for item in services.write_up_checklist(event)}
    assert set(items) == {"attendance", "notes", "minutes", "parents_said"}
    assert not any(item.done for item in items.values())
    assert "Add the minutes by" in items["minutes"].detail

    event = _complete(event, coordinator)
    assert all(item.done for item in services.write_up_checklist(event))


def test_a_point_without_a_theme_is_flagged(dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=-3)
    event = _publish(
        event,
        parents_said=[
            ("said", {"text": "One", "theme": "Transport"}),
            ("said", {"text": "Two", "theme": "  "}),
        ],
    )
    item = next(i for i in services.write_up_checklist(event) if i.key == "parents_said")
    assert not item.done
    assert item.detail == "1 of 2 points has no theme."


def test_notes_of_empty_markup_are_not_notes(dover, make_event):
    event = _publish(make_event(dover, "Forum meeting", days=-3), meeting_notes="<p> </p>")
    assert not next(i for i in services.write_up_checklist(event) if i.key == "notes").done


def test_marking_as_written_up_is_refused_until_everything_is_done(dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=-3)
    services.record_attendance(event, {"mother": 3}, user=coordinator)
    with pytest.raises(services.WriteUpIncomplete) as refused:
        services.mark_written_up(event, user=coordinator)
    assert refused.value.missing == ["publish the notes", "add the minutes", "add what parents said"]
    assert EventPage.objects.get(pk=event.pk).written_up_at is None

    event = _complete(event, coordinator)
    services.mark_written_up(event, user=coordinator)
    saved = EventPage.objects.get(pk=event.pk)
    assert saved.written_up_at is not None and saved.written_up_by == coordinator
    assert PageLogEntry.objects.filter(page=event, action="forums.written_up", user=coordinator).exists()


def test_a_meeting_not_yet_held_cannot_be_written_up(dover, make_event, coordinator):
    event = _complete(make_event(dover, "Forum meeting", days=2), coordinator)
    with pytest.raises(services.WriteUpIncomplete):
        services.mark_written_up(event, user=coordinator)


def test_publishing_an_older_revision_keeps_the_write_up(dover, make_event, coordinator):
    event = _complete(make_event(dover, "Forum meeting", days=-3), coordinator)
    draft = EventPage.objects.get(pk=event.pk)
    draft.title = "Forum meeting (renamed)"
    draft.save_revision()  # a draft saved before the write-up was marked ...
    services.mark_written_up(event, user=coordinator)
    page = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    assert page.written_up_at is None  # ... which the editor starts from
    page.save_revision().publish()
    assert EventPage.objects.get(pk=event.pk).written_up_at is not None


def test_attendance_replaces_the_counts_and_rejects_bad_input(dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=-3)
    services.record_attendance(event, {"mother": 4, "father": 2}, user=coordinator)
    services.record_attendance(event, {"grandparent": 1}, user=coordinator)
    counts = dict(Attendance.objects.filter(event=event).values_list("group", "count"))
    assert counts["grandparent"] == 1 and counts["mother"] == 0
    assert set(counts) == set(AttendanceGroup.values)
    for bad in ({"mother": -1}, {"mother": 1000}, {"mother": "3"}, {"mother": True}, {"name": 1}):
        with pytest.raises(ValueError):
            services.record_attendance(event, bad, user=coordinator)
    assert dict(Attendance.objects.filter(event=event).values_list("group", "count")) == counts


# --- The admin pages ------------------------------------------------------------------------------


def test_the_coordinator_records_attendance_on_the_checklist(client, dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=-3)
    url = f"/admin/fora/events/{event.pk}/write-up/"
    page = client.get(url).content.decode()
    assert "Attendance" in page and "Mark as written up" in page and "To do" in page

    response = client.post(url, {"action": "attendance", "mother": "4", "father": "", "practitioner": "2"})
    assert response.status_code == 302
    counts = dict(Attendance.objects.filter(event=event).values_list("group", "count"))
    assert (counts["mother"], counts["father"], counts["practitioner"]) == (4, 0, 2)
    assert PageLogEntry.objects.filter(page=event, action="forums.attendance_recorded").exists()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("-1", "The number of mothers must be 0 or more."),
        ("1000", "The number of mothers must be 999 or fewer."),
        ("four", "Enter the number of mothers as a whole number, like 3."),
        ("1e3", "Enter the number of mothers as a whole number, like 3."),
        ("٣", "Enter the number of mothers as a whole number, like 3."),  # Arabic-Indic three
        ("9" * 5000, "The number of mothers must be 999 or fewer."),
    ],
)
def test_bad_attendance_counts_are_refused_with_a_clear_error(
    client, dover, make_event, coordinator, value, error
):
    event = make_event(dover, "Forum meeting", days=-3)
    response = client.post(
        f"/admin/fora/events/{event.pk}/write-up/", {"action": "attendance", "mother": value}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Attendance.objects.filter(event=event).exists()


def test_marking_an_incomplete_write_up_names_what_is_missing(client, dover, make_event, coordinator):
    event = make_event(dover, "Forum meeting", days=-3)
    response = client.post(f"/admin/fora/events/{event.pk}/write-up/", {"action": "written_up"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "record attendance" in page and "add the minutes" in page
    assert EventPage.objects.get(pk=event.pk).written_up_at is None


def _refused(response):
    # Wagtail's admin answers PermissionDenied with a redirect to the dashboard and its message.
    return response.status_code == 302 and response.url == "/admin/"


def test_another_forum_s_coordinator_is_refused(client, staff_login, dover, thanet, make_event):
    event = make_event(dover, "Forum meeting", days=-3)
    other = staff_login(FORUM_COORDINATORS, email="thanet.coordinator@example.org")
    other.groups.add(thanet.coordinators)
    url = f"/admin/fora/events/{event.pk}/write-up/"
    assert _refused(client.get(url))
    assert _refused(client.post(url, {"action": "attendance", "mother": "9"}))
    assert _refused(client.post(url, {"action": "written_up"}))
    assert not Attendance.objects.filter(event=event).exists()
    # And the list shows Thanet's meetings only.
    listing = client.get("/admin/fora/write-ups/").content.decode()
    assert f"/admin/fora/events/{event.pk}/write-up/" not in listing
    assert "There are no meetings to write up." in listing


def test_staff_without_a_forum_or_the_permission_are_refused(client, staff_login, dover, make_event):
    event = make_event(dover, "Forum meeting", days=-3)
    staff_login(FORUM_COORDINATORS)
    assert _refused(client.get(f"/admin/fora/events/{event.pk}/write-up/"))
    assert _refused(client.get("/admin/fora/write-ups/"))


def test_an_officer_writes_up_any_forum_s_meeting(client, staff_login, dover, make_event):
    event = make_event(dover, "Forum meeting", days=-3)
    staff_login(CONSULTATION_OFFICERS)
    assert client.get(f"/admin/fora/events/{event.pk}/write-up/").status_code == 200
    assert f"/admin/fora/events/{event.pk}/write-up/" in client.get("/admin/fora/write-ups/").content.decode()


def test_events_that_are_not_forum_meetings_have_no_write_up(
    client, fora_index, dover, make_event, coordinator
):
    drop_in = make_event(dover, "Coffee morning", days=-3, kind=EventKind.DROP_IN)
    assert client.get(f"/admin/fora/events/{drop_in.pk}/write-up/").status_code == 404


def test_the_write_up_button_is_on_a_held_meeting_only(client, dover, make_event, coordinator):
    held = make_event(dover, "Forum meeting", days=-3)
    coming = make_event(dover, "Next meeting", days=3)
    listing = client.get(f"/admin/pages/{dover.pk}/").content.decode()
    assert f"/admin/fora/events/{held.pk}/write-up/" in listing
    assert f"/admin/fora/events/{coming.pk}/write-up/" not in listing
    assert (
        f"/admin/fora/events/{held.pk}/write-up/"
        in client.get(f"/admin/pages/{held.pk}/edit/").content.decode()
    )


def test_the_admin_home_lists_meetings_to_write_up_with_the_overdue_flagged(
    client, dover, make_event, coordinator
):
    make_event(dover, "Old meeting", days=-40)
    make_event(dover, "Recent meeting", days=-2)
    home = client.get("/admin/").content.decode()
    assert "Meetings to write up" in home
    assert "Old meeting" in home and "Recent meeting" in home
    assert "(overdue)" in home and "1</strong> meeting is overdue" in home


# --- Who sees which meetings -----------------------------------------------------------------------


def test_overdue_rules(staff_login, make_user, fora_index, dover, thanet, make_event, coordinator):
    today = timezone.localdate()
    old = make_event(dover, "Old meeting", days=-40)
    recent = make_event(dover, "Recent meeting", days=-2)
    thanet_old = make_event(thanet, "Thanet meeting", days=-40)
    make_event(dover, "Cancelled", days=-40, cancelled=True, cancellation_notice="Sorry")
    make_event(dover, "Workshop", days=-40, kind=EventKind.WORKSHOP)
    make_event(fora_index, "County evening", days=-40)  # outside any forum
    make_event(dover, "Coming up", days=5)
    done = _complete(make_event(dover, "Written up", days=-40), coordinator)
    EventPage.objects.filter(pk=done.pk).update(written_up_at=timezone.now())
    draft = make_event(dover, "Unpublished", days=-40)
    draft.unpublish()

    officer = make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    assert [m.pk for m in services.meetings_overdue_for_write_up(user=officer)] == sorted(
        [old.pk, thanet_old.pk], key=lambda pk: EventPage.objects.get(pk=pk).start
    )
    assert [m.pk for m in services.meetings_overdue_for_write_up(user=coordinator)] == [old.pk]
    assert [m.pk for m in services.meetings_to_write_up(user=coordinator)] == [recent.pk]
    stranger = make_user(email="stranger@example.org", groups=[FORUM_COORDINATORS])
    assert services.meetings_awaiting_write_up(user=stranger) == []
    # The day after its due date a recent meeting is overdue, not before.
    due = services.write_up_due_on(recent)
    assert recent.pk not in [
        m.pk for m in services.meetings_overdue_for_write_up(user=coordinator, today=due)
    ]
    later = due + timedelta(days=1)
    assert recent.pk in [m.pk for m in services.meetings_overdue_for_write_up(user=coordinator, today=later)]
    assert today < due


def test_the_overdue_list_takes_a_fixed_number_of_queries(
    dover, make_event, coordinator, django_assert_max_num_queries
):
    for n in range(3):
        make_event(dover, f"Meeting {n}", days=-40 - n)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(3):
        assert len(services.meetings_overdue_for_write_up(user=coordinator)) == 3
    for n in range(10):
        make_event(dover, f"More {n}", days=-60 - n)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(3):
        assert len(services.meetings_awaiting_write_up(user=coordinator)) == 13


# --- Agenda and papers on the event page ------------------------------------------------------------


def test_the_event_page_shows_the_agenda_and_papers_with_type_and_size(client, dover, make_event):
    paper = _document("Budget paper", "budget.pdf", b"x" * 2048)
    gone = _document("Withdrawn", "withdrawn.pdf")
    event = _publish(
        make_event(dover, "Forum meeting", days=3),
        agenda="<p>1. Short breaks</p>",
        papers=[("paper", paper), ("paper", gone)],
    )
    gone.delete()
    page = client.get(event.url).content.decode()
    assert ">Agenda</h2>" in page and "1. Short breaks" in page
    assert ">Papers</h2>" in page
    assert f'href="{paper.url}">Budget paper</a>' in page
    assert "PDF</abbr>, 2.0\xa0KB)" in page
    assert "Withdrawn" not in page


def test_an_event_without_agenda_or_papers_shows_neither_heading(client, dover, make_event):
    page = client.get(make_event(dover, "Forum meeting", days=3).url).content.decode()
    assert ">Agenda</h2>" not in page and ">Papers</h2>" not in page
