"""Open data: what the public API (feedback_loop/api.py) and the CSV downloads (open_data_views.py)
publish of the public log, the action plan and published consultation results.

One record builder per dataset turns a model object into a plain dict (field names are the API's and
the CSV's columns, and never change meaning). Only what the public pages already show is published:
published decisions that answer a public item, published items on public pages, approved quotes not
held for safeguarding review, the action plan and its progress reports without who wrote them, and the
choice counts of consultations whose results are published, small numbers hidden as on the results
page. Never: names, contact details, what parents wrote in their own words, exact small counts.

Every queryset reads a fixed number of queries per page of records however many records there are."""

import copy
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from parentvoice.models import District
from surveys import services as surveys
from surveys import tallies
from surveys.about_you import about_you_questions
from surveys.models import ConsultationPage
from surveys.results import ChoiceResult, _choice_labels, _percent, chart_rows
from surveys.small_numbers import FEWER_THAN, SMALL_CELL
from surveys.translations import english_pages

from ..choices import AWAITING, NOT_REPORTED, RAG_NEEDS_COMMENTARY, DecisionStatus, RagStatus
from ..models import Action, Decision, DecisionUpdate, FeedbackItem, ProgressReport, Theme
from .action_plan import PrioritySummary, priority_summaries, report_due_on, status_label
from .public_log import filter_items, log_page, public_decisions, public_items

__all__ = [
    "Filters",
    "action_record",
    "actions_for_open_data",
    "consultation_results",
    "decision_record",
    "decisions_for_open_data",
    "item_record",
    "items_for_open_data",
    "priorities_for_open_data",
    "priority_record",
    "result_records",
    "results_for_open_data",
]


# --- Filters ------------------------------------------------------------------------------------


@dataclass
class Filters:
    """Filters taken from a query string, checked: an unknown value is a ValidationError saying
    which values there are (the API answers 400 with it)."""

    status: str = ""
    theme: Theme | None = None
    district: District | None = None
    priority: int | None = None


def _one(model, slug: str, name: str):
    found = model.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(model.objects.order_by("slug").values_list("slug", flat=True))
        raise ValidationError(f"There is no {name} '{slug}'. Use one of: {known}.")
    return found


def parse_filters(params: dict, *, statuses: list[str]) -> Filters:
    """Filters from `params` (name -> value, already limited to the names a list takes)."""
    filters = Filters()
    status = params.get("status", "")
    if status:
        if status not in statuses:
            raise ValidationError(f"There is no status '{status}'. Use one of: {', '.join(statuses)}.")
        filters.status = status
    if params.get("theme"):
        filters.theme = _one(Theme, params["theme"], "theme")
    if params.get("district"):
        filters.district = _one(District, params["district"], "district")
    if params.get("priority"):
        value = params["priority"]
        if not (value.isascii() and value.isdecimal() and len(value) < 4):
            raise ValidationError(f"'priority' must be a priority's number, like 1, not '{value}'.")
        filters.priority = int(value)
    return filters


# --- Decisions ----------------------------------------------------------------------------------


def decisions_for_open_data(filters: Filters | None = None) -> QuerySet:
    """Published decisions answering at least one public item (as on the log), each carrying only its
    public items' ids, its updates and its actions."""
    filters = filters or Filters()
    items = public_items()
    decisions = public_decisions(with_items=False)
    if filters.theme or filters.district:
        chosen = filter_items(items, theme=filters.theme, district=filters.district)
        decisions = decisions.filter(feedback_items__in=chosen.values("pk"))
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    return decisions.order_by("-decided_on", "-pk").prefetch_related(
        Prefetch(
            "feedback_items",
            queryset=FeedbackItem.objects.filter(pk__in=items.values("pk")).only("pk").order_by("pk"),
            to_attr="public_items",
        ),
        Prefetch("updates", queryset=DecisionUpdate.objects.order_by("-date", "sort_order")),
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("priority").order_by("priority__number", "number"),
        ),
    )


def decision_overdue(decision: Decision, today: date) -> bool:
    """As on the dashboard: agreed (or partly agreed), due date passed, not done."""
    return (
        decision.status in (DecisionStatus.AGREED, DecisionStatus.PARTLY_AGREED)
        and decision.due_on is not None
        and decision.due_on < today
    )


