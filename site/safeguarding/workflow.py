"""A case's life, in one place: when it is due, what a lead records, closing with an outcome,
reopening, and the emails to leads (a number, a time and a link: never the text or contact details).

    NEW --record_action--> REVIEWING --close_case--> CLOSED --reopen--> REVIEWING
    NEW --close_case--> CLOSED

A new case not reviewed by its due time (SAFEGUARDING_REVIEW_WORKING_DAYS working days) is escalated
once by `escalate_overdue`, which a cron job runs every 15 minutes.

Every change writes a Wagtail log entry naming the case, the user and what kind of thing happened;
notes, the text and contact details never go in the log.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from parentvoice.dates import add_working_days, govuk_datetime

from .choices import CaseActionKind, CaseOutcome, CaseStatus
from .models import Case, CaseAction, HeldText
from .registry import get_source

logger = logging.getLogger(__name__)

# What a lead can record on an open case (closing and reopening have their own functions).
REVIEW_KINDS = (
    CaseActionKind.REVIEWED_NO_CONCERN,
    CaseActionKind.REFERRED,
    CaseActionKind.CONTACTED_PARENT,
    CaseActionKind.ESCALATED,
)
OPEN_KINDS = (*REVIEW_KINDS, CaseActionKind.NOTE)
OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.REVIEWING)


# --- When a case is due -----------------------------------------------------------------------


def review_due_at(opened_at: datetime) -> datetime:
    """Opened on a working day: the same UK time N working days later (Friday 3pm -> Monday 3pm).
    Opened on a weekend or bank holiday: the clock starts at 9am on the next working day."""
    return add_working_days(opened_at, settings.SAFEGUARDING_REVIEW_WORKING_DAYS)


def overdue_filter(now: datetime | None = None) -> Q:
    """New cases (no action recorded yet) past their due time."""
    return Q(status=CaseStatus.NEW, due_at__lt=now or timezone.now())


def open_cases() -> QuerySet:
    return Case.objects.filter(status__in=OPEN_STATUSES)


def is_overdue(case: Case, now: datetime | None = None) -> bool:
    return case.status == CaseStatus.NEW and case.due_at < (now or timezone.now())


# --- Transitions ------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    return fresh


def _refresh(case: Case, fresh: Case) -> Case:
    """Copy the saved state back onto the caller's instance, so it sees the change."""
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(fresh, field.attname))
    return case


def _mark_reviewed(case: Case, now: datetime) -> None:
    if case.status == CaseStatus.NEW:
        case.status = CaseStatus.REVIEWING
    if case.reviewed_at is None:
        case.reviewed_at = now


def record_action(case: Case, kind: str, user, note: str = "") -> CaseAction:
    """Record what a lead did on an open case. The first action marks the case as reviewed."""
    if kind not in OPEN_KINDS:
        raise ValueError(f"'{kind}' cannot be recorded as an action: close or reopen the case instead.")
    with transaction.atomic():
        fresh = _locked(case)
        if fresh.status not in OPEN_STATUSES:
            raise ValueError("This case is closed: reopen it to record an action.")
        now = timezone.now()
        _mark_reviewed(fresh, now)
        fresh.save(update_fields=["status", "reviewed_at"])
        action = CaseAction.objects.create(case=fresh, kind=kind, note=note.strip(), by=user, at=now)
        log(fresh, "safeguarding.action", user=user, data={"kind": str(kind)})
    _refresh(case, fresh)
    return action


def close_case(case: Case, outcome: str, user, note: str = "") -> CaseAction:
    """Close an open case with an outcome. Closed with no concern, the text is released."""
    if outcome not in CaseOutcome.values:
        raise ValueError("Choose an outcome to close the case.")
    with transaction.atomic():
        fresh = _locked(case)
        if fresh.status not in OPEN_STATUSES:
            raise ValueError("This case is already closed.")
        now = timezone.now()
        _mark_reviewed(fresh, now)
        fresh.status = CaseStatus.CLOSED
        fresh.outcome = outcome
        fresh.released = outcome == CaseOutcome.NO_CONCERN
        fresh.closed_at = now
        fresh.closed_by = user
        fresh.save(update_fields=["status", "reviewed_at", "outcome", "released", "closed_at", "closed_by"])
        action = CaseAction.objects.create(
            case=fresh, kind=CaseActionKind.CLOSED, outcome=outcome, note=note.strip(), by=user, at=now
        )
        log(fresh, "safeguarding.closed", user=user, data={"outcome": str(outcome)})
        if fresh.released:
            transaction.on_commit(lambda: _released(fresh))
    _refresh(case, fresh)
    return action


