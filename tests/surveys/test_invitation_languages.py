"""A consultation's invitation in people's languages (issue 18): "Invite parents" writes the draft in
every language the consultation is published in; a Polish contact gets the Polish invitation with a
link that opens the Polish page (its token is the English page's, so the answer counts once), an
English contact the English one; the reminder follows; the officer's preview is as long as what is
sent. The campaign side (placeholders, counts, the admin) is tests/messaging/test_campaign_languages.py."""

from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from messaging import services as messaging
from messaging.campaign_wording import translation_problems
from messaging.choices import Channel, Purpose
from messaging.models import Campaign, Message
from parentvoice.accounts import roles
from surveys import invitations, services
from tests.factories import ConsentingParentFactory, translate_page

pytestmark = pytest.mark.django_db

POLISH_TITLE = "Wsparcie dla rodziców"
POLISH_SUMMARY = "Powiedz nam, co pomaga."


@pytest.fixture
def page(make_consultation):
    return make_consultation(sms_keyword="SUPPORT", closes_at=timezone.now() + timezone.timedelta(days=10))


@pytest.fixture
def polish_page(page):
    return translate_page(page, "pl", title=POLISH_TITLE, summary=POLISH_SUMMARY)


def _parent(n, language):
    return ConsentingParentFactory(
        name=f"Parent {n}",
        mobile=f"+4477009005{n:02d}",
        email=f"parent{n}@example.org",
        language=language,
        consents=[(Channel.SMS, Purpose.CONSULTATIONS), (Channel.EMAIL, Purpose.CONSULTATIONS)],
    )


def _invite(page):
    campaign, _ = invitations.invite_parents(page, None)
    Campaign.objects.filter(pk=campaign.pk).update(one_channel_per_contact=False)
    campaign.refresh_from_db()
    return campaign


def test_invite_parents_writes_the_draft_in_each_language_the_consultation_is_published_in(page, polish_page):
    translate_page(page, "ne", publish=False, title="अभिभावकहरूका लागि सहयोग")
    campaign = _invite(page)
    polish = campaign.translations.get()
    assert polish.language == "pl"
    assert polish.title == POLISH_TITLE
    assert polish.sms_template.startswith("Wypowiedz się na temat „((title))” do ")
    assert polish.sms_template.endswith("Możesz też odpisać YES i odpowiadać SMS-ami.")
    assert polish.email_subject == "Wypowiedz się: ((title))"
    assert polish.email_template.startswith(f"Dzień dobry,\n\n{POLISH_SUMMARY}\n\nWypowiedz się do ")
    assert "wyślij SUPPORT pod numer" in polish.email_template
    assert translation_problems(campaign, polish) == []
    # The English is as it always was.
    assert campaign.sms_template.startswith("Have your say on '((title))' by ")
    assert campaign.email_template.startswith("Hello,\n\nTell us what helps.\n\nHave your say by ")


def test_invite_parents_from_a_translation_invites_to_the_english_page(page, polish_page):
    campaign = _invite(polish_page)
    assert campaign.link_personaliser == f"consultation:{page.pk}"
    assert campaign.title == page.title


def test_a_polish_contact_gets_the_polish_invitation_and_an_english_contact_the_english(
    client, page, polish_page
):
    polish, english = _parent(1, "pl"), _parent(2, "en-gb")
    campaign = _invite(page)
    messaging.create_campaign_messages(campaign)

    polish_link = services.invitation_url(page.pk, polish.pk, opens_page_id=polish_page.pk)
    assert f"/consultations/{polish_page.pk}/invitation/{services.invitation_token(page.pk, polish.pk)}/" in (
        polish_link
    )
    text = Message.objects.get(contact=polish, channel=Channel.SMS).body
    assert text.startswith(f"Kent Parent Voice: Wypowiedz się na temat „{POLISH_TITLE}” do ")
    assert polish_link in text and text.endswith("Aby zrezygnować, odpowiedz STOP.")
    email = Message.objects.get(contact=polish, channel=Channel.EMAIL)
    assert email.subject == f"Wypowiedz się: {POLISH_TITLE}"
    assert POLISH_SUMMARY in email.body and polish_link in email.body
    assert "Zrezygnuj ze wszystkich wiadomości:" in email.body

    english_link = services.invitation_url(page.pk, english.pk)
    text = Message.objects.get(contact=english, channel=Channel.SMS).body
    assert text.startswith("Kent Parent Voice: Have your say on 'Support for parents' by ")
    assert english_link in text and text.endswith("Reply STOP to stop.")
    email = Message.objects.get(contact=english, channel=Channel.EMAIL)
    assert email.subject == "Have your say: Support for parents"
    assert english_link in email.body and "Unsubscribe from everything:" in email.body

    # The Polish link opens the Polish page; the same token opens the English page too.
    opened = client.get(urlparse(polish_link).path)
    assert opened.status_code == 302 and opened.url == polish_page.url
    path = f"/consultations/{page.pk}/invitation/{services.invitation_token(page.pk, polish.pk)}/"
    assert Client().get(path).url == page.url
    # A token made for the translation's own id is no invitation: there is one per person, the English page's.
    forged = (
        f"/consultations/{polish_page.pk}/invitation/{services.invitation_token(polish_page.pk, polish.pk)}/"
    )
    assert Client().get(forged).status_code == 404


