from django import forms
from django.conf import settings
from wagtail.admin.forms import WagtailAdminModelForm

from parentvoice.forms import CleanTextMixin
from parentvoice.languages import best_match, language_choices
from parentvoice.phones import InvalidMobile, uk_mobile

from . import audiences, services
from .campaign_wording import translation_languages
from .choices import SIGN_UP_PURPOSES, ParentRole, Purpose
from .models import CampaignTranslation


class CampaignForm(WagtailAdminModelForm):
    audience_roles = forms.MultipleChoiceField(
        label="Parent roles",
        choices=ParentRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to include everyone.",
    )
    # Chosen from a list, never typed: a value that is not one of the choices is refused.
    audience_source = forms.ChoiceField(
        label="Only people on this list",
        required=False,
        help_text="The members of a parent forum, or the people in an imported list. "
        "The districts and roles above narrow it further.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "No list: everyone who agreed"), *audiences.audience_choices()]
        current = self.instance.audience_source if self.instance else ""
        offered = {value for _, options in choices[1:] for value, _ in options}
        if current and current not in offered:
            # Set by the service (e.g. a decision's people, a reminder's): kept, not offered to others.
            choices.append((current, audiences.describe_audience(current)))
        self.fields["audience_source"].choices = choices
        if "purpose" in self.fields:
            # Forum business goes to a practitioners' forum's members, from its notices, never to a
            # campaign of everyone who has it; a notice's own campaign keeps its purpose.
            kept = self.instance.purpose if self.instance and self.instance.pk else ""
            self.fields["purpose"].choices = [
                (value, label)
                for value, label in self.fields["purpose"].choices
                if value != Purpose.FORUM_BUSINESS or value == kept
            ]

    def clean(self):
        cleaned = super().clean()
        days = cleaned.get("reminder_days_before")
        if days is not None and "reminder_days_before" in self.fields:
            problem = services.reminder_problem(self.instance.link_personaliser, days, cleaned.get("send_at"))
            if problem:
                self.add_error("reminder_days_before", problem)
        return cleaned


class CampaignTranslationForm(CleanTextMixin, forms.ModelForm):
    """A campaign's wording in one language. The checks (the same ((…)) as the English, each channel
    the campaign sends written) are the service's: the view adds its problems to this form."""

    class Meta:
        model = CampaignTranslation
        fields = ["title", "sms_template", "email_subject", "email_template"]
        labels = {
            "title": "Title",
            "sms_template": "Text message",
            "email_subject": "Email subject",
            "email_template": "Email",
        }
        help_texts = {
            "title": "Shown where the wording says ((title)). Leave empty to use the English title.",
            "sms_template": "Keep ((name)), ((title)) and ((link)) in English, as the English text has "
            "them. The sender's name and the opt-out, in this language, are added.",
            "email_template": "Keep ((name)), ((title)) and ((link)) in English. The links to change "
            "preferences or unsubscribe, in this language, are added at the end.",
        }
        widgets = {
            "sms_template": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "email_template": forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "email_subject": forms.TextInput(attrs={"dir": "auto"}),
        }


class AddCampaignLanguageForm(forms.Form):
    language = forms.ChoiceField(label="Add a language", choices=())

    def __init__(self, *args, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, name) for code, name in translation_languages() if code not in set(taken)
        ]


class LanguageChoiceField(forms.ChoiceField):
    """One of settings.LANGUAGES; a code written another way ("en", "pl-PL", "PL") is read as the
    language it names, as the CSV import reads it."""

    def __init__(self, **kwargs):
        super().__init__(choices=language_choices, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return best_match(value, [code for code, _ in language_choices()]) or value


class ContactForm(CleanTextMixin, WagtailAdminModelForm):
    """An officer's edit of a contact: the same UK-mobile check as every public form. The language
    is chosen from the languages we send messages in (settings.LANGUAGES)."""

    language = LanguageChoiceField(
        label="Language for messages",
        help_text="They get a campaign in this language when it has been translated into it, "
        "and in English otherwise.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [code for code, _ in language_choices()]
        # Stored before this was a list ("en", "pl-PL"): shown as the language it matches.
        stored = self.instance.language if self.instance and self.instance.pk else ""
        self.initial["language"] = best_match(stored, codes) or settings.LANGUAGE_CODE

    def clean_mobile(self):
        mobile = self.cleaned_data.get("mobile")
        if not mobile:
            return None
        try:
            return uk_mobile(str(mobile))
        except InvalidMobile as error:
            raise forms.ValidationError(str(error)) from error


class ContactImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, mobile, district, parent_role and, if you have it, language.",
    )
    purposes = forms.MultipleChoiceField(
        label="What these people agreed to hear about",
        # Forum business is only ever agreed to by joining a practitioners' forum with a work address.
        choices=[(p.value, p.label) for p in SIGN_UP_PURPOSES],
        widget=forms.CheckboxSelectMultiple,
    )
    consent_wording = forms.CharField(
        label="What they agreed to, and where",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: 'Paper form at the Dover parent forum, 3 March 2026: texts about consultations'.",
    )
