"""The open data page (/open-data/) and its CSV downloads: the same records as the API
(feedback_loop/api.py, built in services/open_data.py), streamed row by row with constant memory,
every text cell made safe for spreadsheets (a cell starting with = + - @ is never run as a formula)."""

import csv
from collections.abc import Iterator
from datetime import date, datetime
from itertools import islice

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from parentvoice import ratelimit
from surveys.exports import safe_cell

from .api import CACHE_SECONDS, RATE_LIMIT_ACTION
from .services import open_data

CHUNK = 200  # records read (and prefetched) at a time


class _Echo:
    """csv.writer writes each row into this and the response streams what it returns."""

    def write(self, value):
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return safe_cell(str(value))


def _decision_rows() -> Iterator[list]:
    yield [
        "id", "summary", "status", "status_label", "reason", "deciding_body", "owner", "decided_on",
        "due_on", "overdue", "latest_update_date", "latest_update", "feedback_item_ids", "actions", "url",
    ]  # fmt: skip
    log = open_data.open_data_log_page()
    for decision in open_data.decisions_for_open_data().iterator(chunk_size=CHUNK):
        r = open_data.decision_record(decision, log=log)
        latest = r["updates"][0] if r["updates"] else {"date": None, "text": ""}
        yield [
            r["id"], r["summary"], r["status"]["key"], r["status"]["label"], r["reason"], r["deciding_body"],
            r["owner"], r["decided_on"], r["due_on"], r["overdue"], latest["date"], latest["text"],
            r["feedback_item_ids"], r["actions"], r["url"],
        ]  # fmt: skip


def _item_rows() -> Iterator[list]:
    yield [
        "id", "summary", "theme", "districts", "people_rounded", "source_kind", "source_title",
        "consultation_id", "quotes", "decision_ids", "actions",
    ]  # fmt: skip
    for item in open_data.items_for_open_data().iterator(chunk_size=CHUNK):
        r = open_data.item_record(item)
        yield [
            r["id"], r["summary"], r["theme"]["name"], r["districts"], r["people_rounded"], r["source"]["kind"],
            r["source"]["title"], r["source"]["consultation_id"], " | ".join(r["quotes"]), r["decision_ids"],
            r["actions"],
        ]  # fmt: skip


def _action_rows() -> Iterator[list]:
    yield [
        "reference", "priority", "priority_title", "text", "lead_job_title", "partners", "districts",
        "starts_on", "due_on", "status", "status_label", "reported_on", "commentary", "next_report_due",
        "report_overdue", "decision_ids",
    ]  # fmt: skip
    titles = {
        summary.priority.number: summary.priority.title for summary in open_data.priorities_for_open_data()
    }
    for action in open_data.actions_for_open_data().iterator(chunk_size=CHUNK):
        r = open_data.action_record(action)
        yield [
            r["reference"], r["priority"], titles.get(r["priority"], ""), r["text"], r["lead_job_title"],
            r["partners"], r["districts"], r["starts_on"], r["due_on"], r["status"]["key"],
            r["status"]["label"], r["reported_on"], r["commentary"], r["next_report_due"], r["report_overdue"],
            r["decision_ids"],
        ]  # fmt: skip


def _result_rows(request) -> Iterator[list]:
    yield [
        "consultation_id", "consultation", "closes_at", "responses", "question_id", "question", "answered",
        "choice_key", "choice", "count", "percent", "hidden",
    ]  # fmt: skip
    pages = open_data.results_for_open_data().iterator(chunk_size=CHUNK)
    while chunk := list(islice(pages, 50)):
        for r in open_data.result_records(chunk, request=request):
            responses = r["responses"] if r["responses"] is not None else r["responses_hidden"]
            for question in r["questions"]:
                for choice in question["choices"]:
                    yield [
                        r["id"], r["title"], r["closes_at"], responses, question["id"], question["text"],
                        question["answered"], choice["key"], choice["label"], choice["count"], choice["percent"],
                        choice["hidden"],
                    ]  # fmt: skip