def test_a_contact_stored_as_pl_PL_gets_polish_and_a_language_not_published_gets_english(page, polish_page):
    translate_page(page, "ne", publish=False)
    regional, nepali = _parent(1, "pl-PL"), _parent(2, "ne")
    messaging.create_campaign_messages(_invite(page))
    text = Message.objects.get(contact=regional, channel=Channel.SMS).body
    assert f"„{POLISH_TITLE}”" in text
    assert services.invitation_url(page.pk, regional.pk, opens_page_id=polish_page.pk) in text
    text = Message.objects.get(contact=nepali, channel=Channel.SMS).body
    assert "Have your say on 'Support for parents'" in text
    assert services.invitation_url(page.pk, nepali.pk) in text


def test_an_unpublished_translation_is_no_longer_linked(page, polish_page):
    contact = _parent(1, "pl")
    campaign = _invite(page)
    polish_page.unpublish()
    messaging.create_campaign_messages(campaign)
    text = Message.objects.get(contact=contact, channel=Channel.SMS).body
    # Still the Polish wording the officer checked, but the link opens the English page.
    assert services.invitation_url(page.pk, contact.pk) in text
    assert f"/consultations/{polish_page.pk}/" not in text


def test_the_reminder_goes_in_the_languages_the_invitation_went_in(page, polish_page):
    _parent(1, "pl")
    campaign = _invite(page)
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days_before=3)
    messaging.start_campaign(Campaign.objects.get(pk=campaign.pk))
    reminder = Campaign.objects.get(reminder_for=campaign)
    polish = reminder.translations.get()
    assert polish.language == "pl" and polish.title == POLISH_TITLE
    assert polish.sms_template.startswith("Przypomnienie: na udział w „((title))” masz czas do ")
    assert polish.email_subject == "Przypomnienie: wypowiedz się na temat ((title))"
    assert translation_problems(reminder, polish) == []


def test_a_reminder_leaves_out_a_language_the_officer_removed(page, polish_page):
    campaign = _invite(page)
    messaging.remove_translation(campaign, "pl")
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days_before=3)
    messaging.start_campaign(Campaign.objects.get(pk=campaign.pk))
    assert not Campaign.objects.get(reminder_for=campaign).translations.exists()


def test_the_polish_preview_is_as_long_as_the_polish_text_sent(client, staff_login, page, polish_page):
    staff_login(roles.CONSULTATION_OFFICERS)
    _parent(1, "en-gb")
    polish = _parent(2, "pl")
    campaign = _invite(page)
    Campaign.objects.filter(pk=campaign.pk).update(send_email=False)
    check = client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    previews = {p["language"]: p for p in check.context["previews"]}
    assert previews["pl"]["people"] == 1 and previews["en-gb"]["people"] == 1
    preview = previews["pl"]["sms_text"]
    assert (
        services.invitation_url(page.pk, polish.pk, opens_page_id=polish_page.pk)
        not in check.content.decode()
    )
    assert f"/consultations/{polish_page.pk}/invitation/{polish.pk}-xxxx" in preview

    campaign.refresh_from_db()
    messaging.create_campaign_messages(campaign)
    sent = Message.objects.get(contact=polish).body
    assert len(preview) == len(sent)
    assert previews["pl"]["sms_info"].characters == len(sent)
    assert previews["pl"]["sms_info"].encoding == "UCS-2"
