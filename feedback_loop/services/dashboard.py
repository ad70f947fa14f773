"""The officers' dashboard: items overdue a decision, consultations nobody has written up, and the
headline figures."""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from messaging.models import Message
from surveys.models import ConsultationPage, Response

from ..models import Decision, FeedbackItem
from .items import items_without_decision
from .outcomes import TOLD_STATUSES


def decision_due_after():
    return timedelta(weeks=settings.FEEDBACK_DECISION_DUE_WEEKS)


def overdue_items(now=None):
    """Published items with no published decision N weeks after their consultation closed or their
    meeting was held, oldest first."""
    cutoff = (now or timezone.now()) - decision_due_after()
    return (
        items_without_decision()
        .filter(Q(consultation__closes_at__lt=cutoff) | Q(event__start__lt=cutoff))
        .select_related("consultation", "event", "theme")
        .order_by("consultation__closes_at", "event__start", "pk")
    )


def consultations_without_items(now=None):
    """Consultations closed N weeks ago that nobody has written up."""
    cutoff = (now or timezone.now()) - decision_due_after()
    return (
        ConsultationPage.objects.live()
        .filter(closes_at__lt=cutoff)
        .exclude(Exists(FeedbackItem.objects.filter(consultation=OuterRef("pk"))))
        .order_by("closes_at")
    )


@dataclass
class Metrics:
    items: int
    decided: int
    median_days_to_decision: float | None
    respondents: int
    respondents_told: int

    @property
    def decided_share(self):
        return round(100 * self.decided / self.items) if self.items else None

    @property
    def told_share(self):
        return round(100 * self.respondents_told / self.respondents) if self.respondents else None


def metrics():
    """Share of published items with a published decision; median days from a consultation closing
    to its decisions; share of linked respondents of decided consultations who were told."""
    items = FeedbackItem.objects.filter(live=True)
    total = items.count()
    decided = total - items_without_decision(items).count()
    pairs = (
        Decision.objects.filter(
            live=True, decided_on__isnull=False, feedback_items__consultation__isnull=False
        )
        .values_list("pk", "decided_on", "feedback_items__consultation__closes_at")
        .distinct()
    )
    days = [(decided_on - timezone.localtime(closes).date()).days for _, decided_on, closes in pairs]
    decided_consultations = FeedbackItem.objects.filter(
        live=True, decisions__live=True, consultation__isnull=False
    ).values("consultation_id")
    respondents = Response.objects.filter(
        consultation_id__in=decided_consultations, contact__isnull=False
    ).values("contact_id")
    told = (
        Message.objects.filter(
            campaign__outcome_notices__isnull=False, status__in=TOLD_STATUSES, contact_id__in=respondents
        )
        .values("contact_id")
        .distinct()
        .count()
    )
    return Metrics(
        items=total,
        decided=decided,
        median_days_to_decision=statistics.median(days) if days else None,
        respondents=respondents.distinct().count(),
        respondents_told=told,
    )
