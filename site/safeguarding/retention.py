"""This app's retention rules, registered with parentvoice.privacy (see docs/data-protection.md).

Cases closed with no concern (released) are deleted after RETAIN_CASES_NO_CONCERN_DAYS. Other closed
cases are kept (so the source text stays held) but after RETAIN_CASES_DAYS their copy of the text,
the reason given for flagging and the leads' notes are replaced by REMOVED_TEXT. Open cases are never
touched, and other apps' rules keep a source an open case still needs (`services.open_case_ids`)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from parentvoice.privacy.registry import register_retention_rule
from parentvoice.privacy.services.retention import days_ago, delete, in_chunks, in_words

from .choices import CaseStatus
from .models import Case, CaseAction

REMOVED_TEXT = "Removed after the retention period"


def delete_no_concern_cases(now: datetime, dry_run: bool) -> int:
    cases = Case.objects.filter(
        status=CaseStatus.CLOSED,
        released=True,
        closed_at__lt=days_ago(now, settings.RETAIN_CASES_NO_CONCERN_DAYS),
    )
    return in_chunks(cases, delete, dry_run=dry_run)


def _wipe(cases: QuerySet) -> None:
    CaseAction.objects.filter(case__in=cases).exclude(note="").update(note=REMOVED_TEXT)
    cases.update(text=REMOVED_TEXT, flag_reason=REMOVED_TEXT)


def wipe_old_cases(now: datetime, dry_run: bool) -> int:
    cases = Case.objects.filter(
        status=CaseStatus.CLOSED,
        released=False,
        closed_at__lt=days_ago(now, settings.RETAIN_CASES_DAYS),
    ).filter(~Q(text=REMOVED_TEXT) | ~Q(flag_reason=REMOVED_TEXT))
    return in_chunks(cases, _wipe, dry_run=dry_run)


register_retention_rule(
    "safeguarding.no_concern_cases",
    label="Safeguarding cases closed with no concern: deleted",
    period=lambda: in_words(settings.RETAIN_CASES_NO_CONCERN_DAYS, "the case was closed"),
    apply=delete_no_concern_cases,
)
register_retention_rule(
    "safeguarding.closed_cases",
    label="Other closed safeguarding cases: text and notes removed, the case kept",
    period=lambda: in_words(settings.RETAIN_CASES_DAYS, "the case was closed"),
    apply=wipe_old_cases,
)
