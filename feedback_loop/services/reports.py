"""District, theme and quarterly board reports: what each shows (`report_context`) and the HTML it is
rendered to. Making one (its PDF in a task, the emailed link) is `report_making`.

A report is circulated outside the team, so it follows the briefing's rules: counts under 5 are hidden
(surveys/small_numbers.py), and no words parents wrote appear except quotes an officer approved that
are not held for safeguarding review. The emails carry a link only: no figures, no names.

Every context is built from a fixed number of queries however much data there is (tests assert it)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from ..choices import DecisionStatus, RagStatus, ReportKind, ReportStatus
from ..models import Action, Decision, FeedbackItem, Report
from .action_plan import overdue_decisions, priority_summaries
from .briefings import ABOUT_YOU_IDS
from .items import publishable_quotes

__all__ = [
    "ReportProblem",
    "board_report_context",
    "last_full_quarter",
    "report_context",
    "report_html",
]

TEMPLATE = "feedback_loop/report.html"


class ReportProblem(ValidationError):
    """A report that cannot be made as asked (wrong subject for its kind, a period out of order)."""


# --- Periods ----------------------------------------------------------------------------------


def last_full_quarter(today: date | None = None) -> tuple[date, date]:
    """The last calendar quarter that has ended: on 1 April 2026, 1 January to 31 March 2026."""
    today = today or timezone.localdate()
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return this_quarter - relativedelta(months=3), this_quarter - timedelta(days=1)


def _bounds(report: Report) -> tuple[datetime, datetime]:
    """The period as aware datetimes: from the start of its first day to the start of the day after."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(report.period_start, time.min, tzinfo=zone)
    end = datetime.combine(report.period_end + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _reach(**kwargs):
    """The reach tables (another module's), or None while it does not exist."""
    try:
        from .reach import reach_dashboard
    except ImportError:
        return None
    return reach_dashboard(**kwargs)


# --- Shared pieces ----------------------------------------------------------------------------


def _items(queryset: QuerySet) -> list:
    """Published items with their theme, districts, source, publishable quotes and published decisions
    (as `live_decisions`), in a fixed number of queries."""
    return list(
        queryset.filter(live=True)
        .select_related("theme", "consultation", "event", "event__forum")
        .prefetch_related(
            "districts",
            Prefetch("quotes", queryset=publishable_quotes()),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(live=True).order_by("pk"),
                to_attr="live_decisions",
            ),
        )
        .distinct()
        .order_by("created_at", "pk")
    )


@dataclass
class ActionRow:
    """One action in a report: its status (an ActionStatus) and whether it is county-wide."""

    priority: object
    status: object
    county_wide: bool


def _action_rows(actions: QuerySet | None, local_ids: set | None = None) -> list[ActionRow]:
    """The actions (all when None) with their RAG status, priority by priority. With `local_ids`,
    actions not in it are marked county-wide."""
    rows = []
    for summary in priority_summaries(actions):
        for status in summary.actions:
            county_wide = local_ids is not None and status.action.pk not in local_ids
            rows.append(ActionRow(priority=summary.priority, status=status, county_wide=county_wide))
    return rows


def _decisions_due(decision_ids: set, report: Report, today: date) -> list:
    """Of these published decisions, those agreed and not done whose due date is by the period's end,
    with `overdue` set when it has passed."""
    if not decision_ids:
        return []
    due = list(
        Decision.objects.filter(
            pk__in=decision_ids,
            live=True,
            status__in=[DecisionStatus.AGREED, DecisionStatus.PARTLY_AGREED],
            due_on__lte=max(report.period_end, today),
        ).order_by("due_on", "pk")
    )
    for decision in due:
        decision.overdue = decision.due_on < today
    return due


def _district_results(consultations: list, district) -> list[dict]:
    """Each consultation's responses from `district` and its choice questions' counts there, small
    numbers hidden: one query for all of them. Free text is never counted or shown."""
    from surveys import tallies
    from surveys.questions import build_schema
    from surveys.results import ChoiceResult, _choice_labels, _percent, chart_rows
    from surveys.small_numbers import SMALL_CELL, shown_total

    ids = [page.pk for page in consultations]
    table = tallies.read(ids, dimension="district", value=district.pk)
    results = []
    for page in consultations:
        total = table.get((page.pk, ""), {}).get("", 0)
        questions = []
        if total >= SMALL_CELL:
            for question in build_schema(page.questions):
                if not question.is_choice or question.id in ABOUT_YOU_IDS:
                    continue
                by_key = table.get((page.pk, question.id), {})
                people = by_key.get(tallies.ANSWERED, 0)
                choices = [
                    ChoiceResult(key, label, by_key.get(key, 0), _percent(by_key.get(key, 0), people))
                    for key, label in _choice_labels(question)
                ]
                questions.append(
                    {
                        "label": question.label,
                        "too_few": people < SMALL_CELL,
                        "rows": [] if people < SMALL_CELL else chart_rows(choices, hide_small=True),
                    }
                )
        results.append(
            {
                "page": page,
                "responses": shown_total(total),
                "too_few": total < SMALL_CELL,
                "questions": questions,
            }
        )
    return results


def _base(report: Report) -> dict:
    return {
        "report": report,
        "kind": report.kind,
        "generated_at": timezone.now(),
        "today": timezone.localdate(),
    }


# --- The three kinds --------------------------------------------------------------------------


