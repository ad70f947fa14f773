"""Public listings with a constant number of queries: fora with their next event, upcoming and past
events, the calendar feeds' window, the "What's on" filters and the points parents raised."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from wagtail import hooks

from parentvoice.languages import source_of
from parentvoice.models import District

from ..choices import EventAudience, ForumKind
from ..models import EventPage, ForumPage

LONDON = ZoneInfo("Europe/London")
POINT_OUTCOMES_HOOK = "parentvoice_point_outcomes"


def public_events(root):
    """Live, public events under `root`: a forum's, or (for the fora index) the fora's and those
    outside any forum. Always the English pages (under `root`'s English page), one per event, each
    with its bookings: show them in the reader's language with `translations.listed`."""
    return (
        EventPage.objects.live()
        .public()
        .descendant_of(source_of(root))
        .select_related("forum__district", "district")
    )


# How the fora index lists kinds of forum: the county-wide forum first, the practitioners' last.
FORUM_KIND_ORDER = [ForumKind.COUNTY, ForumKind.DISTRICT, ForumKind.TOPIC, ForumKind.PRACTITIONERS]


def _kind_rank():
    return Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(FORUM_KIND_ORDER)),
        default=Value(len(FORUM_KIND_ORDER)),
        output_field=IntegerField(),
    )


def fora_with_next_event(index):
    """The index's fora by kind (county-wide, district, topic, practitioners), then district, then
    title, each with `next_event` (or None), in the active language where they are translated. Two
    queries, however many fora and events there are (four in another language)."""
    from .translations import listed

    index = source_of(index)
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
        .order_by(_kind_rank(), F("district__name").asc(nulls_first=True), "title")
    )
    events = EventPage.objects.in_bulk([f.next_event_id for f in fora if f.next_event_id])
    shown = {event.source_page.pk: event for event in listed(events.values())}
    fora = listed(fora, related=("district",))
    for forum in fora:
        forum.next_event = shown.get(forum.source_page.next_event_id)
    return fora


def upcoming_events(root, limit=None, *, include_cancelled=True):
    events = public_events(root).filter(end__gte=timezone.now()).order_by("start")
    if not include_cancelled:
        events = events.filter(cancelled=False)
    return events[:limit] if limit else events


CALENDAR_PAST = timedelta(days=90)
CALENDAR_AHEAD = timedelta(days=366)


def calendar_events(root):
    """What a calendar feed carries: the last 90 days and the year ahead."""
    now = timezone.now()
    return (
        public_events(root)
        .filter(end__gte=now - CALENDAR_PAST, start__lte=now + CALENDAR_AHEAD)
        .order_by("start")
    )


def past_events(root, limit=10):
    return public_events(root).filter(end__lt=timezone.now()).order_by("-start")[:limit]


def points_raised(past, limit=10):
    """'What parents said' at these past meetings, newest meeting first, as {text, theme, event,
    outcomes}: `outcomes` lists what was decided about the point ({status, url}), filled in by apps
    through the `parentvoice_point_outcomes` hook."""
    points = []
    for event in past:
        for said in event.parents_said:
            points.append(
                {
                    "id": said.id,
                    "text": said.value["text"],
                    "theme": said.value.get("theme", ""),
                    "event": event,
                    "outcomes": [],
                }
            )
    points = points[:limit]
    by_key = {(point["event"].pk, point["id"]): point for point in points}
    if points:
        for fn in hooks.get_hooks(POINT_OUTCOMES_HOOK):
            for key, outcomes in fn(points).items():
                if key in by_key:
                    by_key[key]["outcomes"].extend(outcomes)
    return points


def whats_on(
    root,
    *,
    district: District | None = None,
    start_date=None,
    end_date=None,
    mode: str = "",
    kinds: list[str] | tuple[str, ...] = (),
    audiences: list[str] | tuple[str, ...] = (),
) -> "QuerySet[EventPage]":
    """Events from `start_date` (default: today) to `end_date`, filtered by the event's district
    (county-wide events are listed under every district), online or in person, kind of event, and
    who it is for (an event for everyone matches any audience asked for)."""
    start = datetime.combine(start_date, time.min, LONDON) if start_date else timezone.now()
    events = public_events(root).filter(end__gte=start)
    if end_date:
        events = events.filter(start__lt=datetime.combine(end_date, time.max, LONDON))
    if district is not None:
        events = events.filter(Q(district=district) | Q(district__isnull=True))
    if kinds:
        events = events.filter(kind__in=list(kinds))
    if audiences:
        events = events.filter(audience__in={*audiences, EventAudience.EVERYONE})
    if mode == "online":
        events = events.exclude(online_link="")
    elif mode == "in_person":
        events = events.exclude(venue_name="", address="")
    return events.order_by("start", "pk")


def districts_with_fora() -> "QuerySet[District]":
    """Districts What's on can filter by: those with a live forum or a live event of their own."""
    # Public events only: a private event's district is not for everyone to see.
    with_events = EventPage.objects.live().public().filter(district__isnull=False).values("district_id")
    return District.objects.filter(Q(fora__live=True) | Q(pk__in=with_events)).distinct().order_by("name")


def whats_on_url() -> str:
    """What's on's address, for pages away from the fora (a booking's page), or "" with no index."""
    from ..models import ForumIndexPage

    index = ForumIndexPage.objects.live().first()
    return index.url + index.reverse_subpage("whats_on") if index is not None else ""
