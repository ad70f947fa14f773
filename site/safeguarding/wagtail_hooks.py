"""The safeguarding admin: a 'Safeguarding' menu (the queue and the term list), the case pages, the
flag-by-hand endpoint, a homepage panel for leads and the audit log's action names."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, workflow
from .models import Case, CaseLogEntry, ConcernTerm


class ConcernTermViewSet(SnippetViewSet):
    model = ConcernTerm
    icon = "warning"
    menu_label = "Concern terms"
    add_to_admin_menu = False
    list_display = ["phrase", "match", "category", "active"]
    list_filter = ["match", "category", "active"]
    search_fields = ["phrase"]


register_snippet(ConcernTermViewSet)


@hooks.register("register_admin_urls")
def safeguarding_admin_urls():
    return [
        path("safeguarding/", admin_views.queue, name="safeguarding_queue"),
        path("safeguarding/cases/<int:case_id>/", admin_views.case_view, name="safeguarding_case"),
        path("safeguarding/flag/", admin_views.flag_view, name="safeguarding_flag"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, perms=(), **kwargs):
        self.perms = perms
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return any(request.user.has_perm(perm) for perm in self.perms)


class SafeguardingMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return admin_views.can_view(request.user) or request.user.has_perm("safeguarding.view_concernterm")


@hooks.register("register_admin_menu_item")
def safeguarding_menu_item():
    menu = Menu(
        items=[
            PermissionMenuItem(
                "Cases",
                reverse("safeguarding_queue"),
                icon_name="warning",
                order=1,
                perms=["safeguarding.view_case"],
            ),
            PermissionMenuItem(
                "Concern terms",
                reverse("wagtailsnippets_safeguarding_concernterm:list"),
                icon_name="list-ul",
                order=2,
                perms=[f"safeguarding.{p}_concernterm" for p in ("view", "add", "change", "delete")],
            ),
        ]
    )
    return SafeguardingMenuItem("Safeguarding", menu, icon_name="warning", order=240)


class CasesPanel(Component):
    name = "safeguarding_cases"
    order = 10
    template_name = "safeguarding/admin/home_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "open": workflow.open_cases().count(),
            "overdue": Case.objects.filter(workflow.overdue_filter()).count(),
            "queue_url": reverse("safeguarding_queue"),
        }


@hooks.register("construct_homepage_panels")
def cases_panel(request, panels):
    if admin_views.can_view(request.user):
        panels.append(CasesPanel())


@hooks.register("register_log_actions")
def safeguarding_log_actions(actions):
    # A case's entries go to their own table, shown to leads only (see CaseLogEntryManager).
    actions.register_model(Case, CaseLogEntry)
    actions.register_action("safeguarding.case_viewed", "Safeguarding case viewed", "Viewed the case")
    actions.register_action("safeguarding.action", "Safeguarding action recorded", "Recorded an action")
    actions.register_action("safeguarding.closed", "Safeguarding case closed", "Closed the case")
    actions.register_action("safeguarding.reopened", "Safeguarding case reopened", "Reopened the case")
    actions.register_action(
        "safeguarding.escalated", "Safeguarding case escalated", "Escalated: not reviewed in time"
    )
