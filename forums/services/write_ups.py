"""The work around a forum meeting: the agenda reminder before it and the write-up checklist after it
(attendance as counts, public notes, minutes within ten working days, what parents said with a theme).

Only forum meetings (`EventPage.needs_write_up`: a forum meeting in a forum, not cancelled) are
written up. Who sees which meetings: a forum's own coordinators (its coordinators group, found by the
forum's id) see that forum's; holders of `forums.review_write_ups` see every forum's."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.log_actions import log

from parentvoice.dates import govuk_date, govuk_datetime, next_working_day
from parentvoice.languages import default_locale_id

from ..choices import AttendanceGroup, EventKind
from ..models import Attendance, EventPage
from .coordinators import email_coordinators
from .events import event_name

REVIEW_WRITE_UPS = "forums.review_write_ups"
WRITE_UP_WORKING_DAYS = 10
AGENDA_REMINDER_DAYS = 5
ATTENDANCE_MAX = 999
# Ten working days never span fewer than twelve calendar days (from a Sunday: the second Friday), so
# meetings more recent than that cannot be overdue and the database need not return them.
_SHORTEST_WRITE_UP_SPAN = timedelta(days=12)
# The reminder and write-up fields are set here only by UPDATE: saving the page keeps them (see
# events.prepare_event_for_save).


class WriteUpIncomplete(Exception):
    """A meeting cannot be marked as written up yet: `missing` says what is still to do."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("Before you mark this meeting as written up: " + "; ".join(missing) + ".")


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # "attendance", "notes", "minutes" or "parents_said"
    label: str
    done: bool
    detail: str  # what was done, or what is still to do
    to_do: str  # the missing item as WriteUpIncomplete names it


# --- Due dates -------------------------------------------------------------------------------


def write_up_due_on(event: EventPage) -> date:
    """The day the minutes are due: ten working days (England and Wales bank holidays and weekends
    excluded) after the day of the meeting, in UK time."""
    day = timezone.localdate(event.start)
    for _ in range(WRITE_UP_WORKING_DAYS):
        day = next_working_day(day)
    return day


# --- The checklist ---------------------------------------------------------------------------


def _has_text(html: str) -> bool:
    return bool(strip_tags(html or "").replace("&nbsp;", "").strip())


def _said_points(event: EventPage) -> list[dict]:
    return [block.value for block in event.parents_said if block.block_type == "said"]


def write_up_checklist(event: EventPage) -> list[ChecklistItem]:
    """What a meeting's write-up needs, each done or still to do, from the page as published."""
    counts = list(event.attendance.values_list("count", flat=True))
    said = _said_points(event)
    without_theme = sum(1 for point in said if not (point.get("theme") or "").strip())
    due = govuk_date(write_up_due_on(event))
    if not said:
        said_detail = "Add at least one point parents made, each with a theme."
    elif without_theme:
        said_detail = f"{without_theme} of {len(said)} point{'s' if len(said) != 1 else ''} {'has' if without_theme == 1 else 'have'} no theme."
    else:
        said_detail = f"{len(said)} point{'s' if len(said) != 1 else ''}, each with a theme."
    return [
        ChecklistItem(
            "attendance",
            "Attendance",
            bool(counts),
            f"{sum(counts)} people recorded." if counts else "Record how many came, by group.",
            "record attendance",
        ),
        ChecklistItem(
            "notes",
            "Public notes",
            _has_text(event.meeting_notes),
            "Published on the meeting's page."
            if _has_text(event.meeting_notes)
            else "Write a short public summary.",
            "publish the notes",
        ),
        ChecklistItem(
            "minutes",
            "Minutes",
            event.minutes_id is not None,
            f"Added. They were due by {due}." if event.minutes_id else f"Add the minutes by {due}.",
            "add the minutes",
        ),
        ChecklistItem(
            "parents_said",
            "What parents said",
            bool(said) and not without_theme,
            said_detail,
            "give every point parents made a theme" if said else "add what parents said",
        ),
    ]


def record_attendance(event: EventPage, counts: dict[str, int], *, user) -> None:
    """Replace the meeting's attendance with these counts (a group left out is 0). Counts only:
    no names are ever taken."""
    unknown = set(counts) - set(AttendanceGroup.values)
    if unknown:
        raise ValueError(f"Unknown attendance groups: {', '.join(sorted(unknown))}")
    for group, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= ATTENDANCE_MAX:
            raise ValueError(f"The count for {group} must be a whole number from 0 to {ATTENDANCE_MAX}.")
    with transaction.atomic():
        Attendance.objects.filter(event=event).delete()
        # Every group gets a row, 0 included: a row means the attendance was recorded.
        Attendance.objects.bulk_create(
            Attendance(event=event, group=group, count=counts.get(group, 0))
            for group in AttendanceGroup.values
        )
        log(
            instance=event,
            action="forums.attendance_recorded",
            user=user,
            data={"total": sum(counts.values())},
        )


