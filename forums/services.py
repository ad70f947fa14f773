"""Parent fora operations: listings with a constant number of queries, the "What's on" filters, and
keeping each event's forum link and calendar SEQUENCE right when it is saved."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from parentvoice.models import District

from .models import CALENDAR_FIELDS, EventPage, ForumPage

LONDON = ZoneInfo("Europe/London")


def prepare_event_for_save(event, update_fields=None):
    """Before an event is saved: remember its forum, and bump its iCal SEQUENCE when anything a
    calendar shows has changed, so calendar apps replace the old copy."""
    if event.forum_id is None and event.path:
        parent = event.get_parent()
        if parent is not None and parent.specific_class is ForumPage:
            event.forum_id = parent.pk
    if event.pk is None or (update_fields is not None and not set(update_fields) & set(CALENDAR_FIELDS)):
        return
    saved = EventPage.objects.filter(pk=event.pk).values(*CALENDAR_FIELDS, "sequence").first()
    if saved is not None and any(saved[name] != getattr(event, name) for name in CALENDAR_FIELDS):
        event.sequence = saved["sequence"] + 1


def public_events(root):
    return EventPage.objects.live().public().descendant_of(root).select_related("forum__district")


def fora_with_next_event(index):
    """The index's fora, county-wide first then by district, each with `next_event` (or None).
    Two queries, however many fora and events there are."""
    upcoming = (
        public_events(index)
        .filter(forum=OuterRef("pk"), start__gte=timezone.now(), cancelled=False)
        .order_by("start")
    )
    fora = list(
        ForumPage.objects.child_of(index)
        .live()
        .public()
        .select_related("district")
        .annotate(next_event_id=Subquery(upcoming.values("pk")[:1]))
        .order_by(F("district__name").asc(nulls_first=True), "title")
    )
    events = EventPage.objects.in_bulk([f.next_event_id for f in fora if f.next_event_id])
    for forum in fora:
        forum.next_event = events.get(forum.next_event_id)
    return fora


def upcoming_events(root, limit=None, *, include_cancelled=True):
    events = public_events(root).filter(end__gte=timezone.now()).order_by("start")
    if not include_cancelled:
        events = events.filter(cancelled=False)
    return events[:limit] if limit else events


def past_events(root, limit=10):
    return public_events(root).filter(end__lt=timezone.now()).order_by("-start")[:limit]


def whats_on(root, *, district=None, start_date=None, end_date=None, mode=""):
    """Events from `start_date` (default: today) to `end_date`, filtered by the forum's district
    (county-wide events are listed under every district) and by online or in person."""
    start = datetime.combine(start_date, time.min, LONDON) if start_date else timezone.now()
    events = public_events(root).filter(end__gte=start)
    if end_date:
        events = events.filter(start__lt=datetime.combine(end_date, time.max, LONDON))
    if district is not None:
        events = events.filter(Q(forum__district=district) | Q(forum__district__isnull=True))
    if mode == "online":
        events = events.exclude(online_link="")
    elif mode == "in_person":
        events = events.exclude(venue_name="", address="")
    return events.order_by("start", "pk")


def districts_with_fora():
    return District.objects.filter(fora__live=True).distinct().order_by("name")
