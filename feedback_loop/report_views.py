"""Reports in the Wagtail admin: the list, "Make a report", a report's page (rendered live) and its
PDF. Thin: feedback_loop.services.reports does the work."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parentvoice.dates import govuk_date
from parentvoice.models import District

from . import services
from .choices import ReportKind, ReportStatus
from .models import Report, Theme


def can_view(user) -> bool:
    return user.has_perm("feedback_loop.view_report")


def can_add(user) -> bool:
    return user.has_perm("feedback_loop.add_report")


def _check(user, allowed) -> None:
    if not allowed(user):
        raise PermissionDenied


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of report",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        help_text="A board report covers the whole county; a district or theme report covers one of them.",
        error_messages={"required": "Choose the kind of report."},
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label="Choose a district",
        help_text="For a district report.",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        empty_label="Choose a theme",
        help_text="For a theme report.",
    )
    period_start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the first day of the period.", "invalid": "Enter a real date."},
    )
    period_end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The last day included.",
        error_messages={"required": "Enter the last day of the period.", "invalid": "Enter a real date."},
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_report(
                data["kind"],
                data.get("district"),
                data.get("theme"),
                data["period_start"],
                data["period_end"],
            )
        except services.ReportProblem as problem:
            for field, errors in problem.message_dict.items():
                for error in errors:
                    self.add_error(field, error)
        return data


def subject(report: Report) -> str:
    if report.kind == ReportKind.DISTRICT:
        return report.district.name
    if report.kind == ReportKind.THEME:
        return report.theme.name
    return "Whole county"


@never_cache
def report_list(request):
    _check(request.user, can_view)
    reports = Report.objects.defer("pdf").select_related("district", "theme")
    page = Paginator(reports, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "feedback_loop/report_list.html",
        {
            "page": page,
            "rows": [{"report": report, "subject": subject(report)} for report in page],
            "can_add": can_add(request.user),
        },
    )


@never_cache
def report_create(request):
    _check(request.user, can_add)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            report = services.create_report(
                kind=data["kind"],
                district=data.get("district"),
                theme=data.get("theme"),
                period_start=data["period_start"],
                period_end=data["period_end"],
                user=request.user,
            )
            messages.success(
                request, "The report is being made. We will email you a link when its PDF is ready."
            )
            return redirect("feedback_report", report_id=report.pk)
    else:
        start, end = services.last_full_quarter()
        form = ReportForm(initial={"kind": ReportKind.BOARD, "period_start": start, "period_end": end})
    return TemplateResponse(request, "feedback_loop/report_form.html", {"form": form})


@never_cache
def report_view(request, report_id):
    """The report as a page, made now from the latest data (the PDF is the copy made when queued)."""
    _check(request.user, can_view)
    report = get_object_or_404(Report.objects.defer("pdf").select_related("district", "theme"), pk=report_id)
    html = services.report_html(
        report,
        for_pdf=False,
        request=request,
        extra={
            "pdf_url": reverse("feedback_report_pdf", args=[report.pk]),
            "retry_url": reverse("feedback_report_retry", args=[report.pk]),
            "list_url": reverse("feedback_reports"),
            "can_retry": can_add(request.user) and report.status == ReportStatus.FAILED,
        },
    )
    return HttpResponse(html)


@never_cache
def report_pdf(request, report_id):
    _check(request.user, can_view)
    report = get_object_or_404(Report, pk=report_id)
    if report.status != ReportStatus.READY or not report.pdf:
        raise Http404("This report's PDF is not ready.")
    if services.pdf_may_hold_withdrawn_words(report):
        messages.warning(
            request,
            "This PDF was made before a quote in it may have been held for safeguarding review, so it is "
            "no longer available. The report below leaves held quotes out: make the report again for a "
            "new PDF.",
        )
        return redirect("feedback_report", report_id=report.pk)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    name = slugify(subject(report)) or "report"  # a name is typed by an officer: never raw in a header
    response["Content-Disposition"] = (
        f'attachment; filename="{report.kind}-report-{name}-{report.period_end.isoformat()}.pdf"'
    )
    return response


@require_POST
def report_retry(request, report_id):
    _check(request.user, can_add)
    report = get_object_or_404(Report.objects.defer("pdf"), pk=report_id)
    if services.retry_report(report):
        messages.success(request, "The report is queued to be made again.")
    else:
        messages.warning(
            request, f"Only a report that failed can be tried again (made {govuk_date(report.created_at)})."
        )
    return redirect("feedback_report", report_id=report.pk)
