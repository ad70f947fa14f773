"""Campaigns in people's languages (issue 18): each person gets the campaign's wording in their
language where it has one and the English otherwise, with the opt-out and footer in that language;
officers write, check and preview each language (UCS-2 counted) on a draft only; a contact's
language comes from the admin, the CSV import or the sign-up forms. The consultation's own invitation
in other languages is tests/surveys/test_invitation_languages.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging import audiences, importing, services
from messaging.choices import CampaignStatus, Channel, ConfirmedBy, ConsentSource, Purpose
from messaging.models import AddressConfirmation, Campaign, CampaignTranslation, Contact, Message
from parentvoice.accounts import roles
from tests.forums import conftest as forum_fixtures

fora_index = forum_fixtures.fora_index
make_forum = forum_fixtures.make_forum

pytestmark = pytest.mark.django_db

POLISH = {
    "title": "opieka nad dziećmi",
    "sms_template": "Cześć ((name)), powiedz nam o ((title)): ((link))",
    "email_subject": "Wypowiedz się: ((title))",
    "email_template": "Dzień dobry ((name)),\n\nPowiedz nam o ((title)): ((link))",
}
NEPALI = {
    "title": "बाल हेरचाह",
    "sms_template": "नमस्ते ((name)), ((title)) बारे हामीलाई भन्नुहोस्: ((link))",
    "email_subject": "आफ्नो राय दिनुहोस्: ((title))",
    "email_template": "नमस्ते ((name)),\n\n((title)) बारे हामीलाई भन्नुहोस्: ((link))",
}
URDU = {
    "title": "بچوں کی دیکھ بھال",
    "sms_template": "ہیلو ((name))، ((title)) کے بارے میں بتائیں: ((link))",
    "email_subject": "اپنی رائے دیں: ((title))",
    "email_template": "ہیلو ((name))،\n\n((title)) کے بارے میں بتائیں: ((link))",
}


def make_contact(n, language="en-gb", *, sms=True, email=True):
    contact = Contact.objects.create(
        name=f"Parent {n}",
        email=f"parent{n}@example.org" if email else None,
        mobile=f"+4474001{n:05d}" if sms else None,
        language=language,
    )
    for channel in [Channel.SMS] * sms + [Channel.EMAIL] * email:
        services.record_consent(
            contact,
            channel=channel,
            purpose=Purpose.CONSULTATIONS,
            granted=True,
            source=ConsentSource.WEB_FORM,
            wording="Yes",
        )
    return contact


def make_campaign(*, translations=(), **fields):
    values = {
        "name": "Childcare survey",
        "kind": "consultation_invitation",
        "purpose": Purpose.CONSULTATIONS,
        "sms_template": "Hi ((name)), tell us about ((title)): ((link))",
        "email_subject": "Have your say: ((title))",
        "email_template": "Dear ((name)),\n\nTell us about ((title)): ((link))",
        "title": "childcare",
        "link_url": "https://parentvoice.example.org/c/1/",
        "one_channel_per_contact": False,
        **fields,
    }
    campaign = Campaign.objects.create(**values)
    for language, wording in translations:
        CampaignTranslation.objects.create(campaign=campaign, language=language, **wording)
    return campaign


def sent_to(contact, channel):
    return Message.objects.get(contact=contact, channel=channel)


# --- Who gets which wording ---------------------------------------------------------------------


def test_a_polish_contact_gets_the_polish_wording_and_an_english_contact_the_english():
    polish, english = make_contact(1, "pl"), make_contact(2, "en-gb")
    campaign = make_campaign(translations=[("pl", POLISH)])
    services.create_campaign_messages(campaign)

    text = sent_to(polish, Channel.SMS).body
    assert text == (
        "Kent Parent Voice: Cześć Parent 1, powiedz nam o opieka nad dziećmi: "
        "https://parentvoice.example.org/c/1/ Aby zrezygnować, odpowiedz STOP."
    )
    email = sent_to(polish, Channel.EMAIL)
    assert email.subject == "Wypowiedz się: opieka nad dziećmi"
    assert email.body.startswith("Dzień dobry Parent 1,\n\nPowiedz nam o opieka nad dziećmi:")
    assert "Nadawca: Kent Parent Voice." in email.body
    assert "Zrezygnuj ze wszystkich wiadomości: " in email.body

    assert sent_to(english, Channel.SMS).body == (
        "Kent Parent Voice: Hi Parent 2, tell us about childcare: https://parentvoice.example.org/c/1/ "
        "Reply STOP to stop."
    )
    english_email = sent_to(english, Channel.EMAIL)
    assert english_email.subject == "Have your say: childcare"
    assert "Sent by Kent Parent Voice." in english_email.body
    assert "Unsubscribe from everything: " in english_email.body


@pytest.mark.parametrize("stored", ["pl-PL", "PL", "pl_PL"])
def test_a_contact_stored_with_a_regional_or_capitalised_code_gets_polish(stored):
    contact = make_contact(1, stored, email=False)
    services.create_campaign_messages(make_campaign(translations=[("pl", POLISH)]))
    assert "Cześć Parent 1" in sent_to(contact, Channel.SMS).body


@pytest.mark.parametrize("stored", ["ne", "en", "", "xx"])
def test_a_language_the_campaign_is_not_written_in_gets_the_english(stored):
    contact = make_contact(1, stored, email=False)
    services.create_campaign_messages(make_campaign(translations=[("pl", POLISH)]))
    body = sent_to(contact, Channel.SMS).body
    assert body.startswith("Kent Parent Voice: Hi Parent 1") and body.endswith("Reply STOP to stop.")


def test_an_empty_title_in_a_translation_is_the_english_title():
    contact = make_contact(1, "pl", email=False)
    services.create_campaign_messages(make_campaign(translations=[("pl", {**POLISH, "title": ""})]))
    assert "powiedz nam o childcare:" in sent_to(contact, Channel.SMS).body


@pytest.mark.parametrize("language", ["pl", "ne", "ur"])
def test_stop_stays_stop_in_every_language_we_translate(language):
    body = services.sms_body("x", language)
    assert "STOP" in body and "Reply STOP" not in body
    assert body.startswith("Kent Parent Voice: x ")


def test_fan_out_query_count_does_not_grow_with_translations_or_contacts():
    def fan_out_queries(campaign):
        with CaptureQueriesContext(connection) as queries:
            services.create_campaign_messages(campaign)
        return len(queries)

    make_contact(1, "pl")
    small = fan_out_queries(make_campaign(name="small", translations=[("pl", POLISH)]))
    for n, language in enumerate(["pl-PL", "ne", "ur", "en", "ro", "pl", "ne"], start=2):
        make_contact(n, language)
    big = make_campaign(name="big", translations=[("pl", POLISH), ("ne", NEPALI), ("ur", URDU)])
    assert fan_out_queries(big) == small
    assert Message.objects.filter(campaign=big).count() == 16


def test_a_personaliser_gets_each_persons_language_and_one_written_before_languages_still_works():
    seen = []
    audiences.register_link_personaliser(
        "test-lang",
        lambda value, contact_id, language=None: seen.append(language) or f"https://x.test/{language}",
    )
    audiences.register_link_personaliser("test-old", lambda value, contact_id: f"https://x.test/{contact_id}")
    contact = make_contact(1, "pl-PL", email=False)
    services.create_campaign_messages(make_campaign(link_personaliser="test-lang:1", send_email=False))
    assert seen == ["pl-PL"] and "https://x.test/pl-PL" in sent_to(contact, Channel.SMS).body
    services.create_campaign_messages(
        make_campaign(name="old", link_personaliser="test-old:1", send_email=False)
    )
    assert Message.objects.filter(body__contains=f"https://x.test/{contact.pk}").exists()


# --- Writing a translation: checked like the English, drafts only ----------------------------------


def test_a_translation_must_use_the_same_placeholders_as_the_english():
    campaign = make_campaign()
    with pytest.raises(services.CampaignLanguageError) as missing:
        services.save_translation(
            campaign, "pl", **{**POLISH, "sms_template": "Cześć, powiedz nam o ((title))"}
        )
    assert missing.value.problems == [
        "The Polski text message must use the same words in double brackets as the English: "
        "add ((name)) and ((link))."
    ]
    with pytest.raises(services.CampaignLanguageError) as unknown:
        services.save_translation(campaign, "pl", **{**POLISH, "email_subject": "Wypowiedz się: ((tytuł))"})
    assert "uses ((tytuł)): keep the words in double brackets in English" in str(unknown.value)
    with pytest.raises(services.CampaignLanguageError) as extra:
        services.save_translation(campaign, "pl", **{**POLISH, "email_subject": "((name)): ((title))"})
    assert "take out ((name))" in str(extra.value)
    assert not CampaignTranslation.objects.exists()
    services.save_translation(campaign, "pl", **POLISH)
    assert CampaignTranslation.objects.get().sms_template == POLISH["sms_template"]


def test_each_channel_the_campaign_sends_must_be_written_and_english_is_not_a_translation():
    campaign = make_campaign(send_email=True)
    with pytest.raises(services.CampaignLanguageError) as error:
        services.save_translation(campaign, "pl", sms_template=POLISH["sms_template"])
    assert error.value.problems == ["Write the Polski email subject and message, or remove Polski."]
    with pytest.raises(services.CampaignLanguageError):
        services.save_translation(campaign, "en-gb", **POLISH)


def test_a_translation_the_english_has_moved_away_from_stops_the_campaign_being_sent():
    campaign = make_campaign(translations=[("pl", POLISH)])
    assert services.campaign_problems(campaign) == []
    Campaign.objects.filter(pk=campaign.pk).update(sms_template="Hi ((name)), about ((title))")
    campaign.refresh_from_db()
    with pytest.raises(services.CampaignError, match="take out ..link.."):
        services.start_campaign(campaign)


def test_translations_are_locked_once_the_campaign_is_confirmed():
    campaign = make_campaign(translations=[("pl", POLISH)])
    make_contact(1, "pl")
    services.start_campaign(campaign)
    with pytest.raises(services.CampaignLanguageError, match="can no longer be changed"):
        services.save_translation(campaign, "pl", **{**POLISH, "title": "inne"})
    with pytest.raises(services.CampaignLanguageError):
        services.remove_translation(campaign, "pl")
    assert CampaignTranslation.objects.get().title == POLISH["title"]


# --- The admin: the Languages page and "Check and send" --------------------------------------------


@pytest.fixture
def officer(client, staff_login):
    return staff_login(roles.CONSULTATION_OFFICERS)


def test_an_officer_adds_changes_and_removes_a_language(client, officer):
    campaign = make_campaign()
    languages = f"/admin/messaging/campaigns/{campaign.pk}/languages/"
    page = client.get(languages)
    assert page.status_code == 200 and b"only written in English" in page.content
    assert client.get(languages, {"language": "pl"}).url == f"{languages}pl/"

    refused = client.post(f"{languages}pl/", {**POLISH, "sms_template": "Cześć ((imie)): ((link))"})
    assert refused.status_code == 200
    assert "uses ((imie))" in " ".join(refused.context["form"].non_field_errors())
    assert not CampaignTranslation.objects.exists()

    assert client.post(f"{languages}pl/", POLISH).url == languages
    assert CampaignTranslation.objects.get(campaign=campaign, language="pl").title == POLISH["title"]
    listed = client.get(languages).content.decode()
    assert "Polski" in listed and POLISH["sms_template"] in listed
    assert "Polski" not in str(client.get(languages).context["add_form"]["language"])
    assert (
        b"Also written in: Polski"
        in client.get(f"/admin/snippets/messaging/campaign/edit/{campaign.pk}/").content
    )

    assert client.post(f"{languages}pl/remove/").url == languages
    assert not CampaignTranslation.objects.exists()
    assert client.get(f"{languages}xx/").status_code == 404


def test_a_confirmed_campaigns_languages_cannot_be_changed_in_the_admin(client, officer):
    campaign = make_campaign(translations=[("pl", POLISH)])
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING)
    languages = f"/admin/messaging/campaigns/{campaign.pk}/languages/"
    assert client.post(f"{languages}pl/", {**POLISH, "title": "inne"}).url == languages
    assert client.post(f"{languages}pl/remove/").url == languages
    assert CampaignTranslation.objects.get().title == POLISH["title"]
    shown = client.get(languages)
    assert b"can no longer be changed" in shown.content and b"Remove Polski" not in shown.content


def test_other_staff_cannot_change_a_campaigns_languages(client, staff_login):
    staff_login(roles.FORUM_COORDINATORS)
    campaign = make_campaign()
    response = client.post(f"/admin/messaging/campaigns/{campaign.pk}/languages/pl/", POLISH)
    assert response.status_code in (302, 403)
    assert not CampaignTranslation.objects.exists()


def test_check_and_send_shows_each_languages_text_with_its_encoding_segments_and_people(client, officer):
    for n, language in enumerate(["en-gb", "en", "ne", "ne-NP", "ne", "pl", "ur"]):
        make_contact(n, language, email=False)
    campaign = make_campaign(send_email=False, translations=[("ne", NEPALI), ("pl", POLISH)])
    check = client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    previews = {p["language"]: p for p in check.context["previews"]}
    assert list(previews) == ["en-gb", "pl", "ne"]
    # Urdu has no version here: that person gets the English.
    assert {code: p["people"] for code, p in previews.items()} == {"en-gb": 3, "pl": 1, "ne": 3}
    assert check.context["audience_size"] == 7

    nepali = previews["ne"]
    assert nepali["sms_text"].startswith("Kent Parent Voice: नमस्ते Alex")
    assert nepali["sms_text"].endswith("रोक्न STOP लेखेर जवाफ दिनुहोस्।")
    info = nepali["sms_info"]
    assert info.encoding == "UCS-2"
    assert info.characters == len(nepali["sms_text"])
    assert info.segments == -(-info.characters // 67) > 1
    page = check.content.decode()
    assert f"{info.characters} characters, {info.segments} segment(s) (UCS-2)" in page
    assert "70 characters fit in one text, and 67 in each text when it is split" in page
    assert previews["en-gb"]["sms_info"].encoding == "GSM-7"
    assert 'lang="ne"' in page


def test_check_and_send_makes_the_same_number_of_queries_however_many_languages_and_people(client, officer):
    def queries(campaign):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/").status_code == 200
        return len(captured)

    make_contact(1, "pl")
    one = queries(make_campaign(name="one", translations=[("pl", POLISH)]))
    for n, language in enumerate(["ne", "ur", "pl-PL", "en", "ne"], start=2):
        make_contact(n, language)
    three = queries(make_campaign(name="three", translations=[("pl", POLISH), ("ne", NEPALI), ("ur", URDU)]))
    assert three == one


# --- A contact's language: the admin, the CSV import and the sign-up forms ---------------------------


def test_the_contact_form_offers_our_languages_and_shows_an_old_code_as_its_language(client, officer):
    contact = make_contact(1, "pl-PL")
    edit = client.get(f"/admin/snippets/messaging/contact/edit/{contact.pk}/")
    form = edit.context["form"]
    assert form["language"].value() == "pl"
    assert [code for code, _ in form.fields["language"].choices] == [
        "en-gb",
        "pl",
        "ne",
        "ro",
        "pa",
        "ur",
        "ar",
    ]
    form_data = {
        "name": "Parent 1",
        "email": contact.email,
        "mobile": "07400100001",
        "language": "ne",
        "preferred_channel": "",
        "parent_role": "",
    }
    assert client.post(f"/admin/snippets/messaging/contact/edit/{contact.pk}/", form_data).status_code == 302
    contact.refresh_from_db()
    assert contact.language == "ne"
    refused = client.post(
        f"/admin/snippets/messaging/contact/edit/{contact.pk}/", {**form_data, "language": "klingon"}
    )
    assert "language" in refused.context["form"].errors


def test_the_csv_import_reads_a_language_by_code_or_name():
    Contact.objects.create(name="Old", email="old@example.org", language="en")
    csv = (
        "name,email,mobile,language\n"
        "Ala,ala@example.org,,Polish\n"
        "Basia,basia@example.org,,pl-PL\n"
        "Chandra,chandra@example.org,,नेपाली\n"
        "Dan,dan@example.org,,\n"
        "Old,old@example.org,,urdu\n"
        "Eve,eve@example.org,,Klingon\n"
    ).encode()
    contact_import = importing.preview_import(
        SimpleUploadedFile("people.csv", csv),
        purposes=[Purpose.CONSULTATIONS],
        wording="Paper form",
        user=None,
    )
    assert contact_import.row_errors == [
        {
            "row": 7,
            "errors": [
                "'Klingon' is not a language we send messages in: use a name like Polish or a code like pl"
            ],
        }
    ]
    importing.start_import(contact_import)
    importing.run_import(contact_import.pk)
    languages = dict(Contact.objects.values_list("name", "language"))
    assert languages == {"Ala": "pl", "Basia": "pl", "Chandra": "ne", "Dan": "en-gb", "Old": "ur"}


def test_signing_up_keeps_the_chosen_language_for_the_contact_the_confirmation_creates(client, home_page):
    page = client.get("/keep-me-informed/").content.decode()
    assert "Which language would you like messages in?" in page
    assert '<option value="ur" lang="ur" dir="rtl">اردو</option>' in page
    response = client.post(
        "/keep-me-informed/",
        {"email": "new@example.org", "purposes": [Purpose.CONSULTATIONS], "language": "pl"},
    )
    assert response.status_code == 302
    confirmation = AddressConfirmation.objects.get()
    assert confirmation.details["language"] == "pl"
    services.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    assert Contact.objects.get(email="new@example.org").language == "pl"


def test_joining_a_parents_forum_keeps_the_chosen_language(client, make_forum):
    forum = make_forum("Dover parent forum", "Dover")
    join = f"/fora/{forum.pk}/join/"
    assert "Which language would you like messages in?" in client.get(join).content.decode()
    response = client.post(
        join,
        {"name": "Ala", "email": "ala@example.org", "purposes": [Purpose.CONSULTATIONS], "language": "pl"},
    )
    assert response.status_code == 302
    assert AddressConfirmation.objects.get().details["language"] == "pl"


def test_a_sign_up_without_a_language_is_english_and_a_forged_one_is_refused(client, home_page):
    client.post("/keep-me-informed/", {"email": "a@example.org", "purposes": [Purpose.CONSULTATIONS]})
    assert AddressConfirmation.objects.get().details["language"] == "en-gb"
    forged = client.post(
        "/keep-me-informed/",
        {"email": "b@example.org", "purposes": [Purpose.CONSULTATIONS], "language": "xx"},
    )
    assert forged.status_code == 200 and "language" in forged.context["form"].errors
