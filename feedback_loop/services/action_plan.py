"""The action plan: each action's status (its latest progress report), when a report is due, reporting
progress, decisions overdue, and the per-priority summaries the public page and the reports share.

Every figure comes from a fixed number of queries however many actions there are: an action's latest
report is a subquery, never a query per action."""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from wagtail.log_actions import log

from parentvoice.dates import govuk_date
from parentvoice.text import NUL_MESSAGE, clean_text, has_nul

from ..choices import (
    NOT_REPORTED,
    NOT_REPORTED_LABEL,
    RAG_NEEDS_COMMENTARY,
    RAG_TAG_COLOURS,
    DecisionStatus,
    RagStatus,
    check_rag_transition,
)
from ..models import Action, Decision, Priority, ProgressReport

__all__ = [
    "ActionStatus",
    "PrioritySummary",
    "actions_overdue_for_report",
    "actions_with_status",
    "can_delete_reports",
    "can_report_on",
    "delete_progress_report",
    "rag_counts",
    "overdue_decisions",
    "priority_summaries",
    "report_due_on",
    "report_progress",
    "reportable_actions",
    "status_colour",
    "status_label",
]

COMMENTARY_MAX_LENGTH = ProgressReport._meta.get_field("commentary").max_length


def actions_with_status(actions: QuerySet | None = None) -> QuerySet:
    """Actions annotated with their latest report: `latest_status` (None when never reported),
    `latest_reported_on` and `latest_commentary`."""
    latest = ProgressReport.objects.filter(action=OuterRef("pk")).order_by("-reported_on", "-pk")
    actions = Action.objects.all() if actions is None else actions
    return actions.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_reported_on=Subquery(latest.values("reported_on")[:1]),
        latest_commentary=Subquery(latest.values("commentary")[:1]),
    )


def status_label(status: str | None) -> str:
    return RagStatus(status).label if status else NOT_REPORTED_LABEL


def status_colour(status: str | None) -> str:
    return RAG_TAG_COLOURS[status or NOT_REPORTED]


def report_interval() -> relativedelta:
    return relativedelta(months=settings.ACTION_REPORT_INTERVAL_MONTHS)


def report_due_on(action: Action) -> date | None:
    """When `action` (annotated by `actions_with_status`) owes its next report: an interval after its
    latest report, or after it started (after it was added, if it has no start date). None once
    complete."""
    if action.latest_status == RagStatus.COMPLETE:
        return None
    since = action.latest_reported_on or action.starts_on or timezone.localtime(action.created_at).date()
    return since + report_interval()


def actions_overdue_for_report(today: date | None = None) -> list:
    """Actions not complete whose next report is past due, most overdue first (annotated, with
    `report_due` and `status_text` set). One query."""
    today = today or timezone.localdate()
    overdue = []
    for action in actions_with_status().select_related("priority"):
        due = report_due_on(action)
        if due is not None and due < today:
            action.report_due = due
            action.status_text = status_label(action.latest_status)
            overdue.append(action)
    return sorted(overdue, key=lambda action: (action.report_due, action.priority.number, action.number))


def overdue_decisions(today: date | None = None) -> QuerySet:
    """Published decisions agreed (or partly agreed) whose due date has passed without being done."""
    today = today or timezone.localdate()
    return Decision.objects.filter(
        live=True,
        status__in=[DecisionStatus.AGREED, DecisionStatus.PARTLY_AGREED],
        due_on__lt=today,
    ).order_by("due_on", "pk")


# --- Reporting progress ----------------------------------------------------------------------


def earliest_report_date(action: Action, today: date) -> date:
    """A report is published with its date: none before the action starts, or, for an action with no
    start date, more than a year back."""
    return action.starts_on or today - relativedelta(years=1)


def can_report_on(user, action: Action) -> bool:
    """Officers (report_on_any_action) report on any action; an action lead only on those they lead."""
    if not user.is_active:
        return False
    if user.has_perm("feedback_loop.report_on_any_action"):
        return True
    return user.has_perm("feedback_loop.add_progressreport") and action.lead_users.filter(pk=user.pk).exists()


def reportable_actions(user) -> QuerySet:
    """The actions `user` may report on, annotated with their status."""
    actions = Action.objects.select_related("priority")
    if not user.is_active:
        return actions.none()
    if not user.has_perm("feedback_loop.report_on_any_action"):
        if not user.has_perm("feedback_loop.add_progressreport"):
            return actions.none()
        actions = actions.filter(lead_users=user)
    return actions_with_status(actions)


