"""The public 'Tell us' form and the officer's 'Record something a parent told us' form."""

from django import forms

from parentvoice.forms import CleanTextMixin, EmailAddressField, HoneypotMixin, UKMobileField
from parentvoice.models import District

from .models import OFFICER_SOURCES, OpenFeedbackSource
from .services.tell_us import TEXT_MAX_LENGTH

TEXT_ERRORS = {
    "required": "Enter what you want to tell us",
    "max_length": f"What you tell us must be {TEXT_MAX_LENGTH:,} characters or fewer",
}


class _TextMixin(forms.Form):
    text = forms.CharField(
        label="What do you want to tell us?",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=TEXT_ERRORS,
    )
    district = forms.ModelChoiceField(
        label="Your district (optional)",
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label="Choose a district",
        to_field_name="slug",
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(TEXT_ERRORS["required"])
        return text


class TellUsForm(CleanTextMixin, HoneypotMixin, _TextMixin):
    email = EmailAddressField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
    )
    mobile = UKMobileField(
        label="UK mobile number (optional)", required=False, help_text="For example, 07700 900 982"
    )

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


class RecordOpenFeedbackForm(CleanTextMixin, _TextMixin):
    source = forms.ChoiceField(
        label="Where did you hear it?",
        choices=[(s.value, s.label) for s in OpenFeedbackSource if s in OFFICER_SOURCES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where you heard it"},
    )
    field_order = ["source", "district", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "What did they tell you?"
        self.fields["text"].help_text = "In their words where you can. Leave out names and contact details."
        self.fields["district"].label = "District (optional)"
