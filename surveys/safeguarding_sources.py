"""This app's free text, registered with parentvoice.safeguarding (see its registry).

"surveys.answer" is an Answer with words in it: a free-text answer, or the "Other, please say" of a
choice question, sent on the web, on paper or by text. A text message's words live on its
InboundMessage ("messaging.inbound") while the conversation runs; when the conversation completes
and its answers are saved, `hand_over_sms_cases` makes a case holding such a text hold the answer too.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from parentvoice.safeguarding.registry import SourceDetails, SourceText, register_copies, register_source
from parentvoice.safeguarding.services import held_ids, transfer_case

from .choices import Anonymity, ResponseChannel, TurnOutcome
from .models import Answer, Response, SmsConversation, SmsTurn

KIND = "surveys.answer"
INBOUND_KIND = "messaging.inbound"
_HOW = {ResponseChannel.WEB: "on the web", ResponseChannel.SMS: "by text", ResponseChannel.PAPER: "on paper"}
# The turns whose words became an answer.
_ANSWERING_TURNS = (TurnOutcome.ANSWERED, TurnOutcome.JOINED, TurnOutcome.COMPLETED)


def _question_label(answer: Answer) -> str:
    from .services import schema_for

    question = next((q for q in schema_for(answer.consultation) if q.id == answer.question_id), None)
    return question.label if question is not None else "a question no longer asked"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label_for(answer: Answer) -> str:
    """'Answer on the web: Support for parents — 'What would help?'': no personal data."""
    how = _HOW.get(answer.channel, "")
    return f"Answer {how}: {_shorten(answer.consultation.title, 80)} — '{_shorten(_question_label(answer), 100)}'"


def _answer(source_id: int) -> Answer | None:
    return Answer.objects.select_related("consultation", "response").filter(pk=source_id).first()


def load(source_id: int) -> SourceText | None:
    answer = _answer(source_id)
    if answer is None:
        return None
    response = answer.response
    arrived = response.completed_at or response.started_at
    return SourceText(text=answer.text, arrived_at=arrived, label=label_for(answer))


def details(source_id: int) -> SourceDetails | None:
    answer = _answer(source_id)
    if answer is None:
        return None
    response = answer.response
    page = answer.consultation
    contact: list[tuple[str, str]] = []
    if response.channel == ResponseChannel.SMS:
        # The conversation keeps the number while it lives (never on an anonymous consultation).
        phone = SmsConversation.objects.filter(response=response).values_list("phone", flat=True).first()
        if phone:
            contact.append(("Mobile (texted from)", phone))
    elif page.anonymity != Anonymity.ANONYMOUS and response.contact_id is not None:
        person = response.contact
        if person.email:
            contact.append(("Email", person.email))
        if person.mobile:
            contact.append(("Mobile", person.mobile))
    if response.reference:
        contact.append(("Response reference", response.reference))
    return SourceDetails(
        label=label_for(answer),
        admin_url=reverse("surveys_free_text", args=[page.pk, answer.question_id]),
        contact=contact,
    )


def can_flag(user, source_id: int) -> bool:
    return bool(
        user.is_active
        and user.has_perm("surveys.view_response")
        and Answer.objects.filter(pk=source_id).exists()
    )


def hand_over_sms_cases(conversation, response: Response) -> None:
    """A text conversation has completed and its answers are saved: a case holding a text whose words
    became an answer holds that answer too (each text is screened now if its task has not run)."""
    answers = list(response.answers.exclude(text="").values_list("pk", "question_id"))
    if not answers:
        return
    turns = list(
        SmsTurn.objects.filter(
            conversation=conversation,
            question_id__in={question_id for _, question_id in answers},
            outcome__in=_ANSWERING_TURNS,
        )
        .order_by("-pk")
        .values_list("question_id", "inbound_id")
    )
    for answer_id, question_id in answers:
        for turn_question_id, inbound_id in turns:
            if turn_question_id == question_id:
                transfer_case(INBOUND_KIND, inbound_id, KIND, answer_id)


def held_inbound_ids(conversation) -> set[int]:
    """The texts of this conversation held for safeguarding review, for the officer's transcript."""
    inbound_ids = conversation.turns.values("inbound_id")
    return set(held_ids(INBOUND_KIND).filter(source_id__in=inbound_ids).values_list("source_id", flat=True))


def answers_from_text(inbound_id: int) -> list[tuple[str, int]]:
    """The saved answer a text received became, if its conversation is complete and linked: a case
    opened on the text later (flagged by hand from the transcript) holds the answer too."""
    turn = (
        SmsTurn.objects.filter(inbound_id=inbound_id, outcome__in=_ANSWERING_TURNS)
        .select_related("conversation")
        .first()
    )
    if turn is None or turn.conversation.response_id is None:
        return []
    answers = Answer.objects.filter(
        response_id=turn.conversation.response_id, question_id=turn.question_id
    ).exclude(text="")
    return [(KIND, pk) for pk in answers.values_list("pk", flat=True)]


def saved_since(since, until) -> Iterator[tuple[int, str]]:
    """Answers with words in them, in responses completed in that time (every web, text and paper
    response is completed as it is saved)."""
    answers = Answer.objects.filter(response__completed_at__gte=since, response__completed_at__lte=until)
    return answers.exclude(text="").values_list("pk", "text").iterator(chunk_size=2000)


register_source(KIND, load=load, details=details, can_flag=can_flag, saved_since=saved_since)
register_copies(INBOUND_KIND, answers_from_text)
