"""Attacks on the fora's second wave (issue 17) in the reach figures: they are about parents, so
practitioners' fora and events for practitioners stay out of them."""

import pytest

from feedback_loop import services
from forums.choices import EventAudience, EventKind, ForumKind
from tests.factories import AttendanceFactory, BookingFactory, ContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _section(reach, key):
    return next(s for s in reach.sections if s.key == key)


def test_practitioners_fora_and_events_for_practitioners_are_not_parents_reach(
    fora_index, make_forum, make_event
):
    parents = make_forum("Dover forum", district="Dover")
    practitioners = make_forum("Kent Practitioners Forum", kind=ForumKind.PRACTITIONERS)
    parent_meeting = make_event(parents, "Parents meeting", days=-3)
    BookingFactory.create_batch(6, event=parent_meeting, parent_role="mother")
    for n in range(6):
        MembershipFactory(forum=parents, contact=ContactFactory(email=f"parent{n}@example.org"))

    work_meeting = make_event(practitioners, "Practitioners meeting", days=-3)
    BookingFactory.create_batch(6, event=work_meeting)
    AttendanceFactory(event=make_event(practitioners, "Written up", days=-10), group="not_known", count=8)
    workshop = make_event(
        fora_index,
        "Workshop for staff",
        days=-2,
        kind=EventKind.WORKSHOP,
        audience=EventAudience.PRACTITIONERS,
    )
    BookingFactory.create_batch(4, event=workshop)
    for n in range(5):
        MembershipFactory(forum=practitioners, contact=ContactFactory(email=f"worker{n}@example.org"))

    reach = services.reach_dashboard()
    assert _section(reach, "attendance").total == 6  # six and over: not hidden as a small number
    assert _section(reach, "members").total == 6
