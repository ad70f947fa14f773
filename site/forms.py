from django import forms
from django.forms.renderers import TemplatesSetting

from .phones import InvalidMobile, uk_mobile
from .text import NUL_MESSAGE, clean_text, has_nul

EMAIL_MAX_LENGTH = 254  # the longest address SMTP can carry (RFC 3696 errata, RFC 5321)


class GovukFormRenderer(TemplatesSetting):
    """Renders every Django form (ours and allauth's) as GOV.UK Frontend markup: an error summary
    linking to each field, then one form group per field with its label, hint and error message."""

    form_template_name = "forms/govuk/form.html"
    field_template_name = "forms/govuk/field.html"


class CleanTextMixin:
    """Input hygiene for a form (see `parentvoice.text`): before the fields are cleaned, every text
    field's input loses its control characters and bidirectional overrides; a single-line field's line
    breaks and tabs become spaces, a Textarea keeps them. A value with a NUL in it is refused with a
    plain-English error. Put it first: `class MyForm(CleanTextMixin, forms.Form)`. Fields added in the
    form's own __init__ are covered too, as the cleaning happens in `full_clean`."""

    def full_clean(self):
        refused = self._clean_text_input() if self.is_bound else []
        super().full_clean()
        for name in refused:
            if name in self._errors:  # replace "Enter your name" and the like: this is the problem
                self._errors[name] = self.error_class([NUL_MESSAGE], renderer=self.renderer)
            else:
                self.add_error(name, NUL_MESSAGE)

    def _clean_text_input(self):
        data = self.data.copy()
        lists = hasattr(data, "setlist")
        refused = []
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not isinstance(field, forms.CharField) or field.disabled or key not in data:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            values = data.getlist(key) if lists else data[key]
            many = isinstance(values, list | tuple)
            values = list(values) if many else [values]
            if any(has_nul(value) for value in values):
                refused.append(name)
            cleaned = [clean_text(v, multiline=multiline) if isinstance(v, str) else v for v in values]
            if lists:
                data.setlist(key, cleaned)
            else:
                data[key] = cleaned if many else cleaned[0]
        self.data = data
        return refused


class EmailAddressField(forms.EmailField):
    """An email address of at most 254 characters, with GOV.UK's wording when it is too long.
    (Django's own check allows 320, which no mail server accepts and the database cannot store.)"""

    def __init__(self, *, max_length=EMAIL_MAX_LENGTH, **kwargs):
        error_messages = {
            "max_length": f"Enter an email address that is {EMAIL_MAX_LENGTH} characters or fewer",
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(max_length=max_length, error_messages=error_messages, **kwargs)


class UKMobileField(forms.CharField):
    """A UK mobile number, cleaned to E.164 (+447…); landlines and foreign numbers get a clear error.
    The one check every form uses (see `parentvoice.phones`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        try:
            return uk_mobile(value)
        except InvalidMobile as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class ContactDetailsMixin(forms.Form):
    """An email address and a UK mobile number, at least one of them: the same fields, wording and
    checks on every public form that asks how to reach someone. Subclasses set `field_order`, may
    relabel the fields in __init__ and set `contact_required_message`, or `contact_required = False`
    where giving an address is optional (asking to hear back)."""

    contact_required = True
    contact_required_message = "Enter an email address or a mobile number, so we can contact you"

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

    def clean(self):
        cleaned = super().clean()
        # Said together with the other fields' errors, so people fix everything in one go; but not
        # when an address was given and is wrong: its own error says what to do.
        given = "email" in self.errors or "mobile" in self.errors
        missing = not cleaned.get("email") and not cleaned.get("mobile")
        if self.contact_required and not given and missing:
            self.add_error("email", self.contact_required_message)
        return cleaned

    def contact_channels(self):
        """The channels the person gave an address for: "sms", "email"."""
        return [c for c, f in (("sms", "mobile"), ("email", "email")) if self.cleaned_data.get(f)]


class HoneypotMixin:
    """A field people never see or reach (hidden from screen readers too, and out of the tab order),
    which form-filling bots do fill. A filled-in form is refused with a general error."""

    honeypot_name = "extra_details"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_name] = forms.CharField(
            required=False,
            label="Leave this empty",
            widget=HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.pop(self.honeypot_name, ""):
            raise forms.ValidationError("We could not accept this form. Try again.", code="honeypot")
        return cleaned


class HoneypotInput(forms.TextInput):
    """Rendered with the form's hidden fields, inside a wrapper hidden from sight and screen readers."""

    template_name = "forms/govuk/honeypot.html"
    is_hidden = True
