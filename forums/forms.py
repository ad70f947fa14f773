from django import forms
from django.conf import settings

from messaging import one_time_links
from messaging.choices import ParentRole, Purpose
from messaging.forms import MessageLanguageField
from parentvoice.forms import CleanTextMixin, ContactDetailsMixin, EmailAddressField, HoneypotMixin

from . import services
from .choices import EventAudience, EventKind

PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")
MODES = [("", "Online or in person"), ("in_person", "In person"), ("online", "Online")]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


class WhatsOnFilterForm(forms.Form):
    district = forms.ChoiceField(label="District", required=False)
    start_date = forms.DateField(
        label="From", required=False, input_formats=DATE_FORMATS, help_text="For example, 27/3/2027",
        error_messages={"invalid": "Enter the date as day/month/year, like 27/3/2027"},
    )  # fmt: skip
    end_date = forms.DateField(
        label="To", required=False, input_formats=DATE_FORMATS, help_text="For example, 30/4/2027",
        error_messages={"invalid": "Enter the date as day/month/year, like 30/4/2027"},
    )  # fmt: skip
    mode = forms.ChoiceField(label="How", choices=MODES, required=False, widget=forms.RadioSelect)
    kind = forms.MultipleChoiceField(
        label="Kind of event", choices=EventKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose kinds of event from the list"},
    )  # fmt: skip
    audience = forms.MultipleChoiceField(
        label="Who it is for", choices=EventAudience.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Events for parents, carers and practitioners show under each.",
        error_messages={"invalid_choice": "Choose who the event is for from the list"},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = {d.slug: d for d in services.districts_with_fora()}
        self.fields["district"].choices = [("", "All districts")] + [
            (slug, d.name) for slug, d in self.districts.items()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The 'To' date must be the same as or after the 'From' date")
        return cleaned

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "district": self.districts.get(data.get("district") or ""),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "mode": data.get("mode") or "",
            "kinds": data.get("kind") or [],
            "audiences": data.get("audience") or [],
        }


class BookingForm(CleanTextMixin, HoneypotMixin, ContactDetailsMixin):
    name = forms.CharField(
        label="Your name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name"},
    )
    adults = forms.IntegerField(
        label="How many adults?",
        min_value=1,
        max_value=10,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many adults are coming",
            "min_value": "Book a place for at least 1 adult",
            "max_value": "Book 10 adults or fewer",
            "invalid": "Enter a number of adults, like 1",
        },
    )
    children = forms.IntegerField(
        label="How many children?",
        min_value=0,
        max_value=10,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many children are coming, or 0",
            "min_value": "Enter 0 or more children",
            "max_value": "Book 10 children or fewer",
            "invalid": "Enter a number of children, like 2",
        },
    )
    creche_places = forms.IntegerField(
        label="How many creche places do you need?",
        min_value=0,
        max_value=10,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": "Enter 0 or more", "invalid": "Enter a number, like 1"},
    )
    access_needs = forms.CharField(
        label="Anything we should know to make the meeting work for you? (optional)",
        help_text="For example, step-free access, an interpreter, or a quiet space.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    parent_role = forms.ChoiceField(
        label="Are you a… (optional)",
        help_text="This helps us check we are hearing from all kinds of families.",
        choices=[*ParentRole.choices, PREFER_NOT],
        widget=forms.RadioSelect,
        required=False,
    )

    tell_me = forms.BooleanField(
        label=services.TELL_ME_LABEL,
        help_text=services.TELL_ME_HINT,
        required=False,
    )

    field_order = [
        "name",
        "email",
        "mobile",
        "adults",
        "children",
        "creche_places",
        "access_needs",
        "parent_role",
        "tell_me",
    ]
    contact_required_message = "Enter an email address or a mobile number, so we can send your booking"

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["email"].label = "Email address"
        self.fields[
            "email"
        ].help_text = "We send your booking here. Give an email address or a mobile number."
        self.fields["mobile"].label = "UK mobile number"
        self.fields[
            "mobile"
        ].help_text = "If you have no email address, we text your booking here. For example, 07700 900 982"
        if not event.creche:
            del self.fields["creche_places"]

    def clean(self):
        cleaned = super().clean()
        most = settings.BOOKING_MAX_PLACES
        if (cleaned.get("adults") or 0) + (cleaned.get("children") or 0) > most:
            self.add_error("adults", f"Book {most} places or fewer in all, adults and children together")
        creche = cleaned.get("creche_places") or 0
        if creche and creche > (cleaned.get("children") or 0):
            self.add_error("creche_places", "You can ask for at most one creche place for each child coming")
        return cleaned

    def booking_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data.get("email") or "",
            "mobile": data.get("mobile") or "",
            "adults": data["adults"],
            "children": data["children"],
            "creche_places": data.get("creche_places") or 0,
            "access_needs": data.get("access_needs") or "",
            "parent_role": "" if data.get("parent_role") == PREFER_NOT[0] else data.get("parent_role") or "",
        }

    def wants_to_be_told(self) -> bool:
        return bool(self.cleaned_data.get("tell_me"))


