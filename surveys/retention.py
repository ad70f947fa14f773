"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md).

Text conversations, and the texts received in them, are deleted once their last activity is older
than RETAIN_SMS_MAX_DAYS. feedback_loop deletes them sooner, once a consultation is closed with
feedback, and unlinks responses from contacts, through `forget_sms_conversations` and
`unlink_responses` (the answers, and so every result, stay)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from messaging.models import InboundMessage
from messaging.retention import register_contact_keeper
from parentvoice.privacy.registry import register_retention_rule
from parentvoice.privacy.services.retention import days_ago, delete, in_chunks, in_words
from parentvoice.safeguarding.services import open_case_ids

from . import resume
from .models import Answer, Response, SmsConversation


def _forget(conversations: QuerySet) -> None:
    # Deleting a text received deletes its turn; the response the conversation made is kept.
    InboundMessage.objects.filter(sms_turn__conversation__in=conversations).exclude(
        pk__in=open_case_ids("messaging.inbound")
    ).delete()
    conversations.delete()


def _responses_open_cases_need() -> QuerySet:
    """Responses with an answer under an open safeguarding case: the lead may still need the number
    it was texted from (its conversation) or the contact it names. Use as a subquery."""
    return Answer.objects.filter(pk__in=open_case_ids("surveys.answer")).values("response_id")


def forget_conversations(conversations: QuerySet, dry_run: bool) -> int:
    """Delete these text conversations and the texts received in them. Returns conversations deleted."""
    conversations = conversations.exclude(response_id__in=_responses_open_cases_need())
    return in_chunks(conversations, _forget, dry_run=dry_run)


def forget_sms_conversations(consultation_ids: Iterable[int] | QuerySet, dry_run: bool) -> int:
    return forget_conversations(SmsConversation.objects.filter(consultation_id__in=consultation_ids), dry_run)


def unlink_responses(consultation_ids: Iterable[int] | QuerySet, dry_run: bool) -> int:
    """These consultations' responses no longer say who answered: no contact and no invitation key
    (a linked key names the contact). Answers, channel, district and role stay."""
    responses = (
        Response.objects.filter(consultation_id__in=consultation_ids)
        .filter(Q(contact__isnull=False) | Q(invitation_key__isnull=False))
        .exclude(pk__in=_responses_open_cases_need())
    )
    return in_chunks(responses, lambda rows: rows.update(contact=None, invitation_key=None), dry_run=dry_run)


def forget_old_conversations(now: datetime, dry_run: bool) -> int:
    cutoff = days_ago(now, settings.RETAIN_SMS_MAX_DAYS)
    return forget_conversations(SmsConversation.objects.filter(updated_at__lt=cutoff), dry_run)


register_retention_rule(
    "surveys.sms_conversations",
    label="Consultation answers by text: the conversation and texts received deleted",
    period=lambda: in_words(settings.RETAIN_SMS_MAX_DAYS, "the last text"),
    apply=forget_old_conversations,
)


def _respondents(cutoff: datetime) -> QuerySet:
    """Contacts to keep: anyone who answered a consultation, or texted an answer, since the cutoff."""
    return Response.objects.filter(
        Q(started_at__gte=cutoff) | Q(completed_at__gte=cutoff), contact__isnull=False
    ).values("contact_id")


def _texters(cutoff: datetime) -> QuerySet:
    return SmsConversation.objects.filter(updated_at__gte=cutoff, contact__isnull=False).values("contact_id")


register_contact_keeper("surveys.respondents", _respondents)
register_contact_keeper("surveys.texters", _texters)


def delete_finished_resume_links(now: datetime, dry_run: bool) -> int:
    return in_chunks(resume.finished_links(now), delete, dry_run=dry_run)


register_retention_rule(
    "surveys.resume_links",
    label="'Save and come back later' links and the answers saved with them: deleted",
    period=lambda: in_words(1, "the link is used or the consultation closes"),
    apply=delete_finished_resume_links,
)
