"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md).

Once a consultation is closed with feedback (every 'You said' item has a published decision, so
everyone who asked has been told), its text conversations and texts received go after
RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED days, and its responses lose their link to a contact after
RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED days (its dashboard figures of who was told are frozen
first). The work is surveys'."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from parentvoice.privacy.registry import register_retention_rule
from parentvoice.privacy.services.retention import days_ago, in_words
from surveys import retention as surveys_retention

from .models import FeedbackClosure, OpenFeedback
from .services.dashboard import freeze_told_figures


def _closed_before(when: datetime):
    return FeedbackClosure.objects.filter(closed_at__lt=when).values("consultation_id")


def forget_closed_sms(now: datetime, dry_run: bool) -> int:
    closed = _closed_before(days_ago(now, settings.RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED))
    return surveys_retention.forget_sms_conversations(closed, dry_run)


def unlink_closed_responses(now: datetime, dry_run: bool) -> int:
    closed = _closed_before(days_ago(now, settings.RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED))
    if not dry_run:
        # Once unlinked, the people who took part and were told can no longer be counted.
        freeze_told_figures(closed)
    return surveys_retention.unlink_responses(closed, dry_run)


register_retention_rule(
    "feedback_loop.sms_after_feedback",
    label="Text conversations for consultations closed with feedback: deleted",
    period=lambda: in_words(settings.RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED, "feedback was closed"),
    apply=forget_closed_sms,
)
register_retention_rule(
    "feedback_loop.response_links",
    label="Responses to consultations closed with feedback: link to the person removed",
    period=lambda: in_words(settings.RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED, "feedback was closed"),
    apply=unlink_closed_responses,
)


def unlink_open_feedback(now: datetime, dry_run: bool) -> int:
    """'Tell us' entries lose their link to the person who texted them; the words are kept. A follow
    request to hear back is the person's own and goes by messaging's rules."""
    old = OpenFeedback.objects.filter(
        contact__isnull=False, received_at__lt=days_ago(now, settings.RETAIN_OPEN_FEEDBACK_CONTACT_DAYS)
    )
    return old.count() if dry_run else old.update(contact=None)


register_retention_rule(
    "feedback_loop.open_feedback_contact",
    label="'Tell us' entries sent by text: link to the person removed (the words are kept)",
    period=lambda: in_words(settings.RETAIN_OPEN_FEEDBACK_CONTACT_DAYS, "it was received"),
    apply=unlink_open_feedback,
)