JOIN_PURPOSES = [
    (Purpose.FORUM_EVENTS, "Meetings and events of this forum"),
    (Purpose.CONSULTATIONS, "Consultations: chances to have your say"),
    (Purpose.OUTCOMES, "What changed because parents spoke up"),
]


class JoinForumForm(CleanTextMixin, HoneypotMixin, ContactDetailsMixin):
    field_order = ["name", "email", "mobile", "purposes", "language"]

    name = forms.CharField(
        label="Your first name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": "Enter your first name"},
    )
    purposes = forms.MultipleChoiceField(
        label="What do you want to hear about?",
        choices=JOIN_PURPOSES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Up to 2 texts or emails a month. Every message tells you how to stop.",
        error_messages={"required": "Select what you want to hear about"},
    )
    language = MessageLanguageField()

    def join_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data.get("email") or "",
            "mobile": data.get("mobile") or "",
            "purposes": data["purposes"],
            "language": data["language"],
        }


class PractitionerJoinForm(CleanTextMixin, HoneypotMixin, forms.Form):
    """Joining a practitioners' forum: a work email address (webmail is fine: childminders and small
    charities use it), no mobile, the organisation, and no purposes to tick: members get the forum's
    business by email until they leave."""

    field_order = ["name", "email", "organisation", "job_title"]

    name = forms.CharField(
        label="Your name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 120 characters or fewer",
        },
    )
    email = EmailAddressField(
        label="Work email address",
        help_text="We email the forum's business here. If you have no work address, use the one you use for work.",
        widget=forms.EmailInput(attrs={"autocomplete": "work email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=services.ORGANISATION_MAX_LENGTH,
        help_text="The school, nursery, health service, council team or charity you work for. "
        "If you work for yourself, say what you do, for example 'Childminder'.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={
            "required": "Enter the organisation you work for",
            "max_length": f"Organisation must be {services.ORGANISATION_MAX_LENGTH} characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        required=False,
        max_length=services.JOB_TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={
            "max_length": f"Job title must be {services.JOB_TITLE_MAX_LENGTH} characters or fewer"
        },
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def join_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "mobile": "",
            "purposes": [Purpose.FORUM_BUSINESS],
            "organisation": data["organisation"].strip(),
            "job_title": (data.get("job_title") or "").strip(),
        }


class ContactForumForm(CleanTextMixin, HoneypotMixin, forms.Form):
    name = forms.CharField(
        label="Your name", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name"},
    )  # fmt: skip
    reply_to = forms.CharField(
        label="Your email address or mobile number",
        max_length=254,
        help_text="So the forum's coordinators can reply to you.",
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter an email address or a mobile number, so we can reply"},
    )
    message = forms.CharField(
        label="Your message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your message",
            "max_length": "Your message must be 2,000 characters or fewer",
        },
    )


class EventNoticeForm(CleanTextMixin, forms.Form):
    """A coordinator's notice to the forum's members: the text message and the email, as they will
    read them (each message adds the sender's name, how to stop and, by email, each person's links)."""

    sms_text = forms.CharField(
        label="Text message",
        max_length=480,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to members who chose texts. Keep it short: a longer text costs more to send.",
        error_messages={"required": "Write the text message"},
    )
    email_subject = forms.CharField(
        label="Email subject", max_length=150, error_messages={"required": "Write the email's subject"}
    )
    email_text = forms.CharField(
        label="Email",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Sent to members who chose email.",
        error_messages={"required": "Write the email"},
    )

    def __init__(self, *args, email_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A practitioners' forum's business goes by email only: no text message to write.
        if email_only:
            del self.fields["sms_text"]
            self.fields["email_text"].help_text = "Sent to every member, by email."

    def clean_sms_text(self):
        from messaging.services import sms_body
        from messaging.sms import segment_info

        text = self.cleaned_data["sms_text"].strip()
        segments = segment_info(sms_body(text)).segments
        if segments > services.NOTICE_SMS_MAX_SEGMENTS:
            raise forms.ValidationError(
                f"Shorten the text message: as sent it would be {segments} texts long, and it can be "
                f"{services.NOTICE_SMS_MAX_SEGMENTS} at most"
            )
        return text

    def notice_fields(self):
        return {
            name: self.cleaned_data.get(name, "").strip()
            for name in ("sms_text", "email_subject", "email_text")
        }


class ParentPageRequestForm(CleanTextMixin, HoneypotMixin, forms.Form):
    """Asking for a link to one's own page: one address, email or UK mobile, normalised as stored."""

    address = forms.CharField(
        label="Email address or mobile number",
        max_length=one_time_links.ADDRESS_MAX_LENGTH,
        help_text="The one you used to book or join a forum. For example, name@example.com or 07700 900 982",
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": one_time_links.NOT_AN_ADDRESS, "max_length": one_time_links.TOO_LONG},
    )

    clean_address = one_time_links.clean_address
