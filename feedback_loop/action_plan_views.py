"""Reporting progress on the action plan, in the admin: "My actions", the report form with the
action's history, and deleting a mistaken report. Thin: services.action_plan does the work and holds
the rules (who may report, a reason for red and amber, no future date, complete is final)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import services
from .action_plan_admin import report_due_text
from .forms import ProgressReportForm
from .models import Action, ProgressReport

PER_PAGE = 100


def may_report(user) -> bool:
    """Whoever may report on some action: leads (add_progressreport) and officers."""
    return user.is_active and (
        user.has_perm("feedback_loop.add_progressreport")
        or user.has_perm("feedback_loop.report_on_any_action")
    )


def _row(action, today):
    due = services.report_due_on(action)
    return {
        "action": action,
        "label": services.status_label(action.latest_status),
        "complete": due is None,
        "overdue": due is not None and due < today,
        "due_text": report_due_text(action, today),
        "url": reverse("action_plan_report", args=[action.pk]),
    }


def my_actions(request):
    if not may_report(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    actions = services.reportable_actions(request.user).order_by("priority__number", "number")
    page = Paginator(actions, PER_PAGE).get_page(request.GET.get("p"))
    rows = [_row(action, today) for action in page]
    return TemplateResponse(
        request,
        "feedback_loop/admin/action_plan/my_actions.html",
        {
            "rows": rows,
            "page": page,
            "overdue_count": sum(1 for row in rows if row["overdue"]),
            "any_action": request.user.has_perm("feedback_loop.report_on_any_action"),
        },
    )


def _reportable(request, action_id) -> Action:
    """The action, or 404 if there is none; 403 unless this user may report on it."""
    if not may_report(request.user):
        raise PermissionDenied
    action = get_object_or_404(
        services.actions_with_status(Action.objects.select_related("priority")), pk=action_id
    )
    if not services.can_report_on(request.user, action):
        raise PermissionDenied
    return action


def report_view(request, action_id):
    action = _reportable(request, action_id)
    today = timezone.localdate()
    if request.method == "POST":
        form = ProgressReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_progress(
                    action,
                    request.user,
                    status=form.cleaned_data["status"],
                    commentary=form.cleaned_data["commentary"],
                    reported_on=form.cleaned_data["reported_on"],
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                messages.success(
                    request,
                    f"Progress on action {action.reference} reported: "
                    f"{services.status_label(form.cleaned_data['status'])}.",
                )
                return redirect("action_plan_my_actions")
    else:
        form = ProgressReportForm(initial={"reported_on": today})
    reports = action.reports.select_related("reported_by")
    return TemplateResponse(
        request,
        "feedback_loop/admin/action_plan/report.html",
        {
            "action": action,
            "row": _row(action, today),
            "form": form,
            "reports": reports,
            "can_delete": services.can_delete_reports(request.user),
            "my_actions_url": reverse("action_plan_my_actions"),
        },
        status=400 if form.is_bound else 200,
    )


def delete_report_view(request, report_id):
    if not services.can_delete_reports(request.user):
        raise PermissionDenied
    report = get_object_or_404(ProgressReport.objects.select_related("action__priority"), pk=report_id)
    back = reverse("action_plan_report", args=[report.action_id])
    if request.method == "POST":
        action = report.action
        services.delete_progress_report(report, request.user)
        messages.success(request, f"The report on action {action.reference} is deleted.")
        return redirect(back)
    return TemplateResponse(
        request,
        "feedback_loop/admin/action_plan/delete_report.html",
        {"report": report, "action": report.action, "back_url": back},
    )
