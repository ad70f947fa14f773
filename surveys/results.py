"""Consultation results, aggregated in SQL.

Invariant: Answer rows are written only for complete responses (the web flow and the SMS dialogue keep
work in progress elsewhere), so counting answers never needs a join to Response.

Small numbers: breakdowns and everything public follow the one rule in small_numbers.py (a count under
5 is hidden, and so is whatever would let someone work it out by subtraction); a breakdown row or column
with a hidden cell also shows no total.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef

from messaging.choices import ParentRole
from parentvoice.models import District
from parentvoice.safeguarding.services import held_ids

from . import services, tallies
from .choices import Disability, Ethnicity, QuestionType, ResponseChannel
from .models import Answer, Tally
from .questions import OTHER_KEY
from .small_numbers import FEWER_THAN, SMALL_CELL, hidden_cells, hidden_in_line, label
from .translations import english_name

DIMENSIONS = {
    "district": "District",
    "channel": "How they answered",
    "parent_role": "Parent role",
    "ethnicity": "Ethnic group",
    "disability": "Disability",
    "language": "Language",
}


@dataclass
class ChoiceResult:
    key: str
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: object
    answered: int = 0
    choices: list = field(default_factory=list)
    mean: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    text_answers: int = 0


def _choice_labels(question):
    labels = list(question.choices)
    if question.type == QuestionType.SCALE:
        labels = [
            (
                key,
                f"{key}"
                + (
                    f" – {question.low_label}"
                    if key == "1"
                    else f" – {question.high_label}"
                    if key == "5"
                    else ""
                ),
            )
            for key, _ in question.choices
        ]
    if question.other_option:
        labels.append((OTHER_KEY, "Other"))
    return labels


def _tally(page, *, questions=None, dimension="") -> dict:
    """{(question id, choice key, value): count} from the page's tallies (see tallies.py), with any
    responses waiting to be counted counted first."""
    rows = Tally.objects.filter(consultation=page, dimension=dimension)
    if questions is not None:
        rows = rows.filter(question_id__in=list(questions))
    return {
        (question_id, key, value): n
        for question_id, key, value, n in tallies.current(
            rows, [page.pk], ("question_id", "choice_key", "value", "count")
        )
    }


def _number_range(page, question_id):
    """The lowest and highest number given, each read off the end of an index."""
    numbers = Answer.objects.filter(consultation=page, question_id=question_id, number__isnull=False)
    return (
        numbers.order_by("number").values_list("number", flat=True).first(),
        numbers.order_by("-number").values_list("number", flat=True).first(),
    )


def question_results(page, *, wording=None):
    """Every question's counts from the running tallies: one query whatever the number of responses
    (and two index lookups per number question for the lowest and highest).

    `page` is the English page, which every language's answers are stored against; `wording` a
    translation of it whose questions (the same ids and keys) label the results."""
    schema = list(services.schema_for(wording or page))
    counts, answered, sums = {}, {}, {}
    for (question_id, key, _), n in _tally(page, questions=[q.id for q in schema]).items():
        if key == tallies.ANSWERED:
            answered[question_id] = n
        elif key == tallies.NUMBER_SUM:
            sums[question_id] = n
        else:
            counts.setdefault(question_id, {})[key] = n
    results = []
    for question in schema:
        by_key = counts.get(question.id, {})
        result = QuestionResult(question=question, answered=answered.get(question.id, 0))
        if question.is_choice:
            result.choices = [
                ChoiceResult(key, label, by_key.get(key, 0), _percent(by_key.get(key, 0), result.answered))
                for key, label in _choice_labels(question)
            ]
        if question.type == QuestionType.FREE_TEXT:
            result.text_answers = result.answered
        if question.type in (QuestionType.SCALE, QuestionType.NUMBER) and result.answered:
            result.mean = round(sums.get(question.id, 0) / result.answered, 1)
        if question.type == QuestionType.NUMBER and result.answered:
            result.minimum, result.maximum = _number_range(page, question.id)
        results.append(result)
    return results


def _percent(n, total):
    return round(100 * n / total, 1) if total else 0.0


def chart_row(choice, *, hidden=False):
    """A choice as a chart/table row: 'count (percent%)', or its label when hidden (no percentage)."""
    if hidden:
        return {"label": choice.label, "value": None, "display": label(choice.count, True)}
    return {"label": choice.label, "value": choice.count, "display": f"{choice.count} ({choice.percent:g}%)"}


def chart_rows(choices, *, hide_small):
    """A question's choices as chart rows; `hide_small` (public pages, briefings) applies the
    small-numbers rule to them as one list whose total is known."""
    hidden = hidden_in_line(c.count for c in choices) if hide_small else set()
    return [chart_row(choice, hidden=i in hidden) for i, choice in enumerate(choices)]


def response_counts(page):
    """Responses in all, by channel and by language (in English, the languages in settings order)."""
    by_channel, by_language, total = {}, {}, 0
    for dimension, value, n in tallies.current(
        Tally.objects.filter(consultation=page, question_id="", dimension__in=["", "channel", "language"]),
        [page.pk],
        ("dimension", "value", "count"),
    ):
        if dimension == "channel":
            by_channel[value] = n
        elif dimension == "language":
            if n:
                by_language[value] = n
        else:
            total = n
    codes = [code for code, _ in settings.LANGUAGES]
    ordered = sorted(by_language, key=lambda code: (codes.index(code) if code in codes else len(codes), code))
    return {
        "total": total,
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in ResponseChannel.choices],
        "by_language": [(english_name(code), by_language[code]) for code in ordered],
    }


def _dimension_labels(dimension):
    if dimension == "district":
        return dict(District.objects.values_list("pk", "name")) | {None: "Not known"}
    if dimension == "channel":
        return dict(ResponseChannel.choices)
    if dimension == "ethnicity":
        return dict(Ethnicity.choices) | {"": "Not known"}
    if dimension == "disability":
        return dict(Disability.choices) | {"": "Not known"}
    if dimension == "language":
        return {code: english_name(code) for code, _ in settings.LANGUAGES}
    return dict(ParentRole.choices) | {"": "Not known"}


def breakdowns(page, questions, dimension):
    """Choice x group tables for every choice question, from one GROUP BY query, with small cells
    hidden (see module docstring). Returns {question id: table}."""
    if dimension not in DIMENSIONS:
        return {}
    labels = _dimension_labels(dimension)
    choice_questions = [q for q in questions if q.is_choice]
    cells = {}
    for (question_id, key, value), n in _tally(
        page, questions=[q.id for q in choice_questions], dimension=dimension
    ).items():
        if n and key not in (tallies.ANSWERED, tallies.NUMBER_SUM):
            cells.setdefault(question_id, {})[(key, _group(dimension, value))] = n
    return {q.id: _breakdown_table(q, cells.get(q.id, {}), labels, dimension) for q in choice_questions}


def _group(dimension, value):
    """A tally's value as the dimension's own: a district's id (None when not known), else the text."""
    if dimension == "district":
        return int(value) if value else None
    return value


