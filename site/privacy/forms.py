"""The officer's form for finding a person's data: an email address and/or a mobile, and the date the
person asked (the one-month duty runs from it)."""

from django import forms
from django.utils import timezone

from parentvoice.forms import CleanTextMixin

from .services import subjects

DATE_IN_FUTURE = "The date the person asked must be today or in the past"
NO_DATE = "Enter the date the person asked"


class FindPersonForm(CleanTextMixin, forms.Form):
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    mobile = forms.CharField(
        label="Mobile number",
        required=False,
        max_length=30,
        help_text="A UK mobile, like 07700 900123.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    received_on = forms.DateField(
        label="Date the person asked",
        help_text="You must reply within a month of this date. For example, 2026-12-01.",
        error_messages={"required": NO_DATE, "invalid": "Enter the date the person asked, like 2026-12-01"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            try:
                subjects.subject_from(email, None)
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return email

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        if mobile:
            try:
                subjects.subject_from(None, mobile)
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return mobile

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return received_on

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned and "mobile" in cleaned:
            if not cleaned["email"] and not cleaned["mobile"]:
                self.add_error("email", subjects.NO_ADDRESS)
            else:
                cleaned["subject"] = subjects.subject_from(cleaned["email"], cleaned["mobile"])
        return cleaned