DATASETS = {
    "decisions": {
        "title": "Decisions ('We did')",
        "api": "open_data_api_decisions",
        "rows": lambda request: _decision_rows(),
        "description": "Every published decision about what parents said: what was decided, its status, "
        "why, who decided, when it is due and what has happened since.",
        "fields": [
            ("status", "under_consideration, agreed, partly_agreed, not_agreed or done, with its label"),
            ("reason", "why, for a decision not agreed or partly agreed"),
            ("owner", "the job title or team that carries it out"),
            ("overdue", "true when agreed, past its due date and not done"),
            ("updates", "dated progress updates (in the CSV, the latest one)"),
            ("feedback_item_ids", "the 'You said' items it answers"),
            ("actions", "the action plan actions it serves, like 1.2"),
        ],
        "filters": "status, theme, district",
    },
    "feedback-items": {
        "title": "What parents said ('You said')",
        "api": "open_data_api_feedback_items",
        "rows": lambda request: _item_rows(),
        "description": "Every published summary of what parents told us in a consultation or at a forum.",
        "fields": [
            ("people_rounded", "how many people said it, to the nearest 5; empty when fewer than 5"),
            ("source", "the consultation or forum where parents said it"),
            ("quotes", "parents' words, only where an officer checked they identify nobody"),
            ("decision_ids", "the decisions made about it"),
        ],
        "filters": "status (a decision status, or awaiting), theme, district",
    },
    "actions": {
        "title": "The action plan: actions and their progress",
        "api": "open_data_api_actions",
        "rows": lambda request: _action_rows(),
        "description": "Every action in the parenting strategy's action plan with where it stands: red "
        "(off track), amber (at risk), green (on track) or complete, from its latest progress report.",
        "fields": [
            ("reference", "the priority and action number, like 1.2"),
            ("status", "red, amber, green, complete or not_reported, with its label"),
            ("commentary", "for red and amber: what is wrong and what is being done"),
            ("reports", "every dated progress report (API only)"),
            ("next_report_due", "when the next progress report is due"),
        ],
        "filters": "status, priority, district",
    },
    "results": {
        "title": "Consultation results",
        "api": "open_data_api_results",
        "rows": _result_rows,
        "description": "The answers to each multiple-choice question of every consultation whose results "
        "are published: one CSV row per consultation, question and answer.",
        "fields": [
            ("count", "how many chose it; empty when hidden"),
            (
                "hidden",
                "why a count is left out: 'fewer than 5', or 'not shown' where it would let "
                "someone work out a hidden one",
            ),  # fmt: skip
            ("responses", "how many people answered the consultation, or 'fewer than 5'"),
        ],
        "filters": "none",
    },
}


@require_GET
def csv_download(request, dataset):
    spec = DATASETS.get(dataset)
    if spec is None:
        raise Http404("No such dataset")
    if not ratelimit.consume(request, (RATE_LIMIT_ACTION, [])):
        return ratelimit.too_many_attempts(request, RATE_LIMIT_ACTION)
    writer = csv.writer(_Echo())
    rows = (writer.writerow([_cell(value) for value in row]) for row in spec["rows"](request))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset}.csv"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_GET
def open_data_page(request):
    datasets = [
        {
            **{key: value for key, value in spec.items() if key != "rows"},
            "slug": slug,
            "json_url": reverse(spec["api"]),
            "csv_url": reverse("open_data_csv", args=[slug]),
        }
        for slug, spec in DATASETS.items()
    ]
    datasets.insert(
        3,
        {
            "slug": "priorities",
            "title": "The action plan: priorities",
            "description": "The plan's priorities: their outcomes, national indicators, actions and how "
            "many actions are at each status.",
            "fields": [("status_counts", "how many of its actions are at each status")],
            "filters": "none",
            "json_url": reverse("open_data_api_priorities"),
            "csv_url": None,
        },
    )
    return render(request, "feedback_loop/open_data.html", {"datasets": datasets})