def decision_record(decision: Decision, *, log=None, request=None, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": decision.pk,
        "summary": decision.summary,
        "status": {"key": decision.status, "label": decision.get_status_display()},
        "reason": decision.reason,
        "deciding_body": decision.deciding_body,
        "owner": decision.owner,
        "decided_on": decision.decided_on,
        "due_on": decision.due_on,
        "overdue": decision_overdue(decision, today),
        "updates": [{"date": update.date, "text": update.text} for update in decision.updates.all()],
        "feedback_item_ids": [item.pk for item in decision.public_items],
        "actions": [action.reference for action in decision.actions.all()],
        "url": _absolute(request, log.decision_url(decision.pk, request=request)) if log else None,
    }


# --- 'You said' items ---------------------------------------------------------------------------


def items_for_open_data(filters: Filters | None = None) -> QuerySet:
    """Published items on public pages (as on the log), with approved quotes not held for review."""
    filters = filters or Filters()
    items = filter_items(
        public_items(), theme=filters.theme, district=filters.district, status=filters.status
    )
    return items.prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("priority").order_by("priority__number", "number"),
        )
    )


def item_record(item: FeedbackItem) -> dict:
    if item.consultation_id:
        source = {"kind": "consultation", "title": item.source_title, "consultation_id": item.consultation_id}
    elif item.event_id:
        source = {"kind": "forum", "title": item.source_title, "consultation_id": None}
    else:  # made from 'Tell us' entries
        source = {"kind": "told_us", "title": item.source_title, "consultation_id": None}
    return {
        "id": item.pk,
        "summary": item.summary,
        "theme": {"slug": item.theme.slug, "name": item.theme.name},
        "districts": [district.name for district in item.districts.all()],
        "people_rounded": item.people_rounded,
        "source": source,
        "quotes": [quote.text for quote in item.quotes.all()],
        "decision_ids": [decision.pk for decision in item.live_decisions],
        "actions": [action.reference for action in item.actions.all()],
    }


# --- The action plan ----------------------------------------------------------------------------


def plan_is_published() -> bool:
    """The plan is open data only while its 'How we are doing' page is published for everyone: an
    officer still drafting the plan, or keeping it to signed-in staff, publishes nothing here either."""
    from ..models import ProgressPage

    return ProgressPage.objects.live().public().exists()


def priorities_for_open_data() -> list[PrioritySummary]:
    return priority_summaries() if plan_is_published() else []


def priority_record(summary: PrioritySummary) -> dict:
    priority = summary.priority
    return {
        "number": priority.number,
        "title": priority.title,
        "lead_job_title": priority.lead_job_title,
        "outcomes": priority.outcome_lines,
        "indicators": priority.indicator_lines,
        "actions": [status.action.reference for status in summary.actions],
        "action_count": summary.total,
        "status_counts": dict(sorted(summary.counts.items())),
        "percent_complete": summary.percent_complete,
    }


def actions_for_open_data(filters: Filters | None = None) -> QuerySet:
    """Every action with its status (latest report), its reports, districts and public decisions."""
    from .action_plan import actions_with_status

    filters = filters or Filters()
    actions = Action.objects.select_related("priority")
    if not plan_is_published():
        actions = actions.none()
    if filters.priority is not None:
        actions = actions.filter(priority__number=filters.priority)
    if filters.district is not None:
        actions = actions.filter(Q(districts=filters.district) | Q(districts__isnull=True)).distinct()
    actions = actions_with_status(actions)
    if filters.status == NOT_REPORTED:
        actions = actions.filter(latest_status__isnull=True)
    elif filters.status:
        actions = actions.filter(latest_status=filters.status)
    return actions.order_by("priority__number", "number", "pk").prefetch_related(
        "districts",
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.order_by("-reported_on", "-pk").only(
                "pk", "action_id", "reported_on", "status", "commentary"
            ),
        ),
        Prefetch(
            "decisions",
            queryset=public_decisions(with_items=False).order_by("pk").only("pk"),
            to_attr="public_decisions",
        ),
    )


