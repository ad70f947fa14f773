"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Responses are found through the person's contact (web answers from their personal link, paper
responses keyed with their details) and through their text conversations. Erasure keeps every response
and answer, unlinked from the contact (anonymous answers: the consultation's results must not change),
deletes the text conversations (the responses they made stay) and replaces the person's address in any
answer's text by "[removed]"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from messaging.personal_data import contacts_for
from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import redact_field, rows, text_q
from parentvoice.safeguarding.personal_data import withhold_held

from .models import Answer, Response, ResumeLink, SmsConversation


def _conversations(subject: Subject) -> QuerySet:
    query = Q(contact__in=contacts_for(subject))
    if subject.mobile:
        query |= Q(phone=subject.mobile)
    return SmsConversation.objects.filter(query)


def _responses(subject: Subject) -> QuerySet:
    by_text = _conversations(subject).filter(response__isnull=False).values("response_id")
    return Response.objects.filter(Q(contact__in=contacts_for(subject)) | Q(pk__in=by_text))


def find_responses(subject: Subject) -> list[dict]:
    responses = _responses(subject) | Response.objects.filter(
        pk__in=Answer.objects.filter(text_q("text", subject)).values("response_id")
    )
    found = rows(
        responses.distinct().order_by("started_at", "id"),
        "id",
        "consultation__title",
        "channel",
        "status",
        "reference",
        "district__name",
        "parent_role",
        "child_age_bands",
        "ethnicity",
        "disability",
        "partner__name",
        "started_at",
        "completed_at",
    )
    answers = Answer.objects.filter(response_id__in=[row["id"] for row in found]).order_by("id")
    found_answers = rows(answers, "id", "response_id", "question_id", "choice_key", "text", "number")
    by_response: dict[int, list[dict]] = {}
    for row in withhold_held("surveys.answer", found_answers, "text"):
        by_response.setdefault(row.pop("response_id"), []).append(row)
    return [{**row, "answers": by_response.get(row["id"], [])} for row in found]


def erase_responses(subject: Subject) -> int:
    """Answers are kept, anonymously: unlinked from the contact, the address removed from their text."""
    unlinked = _responses(subject).filter(contact__isnull=False).update(contact=None)
    return unlinked + redact_field(Answer.objects.all(), "text", subject)


def find_conversations(subject: Subject) -> list[dict]:
    return rows(
        _conversations(subject).order_by("started_at", "id"),
        "consultation__title",
        "phone",
        "status",
        "answers",
        "started_at",
        "last_answered_at",
        "finished_at",
    )


def erase_conversations(subject: Subject) -> int:
    return _conversations(subject).delete()[1].get(SmsConversation._meta.label, 0)


register_personal_data(
    "surveys.responses",
    label="Your answers to consultations (kept without your name after erasure)",
    find=find_responses,
    erase=erase_responses,
    models=[Response, Answer],
)
register_personal_data(
    "surveys.sms_conversations",
    label="Consultations answered by text message",
    find=find_conversations,
    erase=erase_conversations,
    models=[SmsConversation],
)


def _resume_links(subject: Subject) -> QuerySet:
    # The address a link was sent to is never kept: only an invitation's contact (linked consultations).
    return ResumeLink.objects.filter(contact__in=contacts_for(subject))


def find_resume_links(subject: Subject) -> list[dict]:
    return rows(
        _resume_links(subject).order_by("created_at", "id"),
        "consultation__title",
        "answers",
        "position",
        "created_at",
        "expires_at",
        "used_at",
    )


def erase_resume_links(subject: Subject) -> int:
    return _resume_links(subject).delete()[1].get(ResumeLink._meta.label, 0)


register_personal_data(
    "surveys.resume_links",
    label="Answers you saved to finish later",
    find=find_resume_links,
    erase=erase_resume_links,
    models=[ResumeLink],
)
