"""Dates and times as people read them: UK local time, in GOV.UK style.

Every date or time a person sees (pages, texts, emails, briefings, our admin views) goes through
these functions, or the template filters of the same names in `govuk_dates`:

    govuk_time(dt)                 "7pm", "10:15am", "midday", "midnight"
    govuk_date(d)                  "29 December 2026"
    govuk_date(d, weekday=True)    "Tuesday 29 December 2026"
    govuk_datetime(dt)             "7pm on Tuesday 29 December 2026"
    govuk_time_range(start, end)   "7pm to 9pm"
    govuk_datetime_range(s, e)     "7pm to 9pm on Tuesday 29 December 2026"
    iso_datetime(dt)               "2026-12-29T19:00:00+00:00", for <time datetime="..."> only

An aware datetime is first converted to the site's time zone (settings.TIME_ZONE, Europe/London), so
a 18:00 UTC meeting in July reads "7pm". A naive datetime is taken to be UK local time already, and a
date has no time of day. None (or "") gives "". Machine formats (iCal, CSV, XLSX, ISO attributes)
do not use these.

They read in the active language: English keeps GOV.UK's style above; another language has its day
and month names from Django's translations, a 24-hour clock ("19:00") and its own word order, from
the catalog (docs/languages.md). A text or email sent outside a request is English unless its sender
activates the person's language.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import dateformat, timezone
from django.utils.translation import get_language, pgettext

__all__ = [
    "govuk_date",
    "govuk_datetime",
    "govuk_datetime_range",
    "govuk_time",
    "govuk_time_range",
    "iso_datetime",
    "uk_local",
    "is_working_day",
    "add_working_days",
]


def uk_local(value):
    """An aware datetime in UK local time; a naive datetime or a date, unchanged."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value):
    value = uk_local(value)
    return value.date() if isinstance(value, datetime) else value


def _in_english():
    return (get_language() or "en").lower().startswith("en")


def govuk_time(value):
    """ "7pm", "10:15am", "midday", "midnight" ("" for None or a plain date)."""
    if not isinstance(value, datetime):
        return ""
    value = uk_local(value)
    if value.minute == 0 and value.hour in (0, 12):
        return pgettext("time of day", "midnight") if value.hour == 0 else pgettext("time of day", "midday")
    if not _in_english():
        # am and pm are English habits; "19:00" is read everywhere the other languages are.
        return dateformat.format(value, "H:i")
    hour = dateformat.format(value, "g")
    minutes = "" if value.minute == 0 else dateformat.format(value, ":i")
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_date(value, weekday=False):
    """ "29 December 2026", or "Tuesday 29 December 2026" with weekday ("" for None)."""
    if not isinstance(value, date):
        return ""
    # "E" is the month's name as it is said in a date (Polish "29 grudnia"); in English, as "F".
    return dateformat.format(_day(value), "l j E Y" if weekday else "j E Y")


def govuk_datetime(value, weekday=True):
    """ "7pm on Tuesday 29 December 2026" (a plain date: just the date)."""
    if not isinstance(value, datetime):
        return govuk_date(value, weekday=weekday)
    return pgettext("a time on a date", "%(time)s on %(date)s") % {
        "time": govuk_time(value),
        "date": govuk_date(value, weekday=weekday),
    }


def _range(start, end):
    return pgettext("from one time or date to another", "%(start)s to %(end)s") % {"start": start, "end": end}


def govuk_time_range(start, end):
    """ "7pm to 9pm". Only the times: see govuk_datetime_range for a range with its date."""
    if not isinstance(start, datetime):
        return ""
    if not isinstance(end, datetime) or uk_local(end) == uk_local(start):
        return govuk_time(start)
    return _range(govuk_time(start), govuk_time(end))


def govuk_datetime_range(start, end, weekday=True):
    """ "7pm to 9pm on Tuesday 29 December 2026"; across days, "7pm on Tuesday 29 December 2026 to
    1am on Wednesday 30 December 2026"."""
    if not isinstance(start, datetime):
        return govuk_date(start, weekday=weekday)
    if not isinstance(end, datetime):
        return govuk_datetime(start, weekday=weekday)
    ends_at_midnight = uk_local(end).hour == 0 and uk_local(end).minute == 0
    if _day(start) == _day(end) or (_day(end) - _day(start)).days == 1 and ends_at_midnight:
        # "7pm to midnight on Tuesday": an evening that ends at midnight is still Tuesday's.
        return pgettext("a time on a date", "%(time)s on %(date)s") % {
            "time": govuk_time_range(start, end),
            "date": govuk_date(start, weekday=weekday),
        }
    return _range(govuk_datetime(start, weekday=weekday), govuk_datetime(end, weekday=weekday))


def iso_datetime(value):
    """ISO 8601 for a <time datetime="..."> attribute: UK local time with its offset, or a date."""
    if isinstance(value, datetime):
        return uk_local(value).isoformat(timespec="seconds")
    return value.isoformat() if isinstance(value, date) else ""


# --- Working days ---------------------------------------------------------------------------
# Weekends and England and Wales bank holidays are not working days. The working day starts at
# WORKING_DAY_STARTS (UK local time): a clock started on a non-working day starts then.

UK = ZoneInfo("Europe/London")
WORKING_DAY_STARTS = time(9, 0)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    if isinstance(day, datetime):
        day = uk_local(day).date()
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(moment: datetime, n: int) -> datetime:
    """`n` working days after `moment`, at the same UK local time (an aware UTC datetime).

    On a non-working day the clock starts at 9am on the next working day, so Saturday 11am plus one
    working day is 9am on Tuesday. Across the clocks changing the wall-clock time is kept (Friday 3pm
    before the clocks go forward is Monday 3pm, 71 hours later). A naive moment is UK local time."""
    local = moment.astimezone(UK) if timezone.is_aware(moment) else moment
    day, at = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day):
        day, at = next_working_day(day), WORKING_DAY_STARTS
    for _ in range(n):
        day = next_working_day(day)
    # fold=0: in the repeated hour when the clocks go back, the first (BST) 1:30am.
    return datetime.combine(day, at, tzinfo=UK).astimezone(UTC)
