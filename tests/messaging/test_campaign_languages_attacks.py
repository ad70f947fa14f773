"""Attack review of campaigns in people's languages (#18): a translation's ((…)) are read exactly as
the fan-out fills them in, a long translated subject cannot fail the fan-out, a stored language that
is not a code gets the English, and suppressions hold in every language."""

import pytest

from messaging import services
from messaging.choices import Channel, MessageStatus, SuppressionReason
from messaging.models import CampaignTranslation, Contact, Message, Suppression

from .test_campaign_languages import POLISH, make_campaign, make_contact, sent_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", ["(( link ))", "((link ))", "((\tlink))"])
def test_a_placeholder_written_with_spaces_is_refused_as_it_would_go_out_without_the_link(written):
    campaign = make_campaign()
    sms = f"Cześć ((name)), powiedz nam o ((title)): {written}"
    with pytest.raises(services.CampaignLanguageError) as refused:
        services.save_translation(campaign, "pl", **{**POLISH, "sms_template": sms})
    assert f"uses {written}" in str(refused.value)
    assert "add ((link))" in str(refused.value)
    assert not CampaignTranslation.objects.exists()
    # What it would have sent: the link's place left as typed.
    assert written in services.render(sms, {"name": "Ala", "title": "x", "link": "https://x.test/1"})


def test_a_long_translated_title_in_a_long_subject_is_cut_not_a_failed_fan_out():
    contact = make_contact(1, "pl", sms=False)
    long_title = "opieka nad dziećmi " * 8  # 150 characters, as many as a title may have
    subject = ("Wypowiedz się " * 10)[:140] + " ((title))"
    campaign = make_campaign(
        send_sms=False,
        translations=[("pl", {**POLISH, "title": long_title[:150], "email_subject": subject})],
    )
    services.create_campaign_messages(campaign)
    sent = sent_to(contact, Channel.EMAIL).subject
    assert len(sent) == Message._meta.get_field("subject").max_length
    assert sent.startswith("Wypowiedz się") and sent.endswith("…")


@pytest.mark.parametrize("stored", ["../../", "pl/../ne", "<script>", "x" * 10])
def test_a_stored_language_that_is_no_code_gets_the_english(stored):
    contact = make_contact(1, stored, email=False)
    services.create_campaign_messages(make_campaign(send_email=False, translations=[("pl", POLISH)]))
    assert sent_to(contact, Channel.SMS).body.startswith("Kent Parent Voice: Hi Parent 1")


def test_a_suppressed_number_gets_no_translated_message_either():
    contact = make_contact(1, "pl", email=False)
    Suppression.objects.create(
        channel=Channel.SMS, address=str(contact.mobile), reason=SuppressionReason.STOP
    )
    services.create_campaign_messages(make_campaign(send_email=False, translations=[("pl", POLISH)]))
    assert sent_to(contact, Channel.SMS).status == MessageStatus.SUPPRESSED
    assert Contact.objects.get().language == "pl"
