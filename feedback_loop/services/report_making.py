"""Making a report: checking what was asked, the `Report` row, its PDF made in a task (queued ->
building -> ready | failed, under a row lock), the emailed link (no figures, no names), and the board
report's schedule. What a report shows is `reports`."""

import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parentvoice.dates import govuk_date

from ..choices import ReportKind, ReportStatus, check_report_transition
from ..models import Report
from .briefings import briefing_pdf
from .reports import ReportProblem, report_html

logger = logging.getLogger(__name__)

__all__ = [
    "build_report",
    "check_report",
    "create_report",
    "ensure_board_report",
    "pdf_may_hold_withdrawn_words",
    "report_recipients",
    "report_url",
    "retry_report",
]


# --- Making a report --------------------------------------------------------------------------


def _queue(report: Report) -> None:
    from ..tasks import build_report_pdf

    report_id = report.pk
    transaction.on_commit(lambda: build_report_pdf.enqueue(report_id))


def check_report(kind: str, district, theme, period_start: date, period_end: date) -> None:
    """Raise ReportProblem (by field) unless a report of `kind` can be made about this subject."""
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = "Choose a board, district or theme report."
    elif kind == ReportKind.DISTRICT and district is None:
        errors["district"] = "Choose the district the report is about."
    elif kind == ReportKind.THEME and theme is None:
        errors["theme"] = "Choose the theme the report is about."
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start."
    today = timezone.localdate()
    if period_start and period_start > today:
        errors["period_start"] = "The period must start today or earlier."
    if period_end and period_end > today + relativedelta(years=1):
        # A report on the future says nothing; and the last day (31/12/9999) has no day after it.
        errors["period_end"] = "The period must end within a year from today."
    if errors:
        raise ReportProblem(errors)


@transaction.atomic
def create_report(
    *, kind: str, period_start: date, period_end: date, district=None, theme=None, user=None
) -> Report:
    """Record a report and queue its PDF. The subject not used by `kind` is dropped."""
    check_report(kind, district, theme, period_start, period_end)
    report = Report.objects.create(
        kind=kind,
        district=district if kind == ReportKind.DISTRICT else None,
        theme=theme if kind == ReportKind.THEME else None,
        period_start=period_start,
        period_end=period_end,
        requested_by=user,
    )
    _queue(report)
    return report


@transaction.atomic
def retry_report(report: Report) -> bool:
    """Queue a failed report again. False when it had not failed (nothing done)."""
    locked = Report.objects.select_for_update().defer("pdf").get(pk=report.pk)
    if locked.status != ReportStatus.FAILED:
        return False
    check_report_transition(locked.status, ReportStatus.QUEUED)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, error="", finished_at=None)
    _queue(locked)
    return True


@transaction.atomic
def ensure_board_report(period_start: date, period_end: date, user=None) -> tuple[Report, bool]:
    """The board report for this period, made (and queued) only if none is waiting, being made or
    ready: (report, created). Safe to run again, e.g. from cron."""
    existing = (
        Report.objects.select_for_update()
        .defer("pdf")
        .filter(
            kind=ReportKind.BOARD,
            period_start=period_start,
            period_end=period_end,
            status__in=[ReportStatus.QUEUED, ReportStatus.BUILDING, ReportStatus.READY],
        )
        .first()
    )
    if existing is not None:
        return existing, False
    return create_report(
        kind=ReportKind.BOARD, period_start=period_start, period_end=period_end, user=user
    ), True


def _move(report_id: int, old: str, new: str, **fields) -> bool:
    """Move the report from `old` to `new` under a row lock; False if it is no longer at `old`."""
    with transaction.atomic():
        status = (
            Report.objects.select_for_update().filter(pk=report_id).values_list("status", flat=True).first()
        )
        if status != old:
            return False
        check_report_transition(old, new)
        Report.objects.filter(pk=report_id).update(status=new, **fields)
    return True


def build_report(report_id: int, *, notify: bool = True) -> str | None:
    """Make a queued report's PDF: queued -> building -> ready (then email the link) or failed (with
    the error; it may be queued again). Returns the new status, or None if the report was not
    waiting (already made, or being made by another worker)."""
    if not _move(report_id, ReportStatus.QUEUED, ReportStatus.BUILDING):
        return None
    report = Report.objects.defer("pdf").select_related("district", "theme").get(pk=report_id)
    try:
        html = report_html(report, for_pdf=True)
        pdf = briefing_pdf(html, settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/")
    except Exception as error:
        logger.exception("Report %s could not be made", report_id)
        _move(
            report_id,
            ReportStatus.BUILDING,
            ReportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return ReportStatus.FAILED
    _move(report_id, ReportStatus.BUILDING, ReportStatus.READY, pdf=pdf, error="", finished_at=timezone.now())
    if notify:
        send_report_ready(report)
    return ReportStatus.READY


# --- Telling people -----------------------------------------------------------------------------


def pdf_may_hold_withdrawn_words(report: Report) -> bool:
    """True when a quote has been held for safeguarding review since the report was made: its PDF,
    made then, may hold those words. (The report's page is made afresh each time and never shows
    them.) Counted from when the report was asked for, which is before its PDF was made."""
    from parentvoice.safeguarding.models import HeldText

    return HeldText.objects.filter(
        source_kind="feedback_loop.quote", case__released=False, case__opened_at__gte=report.created_at
    ).exists()


def report_url(report: Report) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("feedback_report", args=[report.pk])


def report_recipients(report: Report) -> list[str]:
    """Who is emailed the link: whoever asked for it (if they may still see reports) and, for a board
    report, every active user who may see reports (the active superusers if there are none)."""
    users = get_user_model().objects
    addresses = set()
    requester = report.requested_by
    if (
        requester
        and requester.is_active
        and requester.email
        and requester.has_perm("feedback_loop.view_report")
    ):
        addresses.add(requester.email)
    if report.kind == ReportKind.BOARD:
        viewers = ModelBackend().with_perm(
            "feedback_loop.view_report", is_active=True, include_superusers=False
        )
        found = {email for email in viewers.values_list("email", flat=True) if email}
        if not found:
            found = {
                e
                for e in users.filter(is_active=True, is_superuser=True).values_list("email", flat=True)
                if e
            }
        addresses |= found
    return sorted(addresses)


def _subject_words(report: Report) -> str:
    if report.kind == ReportKind.DISTRICT:
        return f"The {report.district.name} district report"
    if report.kind == ReportKind.THEME:
        return f"The theme report on {report.theme.name}"
    return "The board report"


def send_report_ready(report: Report) -> int:
    """One email each (nobody sees who else is told), with the link and no figures."""
    body = (
        f"{_subject_words(report)} for {govuk_date(report.period_start)} to {govuk_date(report.period_end)} "
        "is ready.\n\n"
        f"Read it or download the PDF (you need to sign in):\n{report_url(report)}\n"
    )
    sent = 0
    for address in report_recipients(report):
        sent += EmailMessage("A Parent Voice report is ready", body, to=[address]).send()
    return sent
