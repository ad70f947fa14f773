"""The reach and equality dashboard in the Wagtail admin. Thin: `services.reach_dashboard` does the work."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from parentvoice.dates import govuk_date
from parentvoice.models import District
from surveys.models import ConsultationPage
from surveys.translations import english_pages

from . import services


def can_see_reach(user) -> bool:
    # Aggregate counts only, as the results pages: whoever may see consultation results.
    return user.has_perm("surveys.view_results")


class ReachFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.order_by("name"), required=False, empty_label="All of Kent"
    )
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 2026-04-01",
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 2026-06-30",
    )
    consultation = forms.ModelChoiceField(
        queryset=ConsultationPage.objects.order_by("-opens_at"),
        required=False,
        empty_label="All consultations, forum members and meetings",
        help_text="Choosing one consultation shows only its responses.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A translation's responses are its English page's: choosing it would show none.
        self.fields["consultation"].queryset = english_pages(ConsultationPage.objects.order_by("-opens_at"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The 'To' date must be the same as or after the 'From' date.")
        return cleaned


def _period(since, until) -> str:
    if since and until:
        return f"from {govuk_date(since)} to {govuk_date(until)}"
    if since:
        return f"from {govuk_date(since)}"
    if until:
        return f"up to {govuk_date(until)}"
    return "at any time"


def reach_view(request):
    if not can_see_reach(request.user):
        raise PermissionDenied
    form = ReachFilterForm(request.GET or None)
    reach, filters, consultation = None, {}, None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        consultation = data.get("consultation")
        filters = {
            "district": data.get("district"),
            "since": data.get("since"),
            "until": data.get("until"),
            "consultation_ids": [consultation.pk] if consultation else None,
        }
        reach = services.reach_dashboard(**filters)
    return TemplateResponse(
        request,
        "feedback_loop/admin/reach.html",
        {
            "form": form,
            "reach": reach,
            "period": _period(filters.get("since"), filters.get("until")),
            "consultation": consultation,
        },
    )