def mark_written_up(event: EventPage, *, user, now: datetime | None = None) -> None:
    """Record that the meeting is written up, only once every checklist item is done."""
    now = now or timezone.now()
    if not event.needs_write_up:
        raise WriteUpIncomplete(["only a forum meeting that was not cancelled is written up"])
    if event.end > now:
        raise WriteUpIncomplete(["wait until the meeting has ended"])
    missing = [item.to_do for item in write_up_checklist(event) if not item.done]
    if missing:
        raise WriteUpIncomplete(missing)
    with transaction.atomic():
        marked = EventPage.objects.filter(pk=event.pk, written_up_at__isnull=True).update(
            written_up_at=now, written_up_by=user
        )
        if marked:
            event.written_up_at, event.written_up_by = now, user
            log(instance=event, action="forums.written_up", user=user)


# --- Meetings to write up ----------------------------------------------------------------------


def may_write_up(user, event: EventPage) -> bool:
    return user.is_active and (user.has_perm(REVIEW_WRITE_UPS) or event.permissions_for_user(user).can_edit())


def _awaiting(user, now: datetime, *, started_before: datetime | None = None):
    meetings = EventPage.objects.live().filter(
        locale_id=default_locale_id(),  # a translation's write-up is its English meeting's
        kind=EventKind.FORUM_MEETING,
        forum__isnull=False,
        cancelled=False,
        written_up_at__isnull=True,
        end__lt=now,
    )
    if started_before is not None:
        meetings = meetings.filter(start__lt=started_before)
    if user is not None and not user.has_perm(REVIEW_WRITE_UPS):
        # A coordinator: the fora whose own coordinators group they are in (by the forum's group id).
        meetings = meetings.filter(forum__coordinators__user=user) if user.is_active else meetings.none()
    meetings = list(meetings.select_related("forum").order_by("start", "pk").distinct())
    for meeting in meetings:
        meeting.due_on = write_up_due_on(meeting)
    return meetings


def meetings_awaiting_write_up(*, user=None, today: date | None = None) -> list[EventPage]:
    """Forum meetings that have ended and are not written up, oldest first, each with `due_on` and
    `overdue` (its due date has passed). For a coordinator, their fora's; for a holder of
    `forums.review_write_ups` (or with no user), every forum's. One query, however many meetings."""
    today = today or timezone.localdate()
    meetings = _awaiting(user, timezone.now())
    for meeting in meetings:
        meeting.overdue = meeting.due_on < today
    return meetings


def meetings_overdue_for_write_up(*, user=None, today: date | None = None) -> list[EventPage]:
    """The meetings awaiting a write-up whose due date has passed."""
    today = today or timezone.localdate()
    now = timezone.now()
    midnight = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
    meetings = _awaiting(user, now, started_before=midnight - _SHORTEST_WRITE_UP_SPAN)
    for meeting in meetings:
        meeting.overdue = True
    return [meeting for meeting in meetings if meeting.due_on < today]


def meetings_to_write_up(*, user=None, today: date | None = None) -> list[EventPage]:
    """The meetings awaiting a write-up that are not overdue yet."""
    return [meeting for meeting in meetings_awaiting_write_up(user=user, today=today) if not meeting.overdue]


def sees_write_ups(user) -> bool:
    """Whether the user has any fora's write-ups to see (dashboards and the list)."""
    return user.is_active and (
        user.has_perm(REVIEW_WRITE_UPS) or user.groups.filter(coordinated_forum__isnull=False).exists()
    )


# --- The agenda reminder -------------------------------------------------------------------------


def has_agenda_or_papers(event: EventPage) -> bool:
    return _has_text(event.agenda) or any(block.value is not None for block in event.papers)


def send_agenda_reminders(now: datetime | None = None) -> int:
    """Email the coordinators of each forum meeting starting within five days that has no agenda or
    papers published (or, for a forum with no coordinators, those who review write-ups). Once per
    meeting: the claim is a conditional UPDATE, so two runs at once never both send. Returns how many
    meetings were reminded about."""
    now = now or timezone.now()
    candidates = (
        EventPage.objects.live()
        .filter(
            locale_id=default_locale_id(),  # reminded once, about the English meeting
            kind=EventKind.FORUM_MEETING,
            forum__isnull=False,
            cancelled=False,
            agenda_reminder_sent_at__isnull=True,
            start__gt=now,
            start__lte=now + timedelta(days=AGENDA_REMINDER_DAYS),
        )
        .select_related("forum")
        .order_by("start", "pk")
    )
    reminded = 0
    for event in candidates:
        if has_agenda_or_papers(event):
            continue
        with transaction.atomic():
            claimed = EventPage.objects.filter(pk=event.pk, agenda_reminder_sent_at__isnull=True).update(
                agenda_reminder_sent_at=now
            )
            if not claimed:
                continue
            subject, body = _agenda_reminder_email(event)
            email_coordinators(
                event.forum,
                subject=subject,
                body=body,
                key=f"agenda-reminder:{event.pk}:{int(event.start.timestamp())}",
            )
        reminded += 1
    return reminded


def _agenda_reminder_email(event: EventPage) -> tuple[str, str]:
    name = event_name(event)
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[event.pk]
    )
    return (
        f"{name}: add the agenda and papers",
        f"{name} is at {govuk_datetime(event.start)} and its page has no agenda or papers yet.\n\n"
        "People coming want to know what the meeting will cover. Add the agenda and any papers under "
        f"'Before the meeting', then publish the page:\n\n{edit_url}",
    )
