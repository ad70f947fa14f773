"""A forum or an event in several languages is one forum or one event (docs/languages.md, "Fora and
events in other languages").

A translation is a page of its own (Wagtail's locales), but everything kept about a forum or an event
belongs to the English page it translates (`page.source_page`): bookings, capacity and the waiting
list, members, coordinators, notices, reminders and the write-up. A translation takes the English
page's times, place settings and booking settings whenever either page is saved; the translator
translates the words only. Lists show each forum and event once (`listed`)."""

from __future__ import annotations

from parentvoice.languages import in_language

from ..models import EventPage, ForumPage

# What a translated event takes from its English page, whatever its editor says: what decides when
# and whether people can come and book. The words (title, description, venue, getting there, agenda,
# cancellation notice) stay the translator's.
EVENT_SHARED_FIELDS = (
    "kind",
    "audience",
    "district_id",
    "start",
    "end",
    "online_link",
    "creche",
    "interpreter_on_request",
    "refreshments",
    "booking_required",
    "capacity",
    "cancelled",
)
FORUM_SHARED_FIELDS = ("kind", "district_id")


def _shared_fields(page) -> tuple[str, ...]:
    return EVENT_SHARED_FIELDS if isinstance(page, EventPage) else FORUM_SHARED_FIELDS


def follow_source(page: EventPage | ForumPage) -> None:
    """Copy the English page's shared fields onto a translation being saved (in memory)."""
    source = page.source_page
    if source is None or source.pk == page.pk:
        return
    for name in _shared_fields(page):
        setattr(page, name, getattr(source, name))
    if isinstance(page, EventPage) and source.cancelled and not page.cancellation_notice.strip():
        # Better the English notice than a cancelled event that does not say so.
        page.cancellation_notice = source.cancellation_notice


def push_to_translations(source: EventPage | ForumPage) -> int:
    """After the English page is saved: its translations take its shared fields at once, so cancelling
    or moving the English event cancels or moves every translation, and none stays open for booking.
    An UPDATE, not a save: a translation has no bookings or members of its own to tell. Their drafts
    take the fields when published (`follow_source`). Returns how many translations there are."""
    if not source.translation_key or source.pk is None:
        return 0
    model = type(source)
    others = model.objects.filter(translation_key=source.translation_key).exclude(pk=source.pk)
    changed = others.update(**{name: getattr(source, name) for name in _shared_fields(source)})
    if isinstance(source, EventPage) and source.cancelled:
        others.filter(cancellation_notice="").update(cancellation_notice=source.cancellation_notice)
    return changed


def listed(pages, *, related: tuple[str, ...] = ()) -> list:
    """English pages (a listing's, built from the English tree) as they are shown in the active
    language: its live translation where there is one. One query, none in English."""
    return in_language(pages, related=related)
