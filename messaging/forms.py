from django import forms

from parentvoice.forms import CleanTextMixin, ContactDetailsMixin, HoneypotMixin
from parentvoice.models import District

from .choices import SIGN_UP_PURPOSES, Channel, ParentRole
from .services.consent import purposes_to_offer

CONSENT_WORDING = (
    "We will send you up to 2 texts or emails a month about the things you tick. Every message tells you "
    "how to stop them, and you can change your mind at any time."
)
PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")


class KeepMeInformedForm(CleanTextMixin, HoneypotMixin, ContactDetailsMixin):
    field_order = ["name", "email", "mobile", "purposes", "preferred_channel", "district", "role"]

    name = forms.CharField(
        label="Your first name (optional)",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    purposes = forms.MultipleChoiceField(
        label="What do you want to hear about?",
        choices=[(p.value, p.label) for p in SIGN_UP_PURPOSES],
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


class PreferencesForm(forms.Form):
    """One group of checkboxes per channel the contact can be reached on."""

    def __init__(self, *args, channels, initial_state, **kwargs):
        super().__init__(*args, **kwargs)
        for channel in channels:
            offered = purposes_to_offer(channel, initial_state)  # forum business only while they have it
            self.fields[channel] = forms.MultipleChoiceField(
                label=f"By {Channel(channel).label.lower()}, send me:",
                choices=[(p.value, p.label) for p in offered],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[p for p in offered if initial_state.get((channel, p))],
            )

    def wanted(self):
        return {(channel, purpose) for channel, purposes in self.cleaned_data.items() for purpose in purposes}
