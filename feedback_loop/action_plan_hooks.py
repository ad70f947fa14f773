"""Admin hooks for the action plan (imported by wagtail_hooks): the "Action plan" snippets, "My actions"
and reporting progress, and the log actions that put each report in an action's history."""

from datetime import date

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from parentvoice.dates import govuk_date

from . import action_plan_views, services
from .action_plan_admin import ActionPlanGroup
from .choices import RagStatus

register_snippet(ActionPlanGroup)


@hooks.register("register_admin_urls")
def action_plan_urls():
    return [
        path("action-plan/my-actions/", action_plan_views.my_actions, name="action_plan_my_actions"),
        path(
            "action-plan/actions/<int:action_id>/report/",
            action_plan_views.report_view,
            name="action_plan_report",
        ),
        path(
            "action-plan/reports/<int:report_id>/delete/",
            action_plan_views.delete_report_view,
            name="action_plan_delete_report",
        ),
    ]


class MyActionsMenuItem(MenuItem):
    def is_shown(self, request):
        return action_plan_views.may_report(request.user)


@hooks.register("register_admin_menu_item")
def my_actions_menu_item():
    return MyActionsMenuItem("My actions", reverse("action_plan_my_actions"), icon_name="tasks", order=261)


def _report_words(log_entry) -> str:
    data = log_entry.data or {}
    try:
        day = govuk_date(date.fromisoformat(data.get("reported_on", "")))
    except (TypeError, ValueError):
        day = ""
    words = services.status_label(data.get("status")) if data.get("status") in RagStatus.values else ""
    return f"{words}, dated {day}" if words and day else words


@hooks.register("register_log_actions")
def action_plan_log_actions(actions):
    @actions.register_action("feedback.progress_reported")
    class ProgressReported(LogFormatter):
        label = "Progress reported"

        def format_message(self, log_entry):
            words = _report_words(log_entry)
            return f"Progress reported: {words}" if words else "Progress reported"

    @actions.register_action("feedback.progress_report_deleted")
    class ProgressReportDeleted(LogFormatter):
        label = "Progress report deleted"

        def format_message(self, log_entry):
            words = _report_words(log_entry)
            return f"Progress report deleted ({words})" if words else "Progress report deleted"
