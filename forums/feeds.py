"""iCalendar feeds: stable UIDs, SEQUENCE bumped on change, Europe/London VTIMEZONE, cancelled events
marked CANCELLED rather than dropped (so calendars remove them)."""

import hashlib
import html
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.html import strip_tags
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from parentvoice.text import clean_text

from .services.events import event_name

LONDON = ZoneInfo("Europe/London")


def _london_rule(kind, *, name, offset_from, offset_to, first, month):
    rule = kind()
    rule.add("tzname", name)
    rule.add("tzoffsetfrom", timedelta(hours=offset_from))
    rule.add("tzoffsetto", timedelta(hours=offset_to))
    rule.add("dtstart", first)
    rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    return rule


def london_vtimezone() -> Timezone:
    """Europe/London as two yearly rules (clocks go forward at 1am GMT on the last Sunday in March and
    back at 2am BST on the last Sunday in October), the form Outlook, Google and Apple export.
    icalendar's own VTIMEZONE lists every change as an RDATE from a 1970 "BST" standard time, which
    some calendar programs misread, and it stops at a last date where these rules do not."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    zone.add("x-lic-location", "Europe/London")
    zone.add_component(
        _london_rule(
            TimezoneDaylight, name="BST", offset_from=0, offset_to=1, first=datetime(1970, 3, 29, 1), month=3
        )
    )
    zone.add_component(
        _london_rule(
            TimezoneStandard,
            name="GMT",
            offset_from=1,
            offset_to=0,
            first=datetime(1970, 10, 25, 2),
            month=10,
        )
    )
    return zone


def _source(event):
    # A translation listed in a feed (translations.listed) carries its English event: one UID and
    # SEQUENCE per event, whichever language's feed a calendar app took it from.
    return event.__dict__.get("source_page") or event


def event_uid(event):
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "parentvoice"
    return f"event-{_source(event).pk}@{host}"


def _location(event):
    parts = [event.venue_name, " ".join(event.address.split())]
    place = ", ".join(p for p in parts if p)
    if event.online_link:
        place = f"{place} (or online)" if place else "Online"
    return place


def _description(event, url):
    # Rich text is HTML: calendars show plain text, so "&amp;" must become "&" once the tags are gone.
    lines = [html.unescape(strip_tags(event.description)).strip()]
    provided = [
        label
        for flag, label in (
            (event.creche, "Creche or childcare available"),
            (event.interpreter_on_request, "Interpreter on request"),
            (event.refreshments, "Refreshments"),
        )
        if flag
    ]
    if provided:
        lines.append(". ".join(provided) + ".")
    if event.cancelled:
        lines.insert(0, f"CANCELLED. {event.cancellation_notice}")
    lines.append(f"Details: {url}")
    return "\n\n".join(line for line in lines if line)


def calendar_bytes(events, *, name, request=None):
    calendar = Calendar()
    calendar.add("prodid", "-//Parent Voice//Parent fora//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # Page titles and places come from editors unchecked: RFC 5545 text allows no control characters
    # (icalendar escapes line breaks but passes the others, which calendar programs may choke on).
    calendar.add("x-wr-calname", clean_text(name))
    calendar.add("x-wr-timezone", "Europe/London")
    # Before the events that use it, as calendar programs expect.
    calendar.add_component(london_vtimezone())
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for event in events:
        url = event.get_url(request) or ""
        url = base + url if url.startswith("/") else url
        item = Event()
        item.add("uid", event_uid(event))
        item.add("dtstamp", event.last_published_at or timezone.now())
        item.add("dtstart", timezone.localtime(event.start, LONDON))
        item.add("dtend", timezone.localtime(event.end, LONDON))
        item.add("summary", clean_text(event_name(event)))
        item.add("location", clean_text(_location(event)))
        item.add("description", clean_text(_description(event, url), multiline=True))
        item.add("url", url)
        item.add("sequence", _source(event).sequence)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()


def cached_calendar_bytes(events, *, name, request=None, timeout=900):
    """The feed from the shared cache while nothing in it has changed: building thousands of events
    takes seconds, and calendar apps poll. The key changes whenever an event in it is published or
    leaves it, and every day. `events` are English pages; the feed shows each in the active
    language where it is translated (so the key has the language and its translations' stamp)."""
    from parentvoice.languages import default_locale_id, locale_id

    stamp = events.aggregate(n=Count("pk"), latest=Max("last_published_at"), ids=Sum("pk"))
    language = translation.get_language()
    wanted = locale_id(language)
    translated = None
    if wanted is not None and wanted != default_locale_id():
        translated = (
            events.model.objects.filter(
                locale_id=wanted, translation_key__in=events.values("translation_key")
            )
            .live()
            .aggregate(n=Count("pk"), latest=Max("last_published_at"))
        )
    key = "fora-calendar:" + ":".join(
        str(part)
        for part in (
            name,
            language,
            timezone.localdate(),
            stamp["n"],
            stamp["ids"],
            stamp["latest"],
            translated,
        )
    )
    key = "fora-calendar:" + hashlib.sha256(key.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        from .services.translations import listed

        content = calendar_bytes(listed(events, related=("forum",)), name=name, request=request)
        cache.set(key, content, timeout)
    return content
