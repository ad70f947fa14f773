"""The beta banner's "Give feedback on this website" form: anonymous, rate limited, stored for staff."""

from django import forms
from django.db import transaction

from .forms import CleanTextMixin, EmailAddressField, HoneypotMixin
from .models import SiteFeedback
from .safeguarding.services import screen_in_a_task


class SiteFeedbackForm(CleanTextMixin, HoneypotMixin, forms.ModelForm):
    trying_to_do = forms.CharField(
        label="What were you trying to do?",
        help_text="For example, book a place at a parent forum meeting. Do not include personal details.",
        max_length=SiteFeedback.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what you were trying to do",
            "max_length": f"What you were trying to do must be {SiteFeedback.TEXT_MAX_LENGTH} characters or fewer",
        },
    )
    ease = forms.ChoiceField(
        label="How easy was it?",
        choices=SiteFeedback.Ease.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how easy it was"},
    )
    improve = forms.CharField(
        label="How could we make it better? (optional)",
        help_text="Do not include personal details.",
        required=False,
        max_length=SiteFeedback.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"How we could make it better must be {SiteFeedback.TEXT_MAX_LENGTH} characters or fewer",
        },
    )
    email = EmailAddressField(
        label="Email address (optional)",
        help_text="Only if you would like a reply. We will not use it for anything else.",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
    )

    class Meta:
        model = SiteFeedback
        fields = ["trying_to_do", "ease", "improve", "email"]

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():  # the screening task's row commits with the feedback
            feedback = super().save()
            screen_in_a_task("parentvoice.site_feedback", feedback.pk)  # both answers, in its own words
        return feedback

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()