def _released(case: Case) -> None:
    """What each held record's app does once its text is released (e.g. send a held enquiry on)."""
    for held in HeldText.objects.filter(case=case):
        source = get_source(held.source_kind)
        if source is not None and source.on_release is not None:
            source.on_release(held.source_id)


def reopen(case: Case, user, note: str = "") -> CaseAction:
    """Reopen a closed case: it is being reviewed again and its text is held again."""
    with transaction.atomic():
        fresh = _locked(case)
        if fresh.status != CaseStatus.CLOSED:
            raise ValueError("Only a closed case can be reopened.")
        now = timezone.now()
        fresh.status = CaseStatus.REVIEWING
        fresh.released = False
        fresh.outcome = ""
        fresh.closed_at = None
        fresh.closed_by = None
        fresh.save(update_fields=["status", "released", "outcome", "closed_at", "closed_by"])
        action = CaseAction.objects.create(
            case=fresh, kind=CaseActionKind.REOPENED, note=note.strip(), by=user, at=now
        )
        log(fresh, "safeguarding.reopened", user=user)
    _refresh(case, fresh)
    return action


def case_viewed(case: Case, user) -> None:
    """Every time a lead opens a case, for the audit log."""
    log(case, "safeguarding.case_viewed", user=user)


# --- Emails -----------------------------------------------------------------------------------


def case_url(case: Case) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("safeguarding_case", args=[case.pk])


def lead_emails() -> list[str]:
    """Active users who can open cases; if there are none, the active superusers."""
    users = get_user_model().objects
    # Group and user permissions (the accounts manager has no with_perm of its own).
    leads = ModelBackend().with_perm("safeguarding.view_case", is_active=True, include_superusers=False)
    addresses = sorted({email for email in leads.values_list("email", flat=True) if email})
    if not addresses:
        superusers = users.filter(is_active=True, is_superuser=True)
        addresses = sorted({email for email in superusers.values_list("email", flat=True) if email})
    return addresses


def escalation_emails() -> list[str]:
    extra = [e.strip() for e in settings.SAFEGUARDING_ESCALATION_EMAILS.split(",") if e.strip()]
    return sorted(set(lead_emails()) | set(extra))


def _send(subject: str, body: str, recipients: list[str]) -> int:
    """One email each, so no recipient sees who else is told."""
    sent = 0
    for address in recipients:
        sent += EmailMessage(subject, body, to=[address]).send()
    return sent


def case_opened(case: Case) -> None:
    """After the case is saved, a task emails the leads (a link only, never the text)."""
    from .tasks import email_case_opened

    case_id = case.pk
    transaction.on_commit(lambda: email_case_opened.enqueue(case_id))


def send_case_opened_email(case_id: int) -> int:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    body = (
        f"Case {case.pk} is waiting for a safeguarding lead.\n\n"
        f"Review it by {govuk_datetime(case.due_at)}.\n\n"
        f"Open the case (you need to sign in):\n{case_url(case)}\n\n"
        "The text is not included in this email. Read it in Parent Voice.\n"
    )
    return _send("A new safeguarding case to review", body, lead_emails())


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate each new case past its due time, once: set escalated_at and email the leads and
    SAFEGUARDING_ESCALATION_EMAILS. Returns how many cases were escalated."""
    now = now or timezone.now()
    escalated = 0
    candidates = Case.objects.filter(overdue_filter(now), escalated_at__isnull=True).values_list(
        "pk", flat=True
    )
    for case_id in list(candidates):
        with transaction.atomic():
            # Only the run that sets escalated_at sends the email (two runs at once send one).
            won = Case.objects.filter(overdue_filter(now), pk=case_id, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not won:
                continue
            case = Case.objects.get(pk=case_id)
            log(case, "safeguarding.escalated", user=None)
        escalated += 1
        body = (
            f"Case {case.pk} has not been reviewed. It was due by {govuk_datetime(case.due_at)}.\n\n"
            f"Open the case (you need to sign in):\n{case_url(case)}\n\n"
            "The text is not included in this email. Read it in Parent Voice.\n"
        )
        try:
            _send("A safeguarding case is overdue", body, escalation_emails())
        except Exception:  # the escalation stays recorded; the case still shows as overdue
            logger.exception("Could not send the escalation email for safeguarding case %s", case.pk)
    return escalated
