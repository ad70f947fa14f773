from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from parentvoice.forms import CleanTextMixin
from parentvoice.phones import InvalidMobile, uk_mobile

from . import audiences, services
from .choices import SIGN_UP_PURPOSES, ParentRole, Purpose


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


class ContactForm(CleanTextMixin, WagtailAdminModelForm):
    """An officer's edit of a contact: the same UK-mobile check as every public form."""

    def clean_mobile(self):
        mobile = self.cleaned_data.get("mobile")
        if not mobile:
            return None
        try:
            return uk_mobile(str(mobile))
        except InvalidMobile as error:
            raise forms.ValidationError(str(error)) from error


class ContactImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: name, email, mobile, district, parent_role.")
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