def report_progress(
    action: Action, user, *, status: str, commentary: str = "", reported_on: date | None = None
) -> ProgressReport:
    """Record a progress report. Raises PermissionDenied unless `user` may report on `action`, and
    ValidationError (by field) for a missing or unstorable reason, a date in the future or before the
    latest report, or a move the rules forbid. Each report is in Wagtail's log for the action."""
    if not can_report_on(user, action):
        raise PermissionDenied
    today = timezone.localdate()
    reported_on = reported_on or today
    errors = {}
    if has_nul(commentary):
        errors["commentary"] = NUL_MESSAGE
    commentary = clean_text(commentary, multiline=True).strip()
    if status not in RagStatus.values:
        errors["status"] = "Choose red, amber, green or complete."
    elif status in RAG_NEEDS_COMMENTARY and not commentary and "commentary" not in errors:
        errors["commentary"] = "Say what is wrong and what is being done: it is published beside the status."
    if len(commentary) > COMMENTARY_MAX_LENGTH:
        errors["commentary"] = (
            f"The commentary must be {COMMENTARY_MAX_LENGTH} characters or fewer (it has {len(commentary)})."
        )
    if reported_on > today:
        errors["reported_on"] = "The date of a report cannot be in the future."
    elif reported_on < earliest_report_date(action, today):
        errors["reported_on"] = (
            f"The date cannot be before {govuk_date(earliest_report_date(action, today))}: "
            + ("the action starts then." if action.starts_on else "reports go back a year at most.")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Action.objects.select_for_update().filter(pk=action.pk).first()  # one report at a time
        latest = actions_with_status(Action.objects.filter(pk=action.pk)).values(
            "latest_status", "latest_reported_on"
        ).first() or {"latest_status": None, "latest_reported_on": None}
        check_rag_transition(latest["latest_status"], status)
        if latest["latest_reported_on"] and reported_on < latest["latest_reported_on"]:
            raise ValidationError(
                {
                    "reported_on": "The date cannot be before the last report, on "
                    f"{govuk_date(latest['latest_reported_on'])}."
                }
            )
        report = ProgressReport.objects.create(
            action=action, status=status, commentary=commentary, reported_on=reported_on, reported_by=user
        )
        log(
            instance=action,
            action="feedback.progress_reported",
            user=user,
            data={"status": status, "reported_on": reported_on.isoformat(), "report_id": report.pk},
        )
    return report


def can_delete_reports(user) -> bool:
    return user.is_active and user.has_perm("feedback_loop.delete_progressreport")


def delete_progress_report(report: ProgressReport, user) -> None:
    """Delete a mistaken report (how a wrong "complete" is undone): officers only, logged on the
    action."""
    if not can_delete_reports(user):
        raise PermissionDenied
    action = report.action
    with transaction.atomic():
        data = {
            "status": report.status,
            "reported_on": report.reported_on.isoformat(),
            "report_id": report.pk,
        }
        report.delete()
        log(instance=action, action="feedback.progress_report_deleted", user=user, data=data)


def rag_counts(actions: QuerySet | None = None) -> list[dict]:
    """How many actions stand at each status across the plan (one query), in the order red, amber,
    green, complete, no report yet: [{"status", "label", "colour", "count"}]."""
    counts = dict(
        actions_with_status(actions).order_by().values_list("latest_status").annotate(n=Count("pk"))
    )
    return [
        {
            "status": key or NOT_REPORTED,
            "label": status_label(key),
            "colour": status_colour(key),
            "count": counts.get(key, 0),
        }
        for key in (*RagStatus.values, None)
    ]


# --- Summaries for the public page and the reports -------------------------------------------


@dataclass
class ActionStatus:
    action: Action
    status: str | None
    label: str
    colour: str
    reported_on: date | None
    commentary: str
    report_due: date | None
    report_overdue: bool


@dataclass
class PrioritySummary:
    priority: Priority
    actions: list = field(default_factory=list)  # ActionStatus
    counts: dict = field(default_factory=dict)  # {status or NOT_REPORTED: n}

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def complete(self) -> int:
        return self.counts.get(RagStatus.COMPLETE, 0)

    @property
    def percent_complete(self) -> int | None:
        return round(100 * self.complete / self.total) if self.total else None


def priority_summaries(actions: QuerySet | None = None, today: date | None = None) -> list[PrioritySummary]:
    """Every priority with its actions' status and counts by status, in two queries. `actions` limits
    which actions are counted (e.g. one district's); priorities are all listed."""
    today = today or timezone.localdate()
    summaries = {priority.pk: PrioritySummary(priority=priority) for priority in Priority.objects.all()}
    for action in actions_with_status(actions).order_by("priority__number", "number"):
        summary = summaries.get(action.priority_id)
        if summary is None:
            continue
        action.priority = summary.priority
        due = report_due_on(action)
        summary.actions.append(
            ActionStatus(
                action=action,
                status=action.latest_status,
                label=status_label(action.latest_status),
                colour=status_colour(action.latest_status),
                reported_on=action.latest_reported_on,
                commentary=action.latest_commentary or "",
                report_due=due,
                report_overdue=due is not None and due < today,
            )
        )
        key = action.latest_status or NOT_REPORTED
        summary.counts[key] = summary.counts.get(key, 0) + 1
    return list(summaries.values())
