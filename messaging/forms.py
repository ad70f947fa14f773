from django import forms
from django.conf import settings

from parentvoice.forms import CleanTextMixin, ContactDetailsMixin, HoneypotMixin
from parentvoice.languages import is_rtl, language_choices
from parentvoice.models import District

from .choices import SIGN_UP_PURPOSES, Channel, ParentRole
from .services.consent import purposes_to_offer

CONSENT_WORDING = (
    "We will send you up to 2 texts or emails a month about the things you tick. Every message tells you "
    "how to stop them, and you can change your mind at any time."
)
PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")


class LanguageSelect(forms.Select):
    """Each language is named in itself, so each option says which language it is in: screen
    readers then read "Polski" in Polish and "اردو" right to left."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
            if is_rtl(value):
                option["attrs"]["dir"] = "rtl"
        return option


class MessageLanguageField(forms.ChoiceField):
    """ "Which language would you like messages in?": one of settings.LANGUAGES, English unless chosen.
    Used by every public form that signs someone up (keep me informed, joining a forum)."""

    widget = LanguageSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Which language would you like messages in? (optional)")
        kwargs.setdefault(
            "help_text",
            "We send messages in this language when we have written them in it, and in English otherwise.",
        )
        super().__init__(choices=language_choices, required=False, initial=settings.LANGUAGE_CODE, **kwargs)

    def clean(self, value):
        return super().clean(value) or settings.LANGUAGE_CODE


class KeepMeInformedForm(CleanTextMixin, HoneypotMixin, ContactDetailsMixin):
    field_order = ["name", "email", "mobile", "purposes", "preferred_channel", "language", "district", "role"]

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
    language = MessageLanguageField()
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
