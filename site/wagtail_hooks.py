from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import District


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = "Districts"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "ons_code"]
    search_fields = ["name", "ons_code"]


register_snippet(DistrictViewSet)
