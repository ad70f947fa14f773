from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import District, SiteFeedback


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = "Districts"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "ons_code"]
    search_fields = ["name", "ons_code"]


register_snippet(DistrictViewSet)


class SiteFeedbackViewSet(ModelViewSet):
    """Website feedback, read by staff with `parentvoice.view_sitefeedback` (Consultation officers).
    Read-only: people's words are kept as they sent them; only deleting is allowed."""

    model = SiteFeedback
    icon = "comment"
    menu_label = "Website feedback"
    add_to_admin_menu = True
    menu_order = 310
    inspect_view_enabled = True
    list_display = [
        Column("created_at", label="Received", accessor="get_created_at_display"),
        Column("ease", label="How easy", accessor="get_ease_display"),
        Column("trying_to_do", label="Trying to do", accessor="trying_to_do"),
    ]
    list_filter = ["ease"]
    inspect_view_fields = ["created_at", "trying_to_do", "ease", "improve", "email"]
    form_fields = ["trying_to_do", "ease", "improve", "email"]  # required by Wagtail; never shown

    def get_urlpatterns(self):
        # No add or edit views: nobody writes feedback on the public's behalf or changes it.
        return [p for p in super().get_urlpatterns() if p.name not in {"add", "edit"}]


@hooks.register("register_admin_viewset")
def register_site_feedback_viewset():
    return SiteFeedbackViewSet("site_feedback")
