from django import forms

from parentvoice.forms import CleanTextMixin, EmailAddressField, HoneypotMixin


class AnswersCopyForm(CleanTextMixin, HoneypotMixin, forms.Form):
    """The confirmation page's "Email me a copy of my answers". The address is used once, to send the
    copy, and is never kept with the answers."""

    email = EmailAddressField(
        label="Email address",
        help_text="We only use it to send this copy. It is not kept with your answers.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
    )

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()
