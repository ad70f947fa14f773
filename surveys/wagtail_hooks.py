from django.utils import timezone
from wagtail import hooks
from wagtail.models import Locale

from parentvoice.admin_buttons import register_page_buttons
from parentvoice.dates import govuk_date

from .models import ConsultationPage


@hooks.register("parentvoice_home_sections")
def open_consultations(request):
    """Each open consultation once, in the home page's language where it is published in it, else in
    English (a translation is the same consultation: listing it again in every language would not be)."""
    now = timezone.now()
    open_now = ConsultationPage.objects.live().public().filter(opens_at__lte=now, closes_at__gt=now)
    in_language = open_now.filter(locale=Locale.get_active())
    in_english = open_now.filter(locale=Locale.get_default()).exclude(
        translation_key__in=in_language.values("translation_key")
    )
    consultations = (
        (in_language | in_english).order_by("closes_at").only("title", "url_path", "closes_at")[:5]
    )
    items = [
        {"title": c.title, "url": c.get_url(request=request), "meta": f"Closes {govuk_date(c.closes_at)}"}
        for c in consultations
    ]
    return {"consultations": {"items": items}}


@hooks.register("register_admin_urls")
def consultation_admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("consultations/<int:page_id>/results/", admin_views.results_view, name="surveys_results"),
        path(
            "consultations/<int:page_id>/results/free-text/<str:question_id>/",
            admin_views.free_text_view,
            name="surveys_free_text",
        ),
        path("consultations/<int:page_id>/export.csv", admin_views.export_csv, name="surveys_export_csv"),
        path("consultations/<int:page_id>/export.xlsx", admin_views.export_xlsx, name="surveys_export_xlsx"),
        path("consultations/<int:page_id>/paper/", admin_views.paper_entry, name="surveys_paper_entry"),
        path("consultations/<int:page_id>/texts/", admin_views.sms_conversations_view, name="surveys_sms"),
        path(
            "consultations/<int:page_id>/invite/", admin_views.invite_parents, name="surveys_invite_parents"
        ),
        path(
            "consultations/<int:page_id>/texts/<int:conversation_id>/",
            admin_views.sms_conversation_view,
            name="surveys_sms_conversation",
        ),
    ]


@register_page_buttons
def _consultation_buttons(page, user):
    from django.urls import reverse

    from . import admin_views

    if not isinstance(page.specific_deferred, ConsultationPage):
        return []
    buttons = []
    if user.has_perm("messaging.add_campaign"):
        buttons.append(("Invite parents", reverse("surveys_invite_parents", args=[page.pk]), 4))
    if not admin_views.can_see_results(user):
        return buttons
    buttons.append(("Results", reverse("surveys_results", args=[page.pk]), 5))
    if admin_views.can_enter_paper(user):
        buttons.append(("Enter a paper response", reverse("surveys_paper_entry", args=[page.pk]), 6))
    if admin_views.can_see_responses(user):
        buttons += [
            ("Text message answers", reverse("surveys_sms", args=[page.pk]), 6),
            ("Download responses (CSV)", reverse("surveys_export_csv", args=[page.pk]), 7),
            ("Download responses (Excel)", reverse("surveys_export_xlsx", args=[page.pk]), 8),
        ]
    return buttons


from . import partner_hooks  # noqa: E402, F401
