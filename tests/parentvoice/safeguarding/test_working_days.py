"""Working days (parentvoice.dates) and when a case is due (workflow.review_due_at)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parentvoice.dates import add_working_days, is_working_day
from parentvoice.safeguarding.workflow import review_due_at

UK = ZoneInfo("Europe/London")
BOUNDED = settings(max_examples=200, deadline=None)


def uk(*args):
    return datetime(*args, tzinfo=UK)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2026, 12, 24))  # Thursday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 26))  # Saturday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, substitute
    assert is_working_day(date(2026, 12, 29))
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is not ours


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        (uk(2026, 12, 4, 15, 0), uk(2026, 12, 7, 15, 0)),  # Friday 3pm -> Monday 3pm
        (uk(2026, 12, 24, 16, 0), uk(2026, 12, 29, 16, 0)),  # Christmas Eve -> Tuesday 29th
        (uk(2026, 12, 1, 10, 30), uk(2026, 12, 2, 10, 30)),  # Tuesday -> Wednesday
        (uk(2026, 12, 5, 11, 0), uk(2026, 12, 8, 9, 0)),  # Saturday: clock starts Monday 9am
        (uk(2026, 12, 25, 23, 0), uk(2026, 12, 30, 9, 0)),  # Christmas night: starts Tuesday 29th 9am
        (uk(2026, 3, 27, 15, 0), uk(2026, 3, 30, 15, 0)),  # the clocks go forward on Sunday 29 March
        (uk(2026, 10, 23, 15, 0), uk(2026, 10, 26, 15, 0)),  # the clocks go back on Sunday 25 October
    ],
)
def test_review_due_at_examples(settings, opened, due):
    settings.SAFEGUARDING_REVIEW_WORKING_DAYS = 1
    result = review_due_at(opened.astimezone(UTC))
    assert result == due
    assert result.tzinfo == UTC
    assert result.astimezone(UK).hour == due.hour  # the same wall-clock time across a clock change


def test_across_the_clocks_going_forward_is_71_hours():
    opened = uk(2026, 3, 27, 15, 0)
    assert add_working_days(opened, 1) - opened == timedelta(hours=71)


def test_more_working_days(settings):
    settings.SAFEGUARDING_REVIEW_WORKING_DAYS = 2
    assert review_due_at(uk(2026, 12, 23, 12, 0)) == uk(2026, 12, 29, 12, 0)


moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@BOUNDED
@given(opened=moments, n=st.integers(min_value=1, max_value=10))
def test_due_is_later_on_a_working_day(opened, n):
    due = add_working_days(opened, n)
    assert due > opened
    assert due.tzinfo == UTC
    local_due = due.astimezone(UK)
    assert is_working_day(local_due.date())
    local_opened = opened.astimezone(UK)
    if is_working_day(local_opened.date()):
        # The same wall-clock time (the clocks change on Sundays, so it always exists on a working day).
        assert local_due.replace(tzinfo=None).time() == local_opened.replace(tzinfo=None).time()
    else:
        assert (local_due.hour, local_due.minute) == (9, 0)
    # Exactly n working days lie after the start day, up to and including the due day.
    start = local_opened.date()
    days = [start + timedelta(days=i) for i in range(1, (local_due.date() - start).days + 1)]
    counted = sum(is_working_day(d) for d in days)
    assert counted == (n if is_working_day(start) else n + 1)


@BOUNDED
@given(opened=moments)
def test_never_more_than_a_fortnight(opened):
    assert add_working_days(opened, 1) - opened < timedelta(days=14)
