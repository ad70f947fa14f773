"""Closing a consultation with feedback once every published item has a published decision, and
reopening it."""

from django.db import transaction
from wagtail.log_actions import log

from ..models import FeedbackClosure, FeedbackItem
from .items import items_without_decision


class FeedbackError(Exception):
    pass


def closure_problem(consultation):
    if not consultation.has_closed:
        return "The consultation has not closed yet."
    items = FeedbackItem.objects.filter(consultation=consultation, live=True)
    if not items.exists():
        return "Add and publish the 'You said' items first: there are none yet."
    waiting = items_without_decision(items).count()
    if waiting:
        return f"{waiting} 'You said' item{'s' if waiting != 1 else ''} still need{'s' if waiting == 1 else ''} a published decision."
    return None


@transaction.atomic
def close_with_feedback(consultation, user=None):
    if FeedbackClosure.objects.filter(consultation=consultation).exists():
        raise FeedbackError("This consultation is already closed with feedback.")
    problem = closure_problem(consultation)
    if problem:
        raise FeedbackError(problem)
    closure = FeedbackClosure.objects.create(consultation=consultation, closed_by=user)
    log(consultation, "feedback.closed", user=user)
    return closure


@transaction.atomic
def reopen_feedback(consultation, user=None):
    deleted, _ = FeedbackClosure.objects.filter(consultation=consultation).delete()
    if deleted:
        log(consultation, "feedback.reopened", user=user)
    return bool(deleted)
