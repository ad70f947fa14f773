"""Demo: a district report for Dover and the board report for the last quarter, with their PDFs made now
(without WeasyPrint installed, they show as failed, with the reason, and can be tried again)."""

from parentvoice.models import District

from . import services
from .choices import ReportKind, ReportStatus
from .models import Report


def load_reports_demo(say):
    start, end = services.last_full_quarter()
    if Report.objects.filter(period_start=start, period_end=end).exists():
        say("Reports: already there.")
        return
    wanted = [{"kind": ReportKind.BOARD}]
    dover = District.objects.filter(name="Dover").first()
    if dover is not None:
        wanted.insert(0, {"kind": ReportKind.DISTRICT, "district": dover})
    for fields in wanted:
        report = Report.objects.create(period_start=start, period_end=end, **fields)
        status = services.build_report(report.pk, notify=False)
        say(f"Report: {report} ({ReportStatus(status).label.lower() if status else 'not made'}).")
