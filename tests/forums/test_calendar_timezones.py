"""Calendar feeds and booking .ics files read by parsers that did not write them (vobject, and
dateutil's tzical), so a wrong VTIMEZONE shows up as a wrong time, as it would in Outlook or Google."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
import vobject.icalendar
from dateutil import tz
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from forums import feeds, services
from forums.models import EventPage
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _at(event, local):
    """The event moved to `local` UK time (naive), in memory and in the database."""
    start = local.replace(tzinfo=LONDON).astimezone(UTC)
    EventPage.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=2))
    return EventPage.objects.get(pk=event.pk)


def _vobject_starts(content):
    """{UID: DTSTART} as vobject reads them. vobject keeps the first zone it meets for a TZID for the
    life of the process: forget it, or a VTIMEZONE parsed earlier would stand in for this one."""
    vars(vobject.icalendar)["__tzidMap"].pop("Europe/London", None)
    parsed = vobject.readOne(content.decode())
    return {str(e.uid.value): e.dtstart.value for e in parsed.vevent_list}


def _vtimezone_text(content):
    text = content.decode()
    return text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE") + len("END:VTIMEZONE")] + "\r\n"


def _next(month, day, hour):
    """The next `day` of `month` at `hour` UK time, so the event falls inside the feed's year ahead."""
    today = datetime.now(LONDON).date()
    year = today.year if (today.month, today.day) < (month, day) else today.year + 1
    return datetime(year, month, day, hour)


def test_feed_and_booking_ics_give_winter_and_summer_events_the_right_utc_instant(client, dover, make_event):
    january, july = _next(1, 15, 19), _next(7, 15, 19)
    winter = _at(make_event(dover, "Winter meeting", days=3), january)
    summer = _at(make_event(dover, "Summer meeting", days=4), july)
    expected = {
        feeds.event_uid(winter): january.replace(hour=19, tzinfo=UTC),  # 7pm GMT is 19:00Z
        feeds.event_uid(summer): july.replace(hour=18, tzinfo=UTC),  # 7pm BST is 18:00Z
    }

    for url in ("/parent-fora/calendar/", "/parent-fora/dover-parents-forum/calendar/"):
        starts = _vobject_starts(client.get(url).content)
        assert starts == expected
        assert {s.utcoffset() for s in starts.values()} == {timedelta(0), timedelta(hours=1)}

    for event in (winter, summer):
        token = services.booking_token(BookingFactory(event=event).pk)
        starts = _vobject_starts(client.get(reverse("forums:booking_calendar", args=[token])).content)
        assert starts == {feeds.event_uid(event): expected[feeds.event_uid(event)]}


def test_vobject_builds_the_zone_from_our_rules_not_its_own(dover, make_event):
    event = _at(make_event(dover, "Meeting", days=3), datetime(2031, 7, 15, 19))
    content = feeds.calendar_bytes([event], name="Test")
    start = _vobject_starts(content)[feeds.event_uid(event)]
    # A zone read from our VTIMEZONE (dateutil's tzical), not pytz's or the system's Europe/London.
    assert isinstance(start.tzinfo, tz.tz._tzicalvtz)
    assert start.utcoffset() == timedelta(hours=1)
    for year in (2031, 2099):  # the rules run on; a list of dates would have stopped
        assert start.tzinfo.utcoffset(datetime(year, 7, 15, 19)) == timedelta(hours=1)
        assert start.tzinfo.utcoffset(datetime(year, 1, 15, 19)) == timedelta(0)


