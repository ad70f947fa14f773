"""The action plan's snippets in the admin: "Action plan" > Priorities and Actions.

Each list is a fixed number of queries however many rows it has: an action's status is its latest
progress report, annotated by `services.actions_with_status` (a subquery, not a query per row)."""

import re

import django_filters
from django.db.models import Count
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, NumberColumn, StatusTagColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from parentvoice.dates import govuk_date

from . import services
from .choices import NOT_REPORTED, NOT_REPORTED_LABEL, RagStatus
from .forms import ActionForm, PriorityForm
from .models import Action, Priority

# "1.3" finds action 3 of priority 1.
REFERENCE = re.compile(r"\s*(\d{1,4})\.(\d{1,4})\s*")


class PriorityViewSet(SnippetViewSet):
    model = Priority
    icon = "list-ol"
    edit_handler = ObjectList(Priority.panels, base_form_class=PriorityForm)
    menu_label = "Priorities"
    list_display = [
        "number",
        "title",
        Column("lead_job_title", label="Lead"),
        NumberColumn("action_count", label="Actions", sort_key="action_count"),
    ]
    search_fields = ["title", "lead_job_title"]
    search_backend_name = None
    ordering = ["number"]

    def get_queryset(self, request):
        return Priority.objects.annotate(action_count=Count("actions"))


def _status_label(action) -> str:
    return services.status_label(action.latest_status)


def report_due_text(action, today=None) -> str:
    """'Overdue: due 3 March 2026', 'Due 3 June 2026', or 'No more reports' once complete."""
    due = services.report_due_on(action)
    if due is None:
        return "No more reports (complete)"
    if due < (today or timezone.localdate()):
        return f"Overdue: due {govuk_date(due)}"
    return f"Due {govuk_date(due)}"


class ActionFilterSet(WagtailFilterSet):
    priority = django_filters.ModelChoiceFilter(
        label="Priority", queryset=Priority.objects.all(), empty_label="All priorities"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[*RagStatus.choices, (NOT_REPORTED, NOT_REPORTED_LABEL)],
        method="filter_status",
        empty_label="Any status",
    )

    class Meta:
        model = Action
        fields = ["priority"]

    def filter_status(self, queryset, name, value):
        if value == NOT_REPORTED:
            return queryset.filter(latest_status__isnull=True)
        return queryset.filter(latest_status=value)


class ActionIndexView(IndexView):
    def search_queryset(self, queryset):
        """A reference such as "1.3" finds that action; anything else searches the text and lead."""
        match = REFERENCE.fullmatch(self.search_query or "")
        if match:
            return queryset.filter(priority__number=int(match[1]), number=int(match[2]))
        return super().search_queryset(queryset)


class ActionViewSet(SnippetViewSet):
    model = Action
    icon = "tasks"
    menu_label = "Actions"
    index_view_class = ActionIndexView
    edit_handler = ObjectList(Action.panels, base_form_class=ActionForm)
    list_display = [
        "reference",
        Column("text", label="Action", accessor=lambda action: Truncator(action.text).chars(140)),
        Column("lead_job_title", label="Lead"),
        Column("due_on", label="Due by", accessor=lambda action: govuk_date(action.due_on) or "–"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor=_status_label,
            primary=lambda action: action.latest_status in (RagStatus.RED, RagStatus.AMBER),
        ),
        Column("report_due", label="Next report", accessor=report_due_text),
    ]
    filterset_class = ActionFilterSet
    search_fields = ["text", "lead_job_title", "partners"]
    search_backend_name = None
    ordering = ["priority__number", "number"]

    def get_queryset(self, request):
        return services.actions_with_status(Action.objects.select_related("priority"))


class ActionPlanGroup(SnippetViewSetGroup):
    items = (PriorityViewSet, ActionViewSet)
    menu_label = "Action plan"
    menu_icon = "tasks"
    menu_order = 262
