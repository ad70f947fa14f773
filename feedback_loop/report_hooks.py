"""Admin hooks for reports (imported by wagtail_hooks): the "Reports" menu item and the report views."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import report_views


@hooks.register("register_admin_urls")
def report_admin_urls():
    return [
        path("reports/", report_views.report_list, name="feedback_reports"),
        path("reports/new/", report_views.report_create, name="feedback_report_create"),
        path("reports/<int:report_id>/", report_views.report_view, name="feedback_report"),
        path("reports/<int:report_id>/pdf/", report_views.report_pdf, name="feedback_report_pdf"),
        path("reports/<int:report_id>/retry/", report_views.report_retry, name="feedback_report_retry"),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return report_views.can_view(request.user)


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    return ReportsMenuItem("Reports", reverse("feedback_reports"), icon_name="doc-full-inverse", order=252)
