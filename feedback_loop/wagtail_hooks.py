from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, NumberColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from forums.models import EventPage
from parentvoice.admin_buttons import register_page_buttons
from parentvoice.text import is_ascii_digits
from surveys.models import ConsultationPage

from . import admin_views, services
from .forms import DecisionForm, FeedbackItemForm
from .models import Decision, FeedbackItem, Theme


class FeedbackItemCreateView(CreateView):
    """'Add a You said item' from a consultation's or a meeting's page starts with it chosen."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        for field, model in (("consultation", ConsultationPage), ("event", EventPage)):
            page_id = self.request.GET.get(field, "")
            if is_ascii_digits(page_id):
                instance = instance or self.model()
                setattr(instance, field, model.objects.filter(pk=int(page_id)).first())
        return instance


def _source(item):
    source = item.consultation or item.event
    return source.title if source else item.source_title  # "Parents told us"


class FeedbackItemViewSet(SnippetViewSet):
    model = FeedbackItem
    icon = "openquote"
    menu_label = "You said"
    add_view_class = FeedbackItemCreateView
    edit_handler = ObjectList(FeedbackItem.panels, base_form_class=FeedbackItemForm)
    list_display = [
        "summary",
        "theme",
        Column("source", label="Where", accessor=_source),
        NumberColumn("response_count", label="People"),
        LiveStatusTagColumn(),
    ]
    list_filter = ["theme", "live"]
    search_fields = ["summary"]

    def get_queryset(self, request):
        return FeedbackItem.objects.select_related("theme", "consultation", "event")


class DecisionViewSet(SnippetViewSet):
    model = Decision
    icon = "tick-inverse"
    menu_label = "We did"
    edit_handler = ObjectList(Decision.panels, base_form_class=DecisionForm)
    list_display = [
        "summary",
        "status",
        "decided_on",
        "due_on",
        LiveStatusTagColumn(),
        NumberColumn("told", label="Parents told"),
    ]
    list_filter = ["status", "live"]
    search_fields = ["summary"]

    def get_queryset(self, request):
        return services.with_told_counts(Decision.objects.all())


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "slug"]


class YouSaidWeDidGroup(SnippetViewSetGroup):
    items = (FeedbackItemViewSet, DecisionViewSet, ThemeViewSet)
    menu_label = "You said, we did"
    menu_icon = "openquote"
    menu_order = 260


register_snippet(YouSaidWeDidGroup)


@hooks.register("register_admin_urls")
def feedback_admin_urls():
    return [
        path("feedback/", admin_views.dashboard, name="feedback_dashboard"),
        path("feedback/briefing/<int:page_id>/", admin_views.briefing_view, name="feedback_briefing"),
        path(
            "feedback/briefing/<int:page_id>/pdf/",
            admin_views.briefing_pdf_view,
            name="feedback_briefing_pdf",
        ),
        path("feedback/consultations/<int:page_id>/close/", admin_views.close_view, name="feedback_close"),
        path("feedback/consultations/<int:page_id>/reopen/", admin_views.reopen_view, name="feedback_reopen"),
        path("feedback/decisions/<int:decision_id>/tell/", admin_views.tell_view, name="feedback_tell"),
        path(
            "feedback/decisions/versions/<int:revision_id>/publish/",
            admin_views.confirm_publish_view,
            name="feedback_decision_publish",
        ),
    ]


@hooks.register("before_publish")
def confirm_before_telling(request, instance):
    """Publishing a decision that tells people (the first time it reaches its status) first shows
    who and what on a confirmation screen. The version being published is already saved as a draft;
    the screen publishes it."""
    if not isinstance(instance, Decision) or not services.will_notify(instance):
        return None
    revision = instance.latest_revision
    if revision is None:
        return None
    return redirect("feedback_decision_publish", revision_id=revision.pk)


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return DashboardMenuItem(
        "Feedback dashboard", reverse("feedback_dashboard"), icon_name="doc-full", order=251
    )


class OverduePanel(Component):
    name = "feedback_overdue"
    order = 90
    template_name = "feedback_loop/admin/home_panel.html"

    def get_context_data(self, parent_context=None):
        request = (parent_context or {}).get("request")
        sees_action_plan = request is not None and request.user.has_perm("feedback_loop.view_action")
        return {
            "overdue": services.overdue_items().count(),
            "overdue_decisions": services.overdue_decisions().count(),
            "sees_action_plan": sees_action_plan,
            "actions_overdue": len(services.actions_overdue_for_report()) if sees_action_plan else 0,
            "dashboard_url": reverse("feedback_dashboard"),
        }


@hooks.register("construct_homepage_panels")
def overdue_panel(request, panels):
    if admin_views.can_see_dashboard(request.user):
        panels.append(OverduePanel())


@hooks.register("register_log_actions")
def feedback_log_actions(actions):
    actions.register_action("feedback.closed", "Closed with feedback", "Closed with feedback")
    actions.register_action("feedback.reopened", "Reopened for feedback", "Reopened for feedback")
    actions.register_action("feedback.outcome_notice", "Parents told", "Parents told about the decision")


@register_page_buttons
def _feedback_buttons(page, user):
    specific = page.specific_deferred
    add_url = reverse("wagtailsnippets_feedback_loop_feedbackitem:add")
    can_add = user.has_perm("feedback_loop.add_feedbackitem")
    if isinstance(specific, ConsultationPage) and admin_views.can_see_dashboard(user):
        buttons = [("Briefing for decision makers", reverse("feedback_briefing", args=[page.pk]), 9)]
        if can_add:
            buttons.append(("Add a 'You said' item", f"{add_url}?consultation={page.pk}", 10))
        return buttons
    if isinstance(specific, EventPage) and can_add:
        return [("Add a 'You said' item", f"{add_url}?event={page.pk}", 10)]
    return []


@hooks.register("parentvoice_home_sections")
def latest_decisions(request):
    page = services.log_page()
    if page is None:
        return {}
    items = [
        {
            "title": decision.summary,
            "url": page.decision_url(decision.pk, request=request),
            "meta": decision.get_status_display(),
        }
        for decision in services.latest_decisions(with_items=False)
    ]
    return {
        "decisions": {
            "items": items,
            "more_url": page.get_url(request=request),
            "more_text": "See everything parents said and what we did",
        }
    }


@hooks.register("parentvoice_home_sections")
def tell_us_link(request):
    # 'Tell us' is open all year, whether or not a consultation is.
    return {
        "consultations": {
            "extra_before": "Something on your mind?",
            "extra_url": reverse("feedback_loop:tell_us"),
            "extra_text": "Tell us at any time",
        }
    }


@hooks.register("parentvoice_consultation_sections")
def consultation_outcomes(consultation):
    entries = services.consultation_entries(consultation)
    if not entries:
        return None
    page = services.log_page()
    return {
        "template": "feedback_loop/includes/consultation_outcomes.html",
        "entries": entries,
        "log_page": page,
        # Shown only while still true: a decision may have been unpublished since.
        "closed_with_feedback": hasattr(consultation, "feedback_closure")
        and all(entry.live_decisions for entry in entries),
    }


@hooks.register("parentvoice_point_outcomes")
def forum_point_outcomes(points):
    page = services.log_page()
    if page is None:
        return {}
    return {
        key: [{"status": d.get_status_display(), "url": page.decision_url(d.pk)} for d in decisions]
        for key, decisions in services.point_outcomes(points).items()
    }


# The action plan, reports and reach register their own admin views and menus.
from . import action_plan_hooks, reach_hooks, report_hooks, tell_us_admin  # noqa: E402, F401