def district_report_context(report: Report) -> dict:
    """For a district's LCSP meeting: consultations that reached it and their results there, what its
    forum raised and what was decided, decisions due, the plan's actions there (county-wide ones
    marked) and its reach."""
    from surveys.models import ConsultationPage, Response
    from surveys.translations import english_pages

    district = report.district
    start, end = _bounds(report)
    today = timezone.localdate()
    reached = (
        Q(districts=district)
        | Q(districts__isnull=True)
        | Exists(Response.objects.filter(consultation=OuterRef("pk"), district=district))
    )
    consultations = list(
        english_pages(ConsultationPage.objects.live())
        .filter(pk__in=ConsultationPage.objects.filter(reached).values("pk"))
        .filter(opens_at__lt=end, closes_at__gte=start)
        .order_by("opens_at", "pk")
    )
    in_period = Q(event__start__gte=start, event__start__lt=end) | Q(
        event__isnull=True, created_at__gte=start, created_at__lt=end
    )
    ours = Q(event__district=district) | Q(districts=district)
    items = _items(
        FeedbackItem.objects.filter(pk__in=FeedbackItem.objects.filter(ours & in_period).values("pk"))
    )
    district_decisions = Decision.objects.filter(
        Q(feedback_items__event__district=district) | Q(feedback_items__districts=district)
    ).values_list("pk", flat=True)
    here = Action.objects.filter(Q(districts=district) | Q(districts__isnull=True)).values("pk")
    local_ids = set(Action.objects.filter(districts=district).values_list("pk", flat=True))
    return {
        **_base(report),
        "title": f"{district.name} district report",
        "consultations": _district_results(consultations, district),
        "items": items,
        "decisions_due": _decisions_due(set(district_decisions), report, today),
        "actions": _action_rows(Action.objects.filter(pk__in=here), local_ids),
        "reach": _reach(district=district, since=report.period_start, until=report.period_end),
    }


def theme_report_context(report: Report) -> dict:
    """One theme: its items in the period and their decisions, the consultations they came from and
    the actions linked to those items or decisions."""
    from surveys.models import ConsultationPage
    from surveys.small_numbers import shown_total

    theme = report.theme
    start, end = _bounds(report)
    today = timezone.localdate()
    in_period = (
        Q(event__start__gte=start, event__start__lt=end)
        | Q(consultation__closes_at__gte=start, consultation__closes_at__lt=end)
        | Q(created_at__gte=start, created_at__lt=end)
    )
    items = _items(FeedbackItem.objects.filter(in_period, theme=theme))
    item_ids = [item.pk for item in items]
    decision_ids = {decision.pk for item in items for decision in item.live_decisions}
    consultations = list(
        ConsultationPage.objects.filter(
            pk__in={item.consultation_id for item in items if item.consultation_id}
        )
        .annotate(response_total=Count("responses"))
        .order_by("opens_at", "pk")
    )
    for page in consultations:
        page.responses_shown = shown_total(page.response_total)
    linked = Action.objects.filter(Q(feedback_items__in=item_ids) | Q(decisions__in=decision_ids)).values(
        "pk"
    )
    return {
        **_base(report),
        "title": f"Theme report: {theme.name}",
        "items": items,
        "consultations": consultations,
        "decisions_due": _decisions_due(decision_ids, report, today),
        "actions": _action_rows(Action.objects.filter(pk__in=linked)) if item_ids else [],
    }


def board_report_context(report: Report) -> dict:
    """The county's quarterly board report: the plan by priority with RAG counts, exceptions (red and
    amber with their reasons), actions overdue for a report, 'You said, we did' since the last board
    report, overdue decisions and reach against benchmarks."""
    today = timezone.localdate()
    start, end = _bounds(report)
    previous = (
        Report.objects.filter(
            kind=ReportKind.BOARD, status=ReportStatus.READY, period_end__lt=report.period_end
        )
        .exclude(pk=report.pk)
        .order_by("-period_end", "-pk")
        .values_list("period_end", flat=True)
        .first()
    )
    if previous is not None:
        since = datetime.combine(
            previous + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )
    else:
        since = start
    summaries = priority_summaries()
    statuses = [status for summary in summaries for status in summary.actions]
    decisions = list(
        Decision.objects.filter(live=True)
        .filter(
            Q(last_published_at__gte=since, last_published_at__lt=end)
            | Q(updates__date__gte=since.date(), updates__date__lt=end.date())
        )
        .distinct()
        .prefetch_related(
            Prefetch("feedback_items", queryset=FeedbackItem.objects.filter(live=True).order_by("pk")),
            "updates",
        )
        .order_by("-last_published_at", "-pk")
    )
    return {
        **_base(report),
        "title": "Board report",
        "summaries": summaries,
        "rag_columns": [*RagStatus, "not_reported"],
        "exceptions": [s for s in statuses if s.status in (RagStatus.RED, RagStatus.AMBER)],
        "overdue_reports": [s for s in statuses if s.report_overdue],
        "since": since.date(),
        "since_last_report": previous is not None,
        "decisions": decisions,
        "overdue_decisions": list(overdue_decisions(today)),
        "reach": _reach(since=report.period_start, until=report.period_end),
    }


def report_context(report: Report) -> dict:
    builders = {
        ReportKind.BOARD: board_report_context,
        ReportKind.DISTRICT: district_report_context,
        ReportKind.THEME: theme_report_context,
    }
    return builders[ReportKind(report.kind)](report)


def report_html(report: Report, *, for_pdf: bool, request=None, extra: dict | None = None) -> str:
    context = report_context(report)
    context.update({"for_pdf": for_pdf, **(extra or {})})
    return render_to_string(TEMPLATE, context, request=request)
