"""'Partner links' on a consultation, in the Wagtail admin. Thin: partners.py does the work."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from . import partners
from .models import ConsultationPage


def can_see_links(user) -> bool:
    return user.is_active and user.has_perm("surveys.view_partnerlink")


def can_add_links(user) -> bool:
    return user.is_active and user.has_perm("surveys.add_partnerlink")


class PartnerLinkForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partner",
        queryset=None,
        empty_label="Choose a partner",
        error_messages={
            "required": "Choose a partner",
            "invalid_choice": "Choose a partner that does not have a link to this consultation yet",
        },
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners.partners_without_link(page)


@require_http_methods(["GET", "POST"])
def partner_links(request, page_id):
    if not can_see_links(request.user):
        raise PermissionDenied
    # A translation's partner links are the English page's (one result set).
    page = get_object_or_404(ConsultationPage, pk=page_id).source_page
    can_add = can_add_links(request.user)
    form = PartnerLinkForm(request.POST or None, page=page) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            partner = form.cleaned_data["partner"]
            try:
                partners.create_link(page, partner)
            except partners.PartnerLinkExists:
                messages.error(request, f"{partner} already has a link to this consultation.")
            else:
                messages.success(request, f"Link made for {partner}. Copy it from the table below.")
            return redirect("surveys_partner_links", page_id=page.pk)
    return TemplateResponse(
        request,
        "surveys/admin/partners/links.html",
        {
            "page": page,
            "rows": partners.link_rows(page),
            "form": form,
            "can_add_partner": request.user.has_perm("surveys.add_partner"),
        },
        status=400 if form is not None and form.errors else 200,
    )
