from django.http import Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import languages, page_cache
from .models import District, SiteFeedback
from .privacy.columns import ContactDetailColumn


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = "Districts"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "ons_code"]
    search_fields = ["name", "ons_code"]


register_snippet(DistrictViewSet)


def _held_feedback():
    from django.db.models import Exists, OuterRef

    from .safeguarding.services import held_ids

    return Exists(held_ids("parentvoice.site_feedback").filter(source_id=OuterRef("pk")))


class SiteFeedbackIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(held=_held_feedback())


class SiteFeedbackInspectView(generic.InspectView):
    """Words held for safeguarding review read HELD_TEXT; the rest can be flagged."""

    template_name = "parentvoice/admin/site_feedback_inspect.html"

    def _held(self):
        from .safeguarding.services import is_held

        return is_held("parentvoice.site_feedback", self.object.pk)

    def get_trying_to_do_display_value(self):
        from .safeguarding.services import HELD_TEXT

        return HELD_TEXT if self._held() else self.object.trying_to_do

    def get_improve_display_value(self):
        from .safeguarding.services import HELD_TEXT

        return HELD_TEXT if self._held() else self.object.improve

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_be_flagged"] = not self._held()
        return context


def _trying_to_do(feedback):
    from .safeguarding.services import HELD_TEXT

    return HELD_TEXT if getattr(feedback, "held", False) else feedback.trying_to_do


class SiteFeedbackViewSet(ModelViewSet):
    """Website feedback, read by staff with `parentvoice.view_sitefeedback` (Consultation officers).
    Read-only: people's words are kept as they sent them; only deleting is allowed."""

    model = SiteFeedback
    icon = "comment"
    menu_label = "Website feedback"
    add_to_admin_menu = True
    menu_order = 310
    inspect_view_enabled = True
    index_view_class = SiteFeedbackIndexView
    inspect_view_class = SiteFeedbackInspectView
    list_display = [
        Column("created_at", label="Received", accessor="get_created_at_display"),
        Column("ease", label="How easy", accessor="get_ease_display"),
        Column("trying_to_do", label="Trying to do", accessor=_trying_to_do),
        ContactDetailColumn("email", label="Reply to"),  # masked without privacy.view_contact_details
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


@hooks.register("on_serve_page")
def serve_pages_in_their_own_language(serve):
    """A page is served only at its own language's address, and a translation only while its English
    page is live, behind the English page's restrictions as well as its own (docs/languages.md)."""

    def inner(page, request, serve_args, serve_kwargs):
        if languages.served_in_another_language(page) or languages.english_version_withdrawn(page):
            raise Http404("No such page in this language")
        restrictions = list(languages.english_view_restrictions(page) or ())
        for restriction in restrictions:
            if not restriction.accept_request(request):
                return _restricted_response(page, request, restriction)
        response = serve(page, request, serve_args, serve_kwargs)
        if restrictions:
            add_never_cache_headers(response)  # a private page must not be kept by a shared cache
        return response

    return inner


def _restricted_response(page, request, restriction):
    """As Wagtail answers for a page's own restrictions (wagtail.wagtail_hooks.check_view_restrictions)."""
    if restriction.restriction_type == restriction.PASSWORD:
        from wagtail.forms import PasswordViewRestrictionForm

        form = PasswordViewRestrictionForm(
            instance=restriction, initial={"return_url": request.get_full_path()}
        )
        action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
        response = page.serve_password_required_response(request, form, action_url)
    else:
        from wagtail.wagtail_hooks import require_wagtail_login

        response = require_wagtail_login(next=request.get_full_path())
    add_never_cache_headers(response)
    return response


# A private or password page is never put in the public page cache (parentvoice.page_cache).
hooks.register("before_serve_page", page_cache.refuse_restricted_pages)
