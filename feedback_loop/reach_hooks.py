"""Admin hooks for reach and equality (imported by wagtail_hooks): the "Reach" menu with the dashboard
and the benchmarks officers enter (the ReachBenchmark snippet, its group checked against the
dimension's answers)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from parentvoice.forms import CleanTextMixin
from surveys.models import ReachBenchmark

from . import reach_views, services


class ReachBenchmarkForm(CleanTextMixin, WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        value = (cleaned.get("value") or "").strip()
        cleaned["value"] = value
        problem = services.benchmark_value_problem(cleaned.get("dimension") or "", value)
        if problem:
            self.add_error("value", problem)
        return cleaned


class ReachBenchmarkViewSet(SnippetViewSet):
    model = ReachBenchmark
    icon = "group"
    menu_label = "Benchmarks"
    add_to_admin_menu = False  # listed in the "Reach" menu below
    edit_handler = ObjectList(ReachBenchmark.panels, base_form_class=ReachBenchmarkForm)
    list_display = ["dimension", "value", "share", "district", "source"]
    list_filter = ["dimension", "district"]

    def get_queryset(self, request):
        return ReachBenchmark.objects.select_related("district")


register_snippet(ReachBenchmarkViewSet)


@hooks.register("register_admin_urls")
def reach_admin_urls():
    return [path("reach/", reach_views.reach_view, name="feedback_reach")]


class ReachMenuItem(MenuItem):
    def is_shown(self, request):
        return reach_views.can_see_reach(request.user)


class BenchmarksMenuItem(MenuItem):
    def is_shown(self, request):
        return any(
            request.user.has_perm(f"surveys.{action}_reachbenchmark") for action in ("view", "add", "change")
        )


@hooks.register("register_admin_menu_item")
def reach_menu_item():
    return SubmenuMenuItem(
        "Reach",
        Menu(
            items=[
                ReachMenuItem("Reach and equality", reverse("feedback_reach"), icon_name="group", order=1),
                BenchmarksMenuItem(
                    "Benchmarks",
                    reverse("wagtailsnippets_surveys_reachbenchmark:list"),
                    icon_name="group",
                    order=2,
                ),
            ]
        ),
        icon_name="group",
        order=292,
    )
