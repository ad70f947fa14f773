from django import forms
from django.utils.translation import gettext_lazy as _

from messaging import one_time_links
from parentvoice.forms import CleanTextMixin, EmailAddressField, HoneypotMixin, UKMobileField


class SendAnswersForm(forms.Form):
    """The check-your-answers page's "Send my answers": only the answering session's submission key,
    so sending the same answers again saves them once (see views._submission_key)."""

    submission_key = forms.CharField(max_length=40, widget=forms.HiddenInput)


class AnswersCopyForm(CleanTextMixin, HoneypotMixin, forms.Form):
    """The confirmation page's "Email me a copy of my answers". The address is used once, to send the
    copy, and is never kept with the answers."""

    email = EmailAddressField(
        label=_("Email address for the copy"),
        help_text=_("We only use it to send this copy. It is not kept with your answers."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the right format, like name@example.com"),
        },
    )

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


NO_THANKS = "no"
TELL_ME_CHOICES = [("email", _("By email")), ("sms", _("By text message")), (NO_THANKS, _("No thanks"))]


class TellMeForm(CleanTextMixin, HoneypotMixin, forms.Form):
    """The confirmation page's "Tell me what you decide". On an open link the person types the
    address (checked as on "Keep me informed", the mobile cleaned to +44…); an invited parent picks
    one of the addresses we hold for them (`addresses`: channel -> masked address), typing nothing."""

    prefix = "tell"

    how = forms.ChoiceField(
        label=_("Do you want us to tell you what we decide?"),
        choices=TELL_ME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you want to be told, or No thanks")},
    )
    email = EmailAddressField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter an email address in the right format, like name@example.com")},
    )
    mobile = UKMobileField(
        label=_("UK mobile number"), required=False, help_text=_("For example, 07700 900 982")
    )

    def __init__(self, *args, addresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = addresses or {}
        if self.addresses:
            self.fields["how"].choices = [
                *(
                    (c, _("%(how)s to %(address)s") % {"how": label, "address": self.addresses[c]})
                    for c, label in TELL_ME_CHOICES
                    if c in self.addresses
                ),
                (NO_THANKS, _("No thanks")),
            ]
            del self.fields["email"], self.fields["mobile"]

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        how = cleaned.get("how")
        if self.addresses or how is None:
            return cleaned
        # Only the address for the chosen way counts: a half-typed other one is not a problem.
        for channel, name in (("email", "email"), ("sms", "mobile")):
            if how != channel:
                self._errors.pop(name, None)
                cleaned[name] = ""
        if how == NO_THANKS:
            return cleaned
        if how == "email" and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter your email address"))
        if how == "sms" and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("Enter your UK mobile number"))
        return cleaned

    def address(self) -> str | None:
        """The typed address for the chosen channel (None for an invited parent or No thanks)."""
        how = self.cleaned_data.get("how")
        if self.addresses or how == NO_THANKS:
            return None
        return self.cleaned_data.get("email" if how == "email" else "mobile") or None

    def recipient_data(self) -> dict:
        """What a rate limit counts as the recipient: only the address for the channel chosen."""
        how = self.data.get(self.add_prefix("how"))
        if self.addresses or how not in ("email", "sms"):
            return {}
        name = "email" if how == "email" else "mobile"
        return {name: self.data.get(self.add_prefix(name), "")}


class ResumeLinkForm(CleanTextMixin, HoneypotMixin, forms.Form):
    """Where to send a link to carry on answering: one address, email or UK mobile, used only to send."""

    address = forms.CharField(
        label=_("Email address or mobile number"),
        max_length=254,
        help_text=_("For example, name@example.com or 07700 900 982"),
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].error_messages.update(
            {"required": one_time_links.NOT_AN_ADDRESS, "max_length": one_time_links.TOO_LONG}
        )

    clean_address = one_time_links.clean_address
