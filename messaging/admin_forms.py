from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from parentvoice.forms import CleanTextMixin
from parentvoice.phones import InvalidMobile, uk_mobile

from .choices import ParentRole, Purpose


class CampaignForm(WagtailAdminModelForm):
    audience_roles = forms.MultipleChoiceField(
        label="Parent roles",
        choices=ParentRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to include everyone.",
    )


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
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_wording = forms.CharField(
        label="What they agreed to, and where",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: 'Paper form at the Dover parent forum, 3 March 2026: texts about consultations'.",
    )
