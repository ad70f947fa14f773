"""The public 'Tell us' form and the officer's 'Record something a parent told us' form."""

from django import forms

from parentvoice.forms import CleanTextMixin, ContactDetailsMixin, HoneypotMixin
from parentvoice.models import District

from .models import OFFICER_SOURCES, OpenFeedbackSource
from .services.tell_us import HEAR_BACK_WORDING, TEXT_MAX_LENGTH

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


class TellUsForm(CleanTextMixin, HoneypotMixin, ContactDetailsMixin, _TextMixin):
    contact_required = False  # an address only to hear back, and only if they want to


class RecordOpenFeedbackForm(CleanTextMixin, ContactDetailsMixin, _TextMixin):
    """What an officer heard and, if the parent asked to be told what happens and agreed to the
    wording read to them, the address they gave (confirmed by its owner before anything is sent)."""

    contact_required = False
    source = forms.ChoiceField(
        label="Where did you hear it?",
        choices=[(s.value, s.label) for s in OpenFeedbackSource if s in OFFICER_SOURCES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where you heard it"},
    )
    hear_back = forms.BooleanField(
        label="They asked to be told what happens",
        required=False,
        help_text=f"Tick only if you read them this and they agreed: \u201c{HEAR_BACK_WORDING}\u201d",
    )
    field_order = ["source", "district", "text", "hear_back", "email", "mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "What did they tell you?"
        self.fields[
            "text"
        ].help_text = (
            "In their words where you can. Leave out names and contact details: their address goes below."
        )
        self.fields["district"].label = "District (optional)"
        self.fields["email"].label = "Their email address (if they asked to be told)"
        self.fields["mobile"].label = "Their UK mobile number (if they asked to be told)"

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("email") or cleaned.get("mobile")
        if cleaned.get("hear_back"):
            if not given and "email" not in self.errors and "mobile" not in self.errors:
                self.add_error("email", "Enter the email address or mobile number they gave, to tell them")
        elif given:
            # Nothing of who said it is kept unless they asked to hear back.
            self.add_error(
                "hear_back",
                "Tick this if they asked to be told what happens, or remove their email address and "
                "mobile number",
            )
        return cleaned

    def hear_back_addresses(self) -> list[tuple[str, str]]:
        """(channel, address) for each address given, when they asked to be told."""
        if not self.cleaned_data.get("hear_back"):
            return []
        data = self.cleaned_data
        return [(c, data[f]) for c, f in (("email", "email"), ("sms", "mobile")) if data.get(f)]
