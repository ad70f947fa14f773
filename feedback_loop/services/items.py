"""'You said' items: what an item can rest on (a consultation's answers or a meeting's point), the rules
an item and its quotes must pass, and the items still waiting for a decision."""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, Q

from surveys import services as surveys
from surveys import tallies
from surveys.choices import QuestionType
from surveys.models import Answer

from ..models import Decision, FeedbackClosure, FeedbackItem

EVIDENCE_SEPARATOR = "|"
OWN_WORDS = "Answered in their own words"


def evidence_groups(consultation) -> list[tuple[str, list[tuple[str, str]]]]:
    """What an item can rest on, question by question: (question, [(key, answer label with the
    number of people who gave it)]). Each answer to a choice question, or having answered any other
    question in their own words."""
    if consultation is None:
        return []
    consultation = consultation.source_page  # a translation's answers are its English page's
    # A person gives each choice at most once, so the answers' tallies count people.
    counts = {
        (question_id, key): n
        for (_, question_id), by_key in tallies.read([consultation.pk]).items()
        for key, n in by_key.items()
        if question_id and not key.startswith("#")
    }
    groups = []
    for question in surveys.schema_for(consultation):
        if question.is_choice:
            labels = list(question.choices) + ([("other", "Other")] if question.other_option else [])
            options = [
                (f"{question.id}{EVIDENCE_SEPARATOR}{key}", f"{label} ({counts.get((question.id, key), 0)})")
                for key, label in labels
            ]
        elif question.type == QuestionType.FREE_TEXT:
            n = sum(v for (q, _), v in counts.items() if q == question.id)
            options = [(f"{question.id}{EVIDENCE_SEPARATOR}", f"{OWN_WORDS} ({n})")]
        else:
            continue
        groups.append((question.label, options))
    return groups


def evidence_options(consultation) -> list[tuple[str, str]]:
    """The same as `evidence_groups`, as one list, each label starting with its question."""
    return [
        (key, f"{question} – {label[:1].lower() if label.startswith(OWN_WORDS) else label[:1]}{label[1:]}")
        for question, options in evidence_groups(consultation)
        for key, label in options
    ]


def evidence_count(item):
    """The number of responses behind an item: people who gave any of the answers it rests on."""
    if not item.consultation_id or not item.evidence:
        return 0
    matches = Q()
    for entry in item.evidence:
        question_id, _, key = entry.partition(EVIDENCE_SEPARATOR)
        matches |= Q(question_id=question_id, choice_key=key) if key else Q(question_id=question_id)
    return (
        Answer.objects.filter(matches, consultation_id=item.consultation_id)
        .values("response_id")
        .distinct()
        .count()
    )


def point_options(event):
    """The points in a meeting's 'What parents said', as (block id, text)."""
    if event is None:
        return []
    return [(said.id, said.value["text"]) for said in event.parents_said]


def check_feedback_item(item):
    if item.consultation_id and item.consultation.is_translation:
        # One consultation in every language: an item rests on the English page's answers, and is
        # locked with it once it is closed with feedback.
        item.consultation = item.consultation.source_page
    errors = {}
    told_us = bool(item.pk) and item.open_feedback.exists()  # made from 'Tell us' entries
    if item.consultation_id and item.event_id or not (item.consultation_id or item.event_id or told_us):
        errors["consultation"] = (
            "Choose the consultation or the forum meeting where parents said this (not both)."
        )
    elif item.consultation_id:
        valid = {key for key, _ in evidence_options(item.consultation)}
        if not item.evidence:
            errors["evidence"] = "Choose at least one answer this rests on."
        elif set(item.evidence) - valid:
            errors["evidence"] = "Choose answers from this consultation's questions."
        # Only items already published there may still be edited: nothing new may join a closed one.
        published_there = FeedbackItem.objects.filter(
            pk=item.pk, consultation_id=item.consultation_id, live=True
        ).exists()
        if (
            not published_there
            and FeedbackClosure.objects.filter(consultation_id=item.consultation_id).exists()
        ):
            errors["consultation"] = (
                "This consultation is closed with feedback. Reopen it from its results page to add more."
            )
    elif item.event_id and item.point_id not in {key for key, _ in point_options(item.event)}:
        errors["point_id"] = "Choose the point from the meeting's 'What parents said'."
    # The editor checks each quote in its own form; this catches quotes set in code (imports, scripts).
    problems = [quote_problem(quote.text) for quote in item.quotes.all() if quote.approved]
    if any(problems):
        errors[NON_FIELD_ERRORS] = next(p for p in problems if p)
    if errors:
        raise ValidationError(errors)


EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_PATTERN = re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b")
POSTCODE_PATTERN = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def quote_problem(text):
    """Why a quote may not be approved for publishing, or None. A backstop: the officer's check is
    what protects people; this catches the details that are easiest to miss."""
    if EMAIL_PATTERN.search(text):
        return "Remove the email address before you approve this quote."
    if PHONE_PATTERN.search(text):
        return "Remove the phone number before you approve this quote."
    if POSTCODE_PATTERN.search(text):
        return "Remove the postcode before you approve this quote."
    return None


def items_without_decision(queryset=None):
    queryset = FeedbackItem.objects.all() if queryset is None else queryset
    return queryset.filter(live=True).exclude(
        Exists(Decision.objects.filter(live=True, feedback_items=OuterRef("pk")))
    )


def publishable_quotes():
    """Approved quotes, less any held for safeguarding review (flagged and not released): the only
    quotes the public log, the decision page, feeds and briefings show."""
    from parentvoice.safeguarding.services import held_ids

    from ..models import FeedbackQuote

    return FeedbackQuote.objects.filter(approved=True).exclude(pk__in=held_ids("feedback_loop.quote"))
