"""The public 'How we are doing' page (ProgressPage): the action plan by priority, each action's
status (its latest progress report) with the reason for red and amber, and the decisions behind it.

Nothing personal is shown: an action's lead is a job title, and a report shows its date, status and
the commentary officers write to be published, never who reported it. Both pages take a fixed number
of queries however many priorities, actions and reports there are."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse

from .choices import NOT_REPORTED, RAG_TAG_COLOURS, RagStatus
from .models import Action, Decision, FeedbackItem, Priority, ProgressPage, ProgressReport
from .services import PrioritySummary, priority_summaries, public_log
from .services.action_plan import status_label

# The order statuses are listed in: what needs attention first.
STATUS_ORDER = [RagStatus.RED, RagStatus.AMBER, RagStatus.GREEN, RagStatus.COMPLETE, NOT_REPORTED]

# The words of a summary line ("2 off track (red)"): the colour is named, never only shown.
SUMMARY_WORDS = {
    RagStatus.RED: "off track (red)",
    RagStatus.AMBER: "at risk (amber)",
    RagStatus.GREEN: "on track (green)",
    NOT_REPORTED: "with no report yet",
}


@dataclass
class StatusCount:
    status: str
    label: str
    colour: str
    count: int
    percent: int


@dataclass
class PlanTotals:
    """The whole plan at a glance: actions by status, and how many are complete."""

    rows: list  # StatusCount, in STATUS_ORDER
    total: int
    complete: int

    @property
    def percent_complete(self) -> int | None:
        return round(100 * self.complete / self.total) if self.total else None


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def plan_totals(summaries: list[PrioritySummary]) -> PlanTotals:
    counts: dict[str, int] = {}
    for summary in summaries:
        for status, count in summary.counts.items():
            counts[status] = counts.get(status, 0) + count
    total = sum(counts.values())
    rows = [
        StatusCount(
            status=status,
            label=status_label(None if status == NOT_REPORTED else status),
            colour=RAG_TAG_COLOURS[status],
            count=counts.get(status, 0),
            percent=_percent(counts.get(status, 0), total),
        )
        for status in STATUS_ORDER
    ]
    return PlanTotals(rows=rows, total=total, complete=counts.get(RagStatus.COMPLETE, 0))


def summary_line(summary: PrioritySummary) -> str:
    """'3 of 10 actions complete; 2 off track (red), 1 at risk (amber), 4 on track (green).'"""
    if not summary.total:
        return "No actions yet."
    actions = "action" if summary.total == 1 else "actions"
    line = f"{summary.complete} of {summary.total} {actions} complete"
    others = [
        f"{summary.counts[status]} {SUMMARY_WORDS[status]}"
        for status in STATUS_ORDER
        if status != RagStatus.COMPLETE and summary.counts.get(status)
    ]
    return line + ("; " + ", ".join(others) if others else "") + "."


def progress_page() -> ProgressPage | None:
    """The published 'How we are doing' page, or None when there is none to link to."""
    page = ProgressPage.objects.live().public().first()
    return page if page is not None and page.url is not None else None


def _render(request, page, template, context):
    return TemplateResponse(request, template, {"page": page, "self": page, **context})


def progress(request, page):
    summaries = priority_summaries()
    return _render(
        request,
        page,
        "feedback_loop/progress_page.html",
        {"summaries": summaries, "totals": plan_totals(summaries)},
    )


def _public_decisions() -> Prefetch:
    """Published decisions that answer a public item: the only ones the log has a page for."""
    public = public_log.public_decisions(with_items=False).values("pk")
    decisions = Decision.objects.filter(pk__in=public).order_by("-decided_on", "-pk")
    return Prefetch("decisions", queryset=decisions, to_attr="public_decisions")


def _public_items() -> Prefetch:
    """Published 'You said' items on public consultations and meetings (their summaries only)."""
    public = public_log.public_items().values("pk")
    items = FeedbackItem.objects.filter(pk__in=public).select_related("consultation", "event").order_by("-pk")
    return Prefetch("feedback_items", queryset=items, to_attr="public_items")


# A priority's number is a small integer: anything larger is no priority (and never reaches the database).
MAX_PRIORITY_NUMBER = 32767


def priority_progress(request, page, number):
    if number > MAX_PRIORITY_NUMBER:
        raise Http404("No such priority")
    priority = Priority.objects.filter(number=number).first()
    if priority is None:
        raise Http404("No such priority")
    history = ProgressReport.objects.only("action_id", "reported_on", "status", "commentary")
    actions = Action.objects.filter(priority=priority).prefetch_related(
        "districts",
        Prefetch("reports", queryset=history.order_by("-reported_on", "-pk"), to_attr="history"),
        _public_decisions(),
        _public_items(),
    )
    summary = next(s for s in priority_summaries(actions) if s.priority.pk == priority.pk)
    return _render(
        request,
        page,
        "feedback_loop/progress_priority.html",
        {"priority": priority, "summary": summary, "log_page": public_log.log_page()},
    )
