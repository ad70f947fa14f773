"""parentvoice.dates: every date and time people see, in UK local time and GOV.UK style."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from parentvoice.dates import (
    govuk_date,
    govuk_datetime,
    govuk_datetime_range,
    govuk_time,
    govuk_time_range,
    iso_datetime,
)

LONDON = ZoneInfo("Europe/London")
BOUNDED = settings(max_examples=200, deadline=None)

MINUTES = r":(0[1-9]|[1-5][0-9])"  # never ":00"
TIME = re.compile(rf"^(midday|midnight|([1-9]|1[01])({MINUTES})?(am|pm)|12{MINUTES}(am|pm))$")  # no 12am/12pm
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE = re.compile(rf"^([1-9]|[12][0-9]|3[01]) ({MONTHS}) [0-9]{{4}}$")
WEEKDAY_DATE = re.compile(rf"^({DAYS}) ([1-9]|[12][0-9]|3[01]) ({MONTHS}) [0-9]{{4}}$")

# Aware instants in any zone, across decades of clock changes.
instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
).map(lambda dt: dt.replace(microsecond=0))


def _parse_time(text):
    """Hour (0-23) and minute back out of GOV.UK time text."""
    if text in ("midnight", "midday"):
        return (0 if text == "midnight" else 12), 0
    match = re.match(r"^(\d+)(?::(\d\d))?(am|pm)$", text)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    return hour % 12 + (12 if half == "pm" else 0), minute


@BOUNDED
@given(instants)
def test_times_and_dates_always_read_in_govuk_style(instant):
    assert TIME.match(govuk_time(instant))
    assert DATE.match(govuk_date(instant))
    assert WEEKDAY_DATE.match(govuk_date(instant, weekday=True))
    time_text, _, date_text = govuk_datetime(instant).partition(" on ")
    assert TIME.match(time_text) and WEEKDAY_DATE.match(date_text)
    assert not re.search(r"a\.m\.|p\.m\.|AM|PM|,", govuk_datetime(instant))


@BOUNDED
@given(instants)
def test_an_instant_reads_as_the_uk_wall_clock_hour_and_minute(instant):
    local = instant.astimezone(LONDON)
    assert _parse_time(govuk_time(instant)) == (local.hour, local.minute)
    assert govuk_date(instant) == f"{local.day} {local:%B} {local.year}"
    assert iso_datetime(instant) == local.isoformat()


@BOUNDED
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 12, 31)), st.integers(0, 23))
def test_summer_time_reads_an_hour_later_than_utc(day, hour):
    instant = datetime.combine(day, time(hour), tzinfo=UTC)
    shift = instant.astimezone(LONDON).utcoffset()
    assert shift in (timedelta(0), timedelta(hours=1))
    in_summer = shift == timedelta(hours=1)
    shown, _ = _parse_time(govuk_time(instant))
    assert shown == ((hour + 1) % 24 if in_summer else hour)
    if day.month == 7:
        assert in_summer  # July is always British Summer Time


@BOUNDED
@given(st.integers(0, 23), st.integers(0, 59))
def test_hour_and_minute_round_trip(hour, minute):
    for value in (
        datetime(2026, 7, 14, hour, minute, tzinfo=LONDON),  # summer, aware
        datetime(2026, 12, 29, hour, minute, tzinfo=LONDON),  # winter, aware
        datetime(2026, 7, 14, hour, minute),  # naive: taken as UK local time already
    ):
        assert _parse_time(govuk_time(value)) == (hour, minute)


@BOUNDED
@given(instants, st.integers(1, 60 * 30))
def test_ranges_say_to_and_name_the_day_once_when_it_is_the_same_day(start, minutes):
    end = start + timedelta(minutes=minutes)
    assert govuk_time_range(start, end) == f"{govuk_time(start)} to {govuk_time(end)}"
    text = govuk_datetime_range(start, end)
    if govuk_date(start) == govuk_date(end) or (
        govuk_time(end) == "midnight" and govuk_date(end - timedelta(minutes=1)) == govuk_date(start)
    ):
        assert text == f"{govuk_time(start)} to {govuk_time(end)} on {govuk_date(start, weekday=True)}"
    else:
        assert text == f"{govuk_datetime(start)} to {govuk_datetime(end)}"


def test_examples():
    summer_7pm = datetime(2026, 7, 14, 18, 0, tzinfo=UTC)
    assert govuk_time(summer_7pm) == "7pm"
    assert govuk_datetime(summer_7pm) == "7pm on Tuesday 14 July 2026"
    assert govuk_datetime(summer_7pm, weekday=False) == "7pm on 14 July 2026"
    assert govuk_time(datetime(2026, 12, 29, 10, 15, tzinfo=UTC)) == "10:15am"
    assert govuk_time(datetime(2026, 12, 29, 12, 0, tzinfo=UTC)) == "midday"
    assert govuk_time(datetime(2026, 7, 13, 23, 0, tzinfo=UTC)) == "midnight"  # midnight BST
    assert govuk_time(datetime(2026, 12, 29, 12, 30, tzinfo=UTC)) == "12:30pm"
    assert govuk_time(datetime(2026, 12, 29, 0, 5, tzinfo=UTC)) == "12:05am"
    assert govuk_date(date(2026, 12, 29)) == "29 December 2026"
    assert govuk_date(date(2026, 12, 29), weekday=True) == "Tuesday 29 December 2026"
    # A date late in the evening UTC in summer is the next day in the UK.
    assert govuk_date(datetime(2026, 7, 14, 23, 30, tzinfo=UTC)) == "15 July 2026"
    assert govuk_time_range(summer_7pm, summer_7pm + timedelta(hours=2)) == "7pm to 9pm"
    assert (
        govuk_datetime_range(summer_7pm, summer_7pm + timedelta(hours=5))
        == "7pm to midnight on Tuesday 14 July 2026"
    )
    assert (
        govuk_datetime_range(summer_7pm, summer_7pm + timedelta(hours=14))
        == "7pm on Tuesday 14 July 2026 to 9am on Wednesday 15 July 2026"
    )
    assert iso_datetime(summer_7pm) == "2026-07-14T19:00:00+01:00"
    assert iso_datetime(date(2026, 12, 29)) == "2026-12-29"
    # A date has no time; nothing gives nothing.
    assert govuk_time(date(2026, 12, 29)) == ""
    assert govuk_datetime(date(2026, 12, 29)) == "Tuesday 29 December 2026"
    for helper in (govuk_time, govuk_date, govuk_datetime, iso_datetime):
        assert helper(None) == "" and helper("") == ""


def test_template_filters_match_the_helpers():
    start = datetime(2026, 7, 14, 18, 0, tzinfo=UTC)
    template = Template(
        "{% load govuk_dates %}{{ start|govuk_time }}|{{ start|govuk_date }}|"
        '{{ start|govuk_date:"weekday" }}|{{ start|govuk_datetime }}|{{ start|govuk_datetime:"no weekday" }}|'
        "{{ start|govuk_time_range:end }}|{{ start|govuk_datetime_range:end }}|{{ start|iso_datetime }}|"
        "{{ missing|govuk_datetime }}"
    )
    assert template.render(Context({"start": start, "end": start + timedelta(hours=2)})).split("|") == [
        "7pm",
        "14 July 2026",
        "Tuesday 14 July 2026",
        "7pm on Tuesday 14 July 2026",
        "7pm on 14 July 2026",
        "7pm to 9pm",
        "7pm to 9pm on Tuesday 14 July 2026",
        "2026-07-14T19:00:00+01:00",
        "",
    ]
