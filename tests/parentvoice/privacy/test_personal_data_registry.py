"""Every model of ours that can hold something about a person is listed in some personal-data
registration (`register_personal_data(..., models=[...])`), so subject access finds it and erasure
reaches it. A new model or field with an email, a phone number, a name or a link to a contact fails
here until its app registers it (or it is exempted below with the reason)."""

import re

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from phonenumber_field.modelfields import PhoneNumberField

from messaging.models import Contact
from parentvoice.privacy.registry import personal_data

OUR_APPS = ("parentvoice", "messaging", "surveys", "forums", "feedback_loop")
PERSONAL_NAME = re.compile(r"email|mobile|phone|recipient|from_number|reply_to|address|name")

# Fields that match the rule but never hold a parent's details: (model, field) -> why.
EXEMPT = {
    ("parentvoice.District", "name"): "a district's name",
    ("parentvoice.SiteSettings", "council_name"): "the council's name",
    ("parentvoice.SiteSettings", "contact_email"): "a team mailbox, never a person's own (help text says so)",
    ("parentvoice.SiteSettings", "contact_phone"): "the service's phone number",
    ("messaging.Campaign", "name"): "staff name the campaign",
    ("messaging.Campaign", "send_email"): "a yes/no: send by email",
    ("messaging.Campaign", "email_subject"): "staff-written wording sent to everyone",
    ("messaging.Campaign", "email_template"): "staff-written wording sent to everyone",
    ("messaging.Campaign", "email_per_second"): "a sending rate",
    ("messaging.CampaignTranslation", "email_subject"): "staff-written wording sent to everyone",
    ("messaging.CampaignTranslation", "email_template"): "staff-written wording sent to everyone",
    ("messaging.Campaign", "recipient_count"): "a count",
    ("forums.EventPage", "venue_name"): "a public venue",
    ("forums.EventPage", "address"): "a public venue's address",
    ("feedback_loop.Theme", "name"): "a theme's name",
    ("surveys.Partner", "name"): "an organisation's name (a children's centre, a school)",
}


def personal_fields(model) -> list[str]:
    """The model's fields that may hold a person's details, by type, by name or by a link to a contact."""
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False):
            continue
        to_contact = (
            isinstance(field, models.ForeignKey) and field.related_model._meta.label == "messaging.Contact"
        )
        if (
            isinstance(field, models.EmailField | PhoneNumberField)
            or to_contact
            or PERSONAL_NAME.search(field.name)
        ):
            found.append(field.name)
    return found


def uncovered(candidates, covered, exempt) -> dict[str, list[str]]:
    """{model label: its personal fields} for models with a personal field (not exempted) that no
    registration lists."""
    missing = {}
    for model in candidates:
        if model._meta.abstract or model._meta.proxy or model in covered:
            continue
        fields = [f for f in personal_fields(model) if (model._meta.label, f) not in exempt]
        if fields:
            missing[model._meta.label] = fields
    return missing


def our_models():
    return [
        model
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in OUR_APPS
        for model in config.get_models()
    ]


def covered_models():
    return {model for entry in personal_data() for model in entry.models}


def test_every_model_holding_personal_details_is_registered():
    assert uncovered(our_models(), covered_models(), EXEMPT) == {}


def test_the_rule_sees_the_models_we_know_hold_personal_details():
    """The check above is only as good as its rule: these must be caught by it (and are registered)."""
    labels = {model._meta.label: model for model in our_models()}
    for label, field in [
        ("messaging.Contact", "email"),
        ("messaging.Contact", "mobile"),
        ("messaging.Message", "recipient"),
        ("messaging.InboundMessage", "from_number"),
        ("messaging.Suppression", "address"),
        ("surveys.Response", "contact"),
        ("surveys.SmsConversation", "phone"),
        ("forums.Booking", "email"),
        ("forums.Membership", "contact"),
        ("forums.ForumEnquiry", "reply_to"),
        ("parentvoice.SiteFeedback", "email"),
        ("accounts.User", "email"),
    ]:
        assert field in personal_fields(labels[label]), (label, field)
    # Without its registration, a model holding personal details is reported.
    contact = labels["messaging.Contact"]
    assert "messaging.Contact" in uncovered([contact], covered_models() - {contact}, EXEMPT)


def test_every_exemption_still_names_a_real_field():
    """An exemption for a field that was renamed or removed would hide nothing and mislead."""
    for label, field in EXEMPT:
        model = apps.get_model(label)
        assert field in personal_fields(model), (label, field)


def test_every_registration_lists_real_models_of_ours():
    ours = set(our_models())
    for entry in personal_data():
        assert entry.models, entry.name
        assert set(entry.models) <= ours, entry.name


@isolate_apps("forums")
def test_a_new_model_with_a_mobile_or_a_link_to_a_contact_is_reported():
    class Callback(models.Model):  # noqa: DJ008
        phone_number = models.CharField(max_length=20)

        class Meta:
            app_label = "forums"

    class Helper(models.Model):  # noqa: DJ008
        parent = models.ForeignKey(Contact, on_delete=models.CASCADE)
        note = models.TextField()

        class Meta:
            app_label = "forums"

    class Venue(models.Model):  # noqa: DJ008
        capacity = models.IntegerField()

        class Meta:
            app_label = "forums"

    missing = uncovered([Callback, Helper, Venue], covered_models(), EXEMPT)
    assert missing == {"forums.Callback": ["phone_number"], "forums.Helper": ["parent"]}