def breakdown(page, question, dimension):
    return breakdowns(page, [question], dimension).get(question.id)


def _breakdown_table(question, cells, labels, dimension):
    groups = sorted({group for _, group in cells}, key=lambda g: str(labels.get(g, g)))
    choices = _choice_labels(question)
    counts = [[cells.get((key, group), 0) for group in groups] for key, _ in choices]
    # Each answer's total is on the chart and each group's can be worked out, so both are assumed known.
    hidden = hidden_cells(counts)
    rows = []
    for r, (_, choice_label) in enumerate(choices):
        row_hidden = any((r, c) in hidden for c in range(len(groups)))
        total = sum(counts[r])
        rows.append(
            {
                "label": choice_label,
                "cells": [label(n, (r, c) in hidden) for c, n in enumerate(counts[r])],
                "total": None if row_hidden or 0 < total < SMALL_CELL else total,
            }
        )
    totals = []
    for c in range(len(groups)):
        column_hidden = any((r, c) in hidden for r in range(len(choices)))
        total = sum(row[c] for row in counts)
        totals.append(None if column_hidden or 0 < total < SMALL_CELL else total)
    return {
        "dimension": DIMENSIONS[dimension],
        "groups": [labels.get(g, g) for g in groups],
        "rows": rows,
        "totals": totals,
    }


def responses_over_time(page):
    """[(UK date, responses completed that day)], oldest first."""
    return sorted(
        (date.fromisoformat(value), n)
        for (_, _, value), n in _tally(page, questions=[""], dimension="day").items()
        if value and n
    )


def reach(page):
    """Responses per district beside the people invited to this consultation: every campaign with its
    personal links (any invitation, and its reminder), each person counted once however many
    messages they had."""
    from messaging.choices import FAILED_STATUSES, MessageStatus
    from messaging.models import Message

    invited = dict(
        Message.objects.filter(campaign__link_personaliser=f"consultation:{page.pk}")
        # A suppressed address's row is never sent; a failed or cancelled message never arrived.
        .exclude(status__in=[MessageStatus.SUPPRESSED, *FAILED_STATUSES])
        .values_list("contact__district_id")
        .annotate(n=Count("contact_id", distinct=True))
        .order_by()
    )
    responded = {
        _group("district", value): n
        for (_, _, value), n in _tally(page, questions=[""], dimension="district").items()
        if n
    }
    names = _dimension_labels("district")
    rows = []
    for district_id in sorted(set(invited) | set(responded), key=lambda d: str(names.get(d, ""))):
        sent, answers = invited.get(district_id, 0), responded.get(district_id, 0)
        rows.append(
            {
                "district": names.get(district_id, "Not known"),
                "invited": sent,
                "responses": answers,
                "rate": _percent(answers, sent) if sent else None,
            }
        )
    return rows


def free_text_answers(page, question_id, search="", page_number=1, per_page=50):
    answers = (
        Answer.objects.filter(consultation=page, question_id=question_id).exclude(text="").order_by("-id")
    )
    held = held_ids("surveys.answer")
    if search:
        # A held answer is never searched: a match would tell what it says.
        answers = answers.filter(text__icontains=search).exclude(pk__in=held)
    answers = answers.annotate(held=Exists(held.filter(source_id=OuterRef("pk"))))
    return Paginator(answers.only("id", "text", "channel"), per_page).get_page(page_number)


def public_results(page, *, wording=None):
    """What anyone may see once the summary is published: totals only, small numbers hidden, no free
    text. `page` and `wording` as for question_results."""
    questions = []
    for result in question_results(page, wording=wording):
        if not result.question.is_choice:
            continue
        too_few = result.answered < SMALL_CELL
        questions.append(
            {
                "question": result.question,
                "answered": result.answered,
                "too_few": too_few,
                "chart_rows": chart_rows(result.choices, hide_small=True),
            }
        )
    counts = response_counts(page)
    return {
        "public_questions": questions,
        "total_responses": counts["total"] if counts["total"] >= SMALL_CELL else FEWER_THAN,
    }