CLOCK_CHANGES = [
    # Clocks go forward at 1am on 30 March 2025: 00:30 is GMT, 02:30 BST.
    (datetime(2025, 3, 30, 0, 30), datetime(2025, 3, 30, 0, 30, tzinfo=UTC)),
    (datetime(2025, 3, 30, 2, 30), datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
    # Clocks go back at 2am on 26 October 2025: 00:30 is BST, 01:30 the first (BST) time, 02:30 GMT.
    (datetime(2025, 10, 26, 0, 30), datetime(2025, 10, 25, 23, 30, tzinfo=UTC)),
    (datetime(2025, 10, 26, 1, 30), datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
    (datetime(2025, 10, 26, 2, 30), datetime(2025, 10, 26, 2, 30, tzinfo=UTC)),
    # The same days in another year, so the rule is tested and not one remembered date.
    (datetime(2036, 3, 30, 2, 30), datetime(2036, 3, 30, 1, 30, tzinfo=UTC)),
    (datetime(2036, 10, 26, 2, 30), datetime(2036, 10, 26, 2, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize(("local", "utc"), CLOCK_CHANGES)
def test_events_on_the_days_the_clocks_change(dover, make_event, local, utc):
    event = _at(make_event(dover, "Meeting", days=3), local)
    assert event.start == utc  # the UTC we store is right, so the check below is of the feed
    content = feeds.calendar_bytes([event], name="Test")
    start = _vobject_starts(content)[feeds.event_uid(event)]
    # Converted first: Python never finds a time in the repeated hour equal to one in another zone.
    assert start.astimezone(UTC) == utc and start.replace(tzinfo=None) == local
    # dateutil reading only our VTIMEZONE block agrees (fold=0 picks the first 01:30 in October, as
    # RFC 5545 says a calendar must).
    # tzical refuses X- properties (vobject drops them before calling it too).
    block = "".join(line for line in _vtimezone_text(content).splitlines(True) if not line.startswith("X-"))
    zone = tz.tzical(io.StringIO(block)).get("Europe/London")
    assert local.replace(tzinfo=zone).astimezone(UTC) == utc


def test_the_vtimezone_is_two_yearly_rules_like_calendar_programs_write(dover, make_event):
    content = feeds.calendar_bytes([make_event(dover, "Meeting", days=3)], name="Test")
    assert content.count(b"BEGIN:VTIMEZONE") == 1
    [zone] = Calendar.from_ical(content).walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London" and str(zone["x-lic-location"]) == "Europe/London"
    assert [c.name for c in zone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    rules = {c.name: c for c in zone.subcomponents}
    for name, month, start, tzname in (("DAYLIGHT", 3, "19700329T010000", "BST"),
                                       ("STANDARD", 10, "19701025T020000", "GMT")):  # fmt: skip
        rule = rules[name]
        assert "RDATE" not in rule and str(rule["tzname"]) == tzname
        assert rule["dtstart"].to_ical().decode() == start
        assert dict(rule["rrule"]) == {"FREQ": ["YEARLY"], "BYMONTH": [month], "BYDAY": ["-1SU"]}
    text = _vtimezone_text(content)
    assert "RDATE" not in text
    standard = text[text.index("BEGIN:STANDARD") : text.index("END:STANDARD")]
    assert "TZNAME:BST" not in standard  # icalendar's own zone began with a 1970 "BST" standard time
    assert "X-WR-TIMEZONE:Europe/London\r\n" in content.decode()
    # The zone comes before the events that use it, and event times are UK local with its TZID.
    assert content.index(b"BEGIN:VTIMEZONE") < content.index(b"BEGIN:VEVENT")
    assert b"DTSTART;TZID=Europe/London:" in content and b"DTEND;TZID=Europe/London:" in content
    assert all(len(line) <= 75 for line in content.split(b"\r\n")) and b"\n" not in content.replace(
        b"\r\n", b""
    )


def _exists_and_unambiguous(local):
    first, second = local.replace(tzinfo=LONDON), local.replace(tzinfo=LONDON, fold=1)
    round_trip = first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    return round_trip == local and first.utcoffset() == second.utcoffset()


def test_any_uk_time_comes_out_at_the_instant_django_stores(dover, make_event):
    event = make_event(dover, "Meeting", days=3)

    @settings(max_examples=60, deadline=None)
    @given(
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31, 21))
        .map(lambda d: d.replace(microsecond=0))
        .filter(_exists_and_unambiguous)
    )
    def check(local):
        # In memory only: calendar_bytes reads the event's fields, and no database write per example.
        event.start = local.replace(tzinfo=LONDON).astimezone(UTC)
        event.end = event.start + timedelta(hours=2)
        start = _vobject_starts(feeds.calendar_bytes([event], name="Test"))[feeds.event_uid(event)]
        assert start == event.start
        assert start.replace(tzinfo=None) == local  # and shown at the UK wall-clock time

    check()
