"""'We did' decisions: the rules a decision must pass, changing its status and publishing a revision
once the officer has seen who it tells."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..choices import DecisionStatus, check_transition
from ..models import Decision, OutcomeNotice


def published_status(decision):
    """The status parents last saw: the published row's, or, once unpublished, the last they were told
    of (so unpublishing cannot be used to move a status backwards)."""
    if not decision.pk:
        return None
    live = Decision.objects.filter(pk=decision.pk, live=True).values_list("status", flat=True).first()
    if live is not None:
        return live
    return (
        OutcomeNotice.objects.filter(decision_id=decision.pk)
        .order_by("-created_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )


def check_decision(decision):
    """The rules a decision's form must pass; status moves are checked against the published one."""
    check_transition(published_status(decision), decision.status)
    errors = {}
    if decision.status == DecisionStatus.NOT_AGREED and not decision.reason.strip():
        errors["reason"] = "Explain why this was not agreed: parents will read it."
    if decision.status != DecisionStatus.UNDER_CONSIDERATION and not decision.decided_on:
        errors["decided_on"] = "Enter the date it was decided."
    if decision.decided_on and decision.decided_on > timezone.localdate():
        errors["decided_on"] = "The date it was decided must be today or in the past."
    if decision.due_on and decision.decided_on and decision.due_on < decision.decided_on:
        errors["due_on"] = "The due date must be on or after the date it was decided."
    if errors:
        raise ValidationError(errors)


def set_status(decision, status, *, user=None, **fields):
    """Change a decision's status outside the editor (demo, scripts): same rules, then publish."""
    decision = Decision.objects.get(pk=decision.pk)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.status = status
    decision.full_clean(exclude=["feedback_items"])
    decision.save()
    decision.save_revision(user=user).publish(user=user)
    return decision


@transaction.atomic
def publish_and_tell(revision, user) -> bool:
    """Publish a decision's revision after the officer has seen who it tells (the publish signal
    sends the outcome notice). False, publishing nothing, when the revision is no longer the
    decision's latest (edited since) or was already published: a replayed confirmation tells nobody
    twice."""
    decision = Decision.objects.select_for_update().get(pk=revision.object_id)
    if decision.latest_revision_id != revision.pk or decision.live_revision_id == revision.pk:
        return False
    revision.publish(user=user)
    return True