def action_record(action: Action, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    status = action.latest_status
    due = report_due_on(action)
    return {
        "reference": action.reference,
        "priority": action.priority.number,
        "number": action.number,
        "text": action.text,
        "lead_job_title": action.lead_job_title,
        "partners": action.partners,
        "districts": [district.name for district in action.districts.all()],
        "starts_on": action.starts_on,
        "due_on": action.due_on,
        "status": {"key": status, "label": status_label(status)},
        "reported_on": action.latest_reported_on,
        # The reason published beside a red or amber status.
        "commentary": (action.latest_commentary or "") if status in RAG_NEEDS_COMMENTARY else "",
        "next_report_due": due,
        "report_overdue": due is not None and due < today,
        "reports": [
            {
                "reported_on": report.reported_on,
                "status": {"key": report.status, "label": report.get_status_display()},
                "commentary": report.commentary,
            }
            for report in action.reports.all()
        ],
        "decision_ids": [decision.pk for decision in action.public_decisions],
    }


ACTION_STATUSES = [*RagStatus.values, NOT_REPORTED]
DECISION_STATUSES = [*DecisionStatus.values]
ITEM_STATUSES = [*DecisionStatus.values, AWAITING]


# --- Published consultation results ------------------------------------------------------------


def results_for_open_data() -> QuerySet:
    """Live consultations nobody has restricted, whose results the officers have published: each
    once, as its English page (a translation's answers are counted there)."""
    return (
        english_pages(ConsultationPage.objects.live().public())
        .filter(results_published=True)
        .order_by("-closes_at", "-pk")
        .prefetch_related("districts")
    )


def _schema(page: ConsultationPage, districts: list) -> list:
    """`surveys.services.schema_for(page)`, with the district list read once for every page (it
    reads it for each page): the cached questions, then the 'About you' ones."""
    if not page.ask_about_you:
        return surveys.schema_for(page)
    bare = copy.copy(page)
    bare.ask_about_you = False  # a copy: the page itself is untouched
    return [*surveys.schema_for(bare), *about_you_questions(districts, equality=page.ask_equality)]


def consultation_results(pages: list[ConsultationPage]) -> dict[int, dict]:
    """{page id: what `surveys.results.public_results(page)` gives for it} for many pages, from one
    query of the results' tallies however many pages, questions and answers: the total (None under 5) and, for each
    choice question, how many answered and each choice's chart row (count None when hidden)."""
    ids = [page.pk for page in pages]
    if not ids:
        return {}
    districts = surveys.district_choices()
    schemas = {page.pk: [q for q in _schema(page, districts) if q.is_choice] for page in pages}
    table = tallies.read(ids)
    results = {}
    for page in pages:
        questions = []
        for question in schemas[page.pk]:
            by_key = table.get((page.pk, question.id), {})
            answered = by_key.get(tallies.ANSWERED, 0)
            choices = [
                ChoiceResult(key, label, by_key.get(key, 0), _percent(by_key.get(key, 0), answered))
                for key, label in _choice_labels(question)
            ]
            too_few = answered < SMALL_CELL
            questions.append(
                {
                    "question": question,
                    "answered": answered,
                    "too_few": too_few,
                    "chart_rows": chart_rows(choices, hide_small=True),
                    "choices": choices,
                }
            )
        total = table.get((page.pk, ""), {}).get("", 0)
        results[page.pk] = {"total": total if total >= SMALL_CELL else None, "questions": questions}
    return results


def _choice_record(choice: ChoiceResult, row: dict, *, too_few: bool) -> dict:
    shown = not too_few and row["value"] is not None
    return {
        "key": choice.key,
        "label": choice.label,
        "count": choice.count if shown else None,
        "percent": choice.percent if shown else None,
        # Why a count is left out: "fewer than 5", "not shown" (it would give a hidden one away), or
        # "fewer than 5 answered" (the whole question).
        "hidden": None if shown else ("fewer than 5 answered" if too_few else row["display"]),
    }


def result_records(pages: list[ConsultationPage], request=None) -> list[dict]:
    """The `results` records of `pages` (in four queries, plus the pages' URLs)."""
    results = consultation_results(pages)
    records = []
    for page in pages:
        result = results[page.pk]
        url = _absolute(request, page.get_url(request=request))
        records.append(
            {
                "id": page.pk,
                "title": page.title,
                "summary": page.summary,
                "url": url,
                "results_url": url + page.reverse_subpage("results") if url else None,
                "opens_at": page.opens_at,
                "closes_at": page.closes_at,
                "districts": [district.name for district in page.districts.all()],
                "responses": result["total"],
                "responses_hidden": None if result["total"] is not None else FEWER_THAN,
                "questions": [
                    {
                        "id": item["question"].id,
                        "text": item["question"].label,
                        "type": str(item["question"].type),
                        "answered": None if item["too_few"] else item["answered"],
                        "choices": [
                            _choice_record(choice, row, too_few=item["too_few"])
                            for choice, row in zip(item["choices"], item["chart_rows"], strict=True)
                        ],
                    }
                    for item in result["questions"]
                ],
            }
        )
    return records


# --- Helpers ------------------------------------------------------------------------------------


def _absolute(request, path: str | None) -> str | None:
    if path is None:
        return None
    return request.build_absolute_uri(path) if request is not None and path.startswith("/") else path


def open_data_log_page():
    """The public log page decisions link to, or None when there is none."""
    return log_page()
