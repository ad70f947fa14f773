"""Meeting attendance in the reach figures: the counts recorded in a meeting's write-up where there
are some, else the adults on its confirmed bookings; never both for one meeting; practitioners left
out of the parent figures; a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback_loop import services
from parentvoice.models import District
from tests.factories import AttendanceFactory, BookingFactory

pytestmark = pytest.mark.django_db


def _attendance(reach):
    return next(s for s in reach.sections if s.key == "attendance")


def _shown(reach, dimension, key):
    table = next(t for t in _attendance(reach).tables if t.dimension == dimension)
    return next(r for r in table.rows if r.key == key and not r.not_known).shown


def _not_known(reach):
    table = next(t for t in _attendance(reach).tables if t.dimension == "parent_role")
    return next(r for r in table.rows if r.not_known).count


def test_recorded_attendance_replaces_bookings_for_that_meeting_only(make_forum, make_event):
    forum = make_forum("Dover forum", district="Dover")
    counted = make_event(forum, "Counted meeting", days=-3)
    BookingFactory.create_batch(5, event=counted, parent_role="mother", adults=2)  # not counted again
    AttendanceFactory(event=counted, group="father", count=7)
    AttendanceFactory(event=counted, group="mother", count=6)
    AttendanceFactory(event=counted, group="practitioner", count=9)  # not parents: left out
    AttendanceFactory(event=counted, group="not_known", count=5)
    booked = make_event(forum, "Booked meeting", days=-2)
    BookingFactory.create_batch(5, event=booked, parent_role="mother")
    cancelled = make_event(forum, "Cancelled", days=-1, cancelled=True, cancellation_notice="Sorry")
    AttendanceFactory(event=cancelled, group="father", count=50)

    reach = services.reach_dashboard()

    assert (_shown(reach, "parent_role", "father"), _shown(reach, "parent_role", "mother")) == (7, 11)
    assert _not_known(reach) == 5
    assert _attendance(reach).total == 23
    dover = District.objects.get(name="Dover")
    assert _shown(reach, "district", str(dover.pk)) == 23
    assert "write-up" in _attendance(reach).note
    later = services.reach_dashboard(since=timezone.localdate() - timedelta(days=2))
    assert _shown(later, "parent_role", "mother") == 5


def test_without_recorded_attendance_bookings_are_counted(make_forum, make_event):
    forum = make_forum("Dover forum", district="Dover")
    meeting = make_event(forum, "Meeting", days=-3)
    BookingFactory.create_batch(5, event=meeting, parent_role="father", adults=2)
    BookingFactory(event=meeting, parent_role="father", status="cancelled")
    assert _shown(services.reach_dashboard(), "parent_role", "father") == 10


def test_a_district_s_view_counts_its_fora_s_attendance_only(make_forum, make_event):
    dover = make_forum("Dover forum", district="Dover")
    thanet = make_forum("Thanet forum", district="Thanet")
    AttendanceFactory(event=make_event(dover, "Dover meeting", days=-3), group="mother", count=8)
    AttendanceFactory(event=make_event(thanet, "Thanet meeting", days=-3), group="mother", count=30)
    reach = services.reach_dashboard(district=District.objects.get(name="Dover"))
    assert _shown(reach, "parent_role", "mother") == 8


def test_the_query_count_does_not_grow_with_attendance(make_forum, make_event):
    forum = make_forum("Dover forum", district="Dover")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            services.reach_dashboard()
        return len(captured)

    AttendanceFactory(event=make_event(forum, "Meeting", days=-3), group="mother", count=8)
    few = queries()
    for n in range(10):
        event = make_event(forum, f"Meeting {n}", days=-4 - n)
        AttendanceFactory(event=event, group="father", count=n + 5)
        BookingFactory.create_batch(2, event=make_event(forum, f"Booked {n}", days=-4 - n))
    assert queries() == few <= 6
