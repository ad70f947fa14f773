"""Admin hooks for partners and their links (imported by wagtail_hooks): the Partners snippet, and
"Partner links" on each consultation for officers."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from parentvoice.admin_buttons import register_page_buttons
from parentvoice.forms import CleanTextMixin

from . import partner_admin_views
from .models import ConsultationPage, Partner


class PartnerForm(CleanTextMixin, WagtailAdminModelForm):
    """A partner's name loses control characters and direction overrides (it is shown in lists,
    reports and downloads)."""


class PartnerViewSet(SnippetViewSet):
    model = Partner
    edit_handler = ObjectList(Partner.panels, base_form_class=PartnerForm)
    icon = "group"
    menu_label = "Partners"
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]


register_snippet(PartnerViewSet)


@hooks.register("register_admin_urls")
def partner_admin_urls():
    return [
        path(
            "consultations/<int:page_id>/partner-links/",
            partner_admin_views.partner_links,
            name="surveys_partner_links",
        ),
    ]


@register_page_buttons
def _partner_link_buttons(page, user):
    if not isinstance(page.specific_deferred, ConsultationPage):
        return []
    if not partner_admin_views.can_see_links(user):
        return []
    return [("Partner links", reverse("surveys_partner_links", args=[page.pk]), 9)]
