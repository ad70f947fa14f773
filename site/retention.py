"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from .models import SiteFeedback
from .privacy.registry import register_retention_rule
from .privacy.services.retention import days_ago, in_chunks, in_words
from .safeguarding.services import open_case_ids


def wipe_site_feedback_emails(now: datetime, dry_run: bool) -> int:
    """Website feedback keeps what was said; the email address for a reply goes."""
    feedback = (
        SiteFeedback.objects.filter(created_at__lt=days_ago(now, settings.RETAIN_SITE_FEEDBACK_EMAIL_DAYS))
        .exclude(email="")
        # An open safeguarding case may still need the address to reply.
        .exclude(pk__in=open_case_ids("parentvoice.site_feedback"))
    )
    return in_chunks(feedback, lambda rows: rows.update(email=""), dry_run=dry_run)


register_retention_rule(
    "parentvoice.site_feedback_emails",
    label="Website feedback: email address for a reply wiped",
    period=lambda: in_words(settings.RETAIN_SITE_FEEDBACK_EMAIL_DAYS, "it was sent"),
    apply=wipe_site_feedback_emails,
)
