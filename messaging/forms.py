from django import forms
from phonenumber_field.formfields import PhoneNumberField
from phonenumbers import PhoneNumberType, number_type

from parentvoice.forms import CleanTextMixin, EmailAddressField
from parentvoice.models import District

from .choices import Channel, ParentRole, Purpose

CONSENT_WORDING = (
    "We will send you up to 2 texts or emails a month about the things you tick. Every message tells you "
    "how to stop them, and you can change your mind at any time."
)
PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")


class KeepMeInformedForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label="Your first name (optional)",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = EmailAddressField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
    )
    mobile = PhoneNumberField(
        label="UK mobile number (optional)",
        region="GB",
        required=False,
        help_text="For example, 07700 900 982",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": "Enter a UK mobile number, like 07700 900 982"},
    )
    purposes = forms.MultipleChoiceField(
        label="What do you want to hear about?",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=CONSENT_WORDING,
        error_messages={"required": "Select what you want to hear about"},
    )
    preferred_channel = forms.ChoiceField(
        label="How would you rather we contact you?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    district = forms.ModelChoiceField(
        label="Where do you live? (optional)",
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label="I'd rather not say",
    )
    role = forms.ChoiceField(
        label="Are you a… (optional)",
        choices=[*ParentRole.choices, PREFER_NOT],
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_role(self):
        role = self.cleaned_data["role"]
        return "" if role == PREFER_NOT[0] else role

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_mobile(self):
        mobile = self.cleaned_data.get("mobile")
        if mobile and number_type(mobile) not in (
            PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            raise forms.ValidationError("Enter a mobile number: we can only send texts to mobiles")
        return mobile.as_e164 if mobile else ""

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("mobile"):
            self.add_error("email", "Enter an email address or a mobile number, so we can contact you")
        return cleaned

    def channels(self):
        return [
            c
            for c, field in ((Channel.SMS, "mobile"), (Channel.EMAIL, "email"))
            if self.cleaned_data.get(field)
        ]


class PreferencesForm(forms.Form):
    """One group of checkboxes per channel the contact can be reached on."""

    def __init__(self, *args, channels, initial_state, **kwargs):
        super().__init__(*args, **kwargs)
        for channel in channels:
            self.fields[channel] = forms.MultipleChoiceField(
                label=f"By {Channel(channel).label.lower()}, send me:",
                choices=Purpose.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[p for p in Purpose.values if initial_state.get((channel, p))],
            )

    def wanted(self):
        return {(channel, purpose) for channel, purposes in self.cleaned_data.items() for purpose in purposes}
