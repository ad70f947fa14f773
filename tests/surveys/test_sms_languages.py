"""Answering by text in the consultation's languages: each translation has its own keyword, the
dialogue speaks the page's language (questions, our own words, SKIP/BACK/RESTART/YES in its words),
STOP stays STOP, and the finished response lands in the English page's one result set."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from messaging.models import Contact, FollowRequest, InboundMessage
from messaging.sms import segment_info, split_texts
from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from surveys import results, services, sms_reminders, sms_words
from surveys.choices import ConversationStatus, ResponseChannel
from surveys.models import Answer, Response, SmsConversation
from surveys.sms_dialogue import question_previews
from tests.factories import translate_page

from .texting import PHONE, invite_by_text, text

pytestmark = pytest.mark.django_db

POLISH = {
    "first-place": "Gdzie najpierw szukasz informacji o wychowywaniu dzieci?",
    "ease": "Czy łatwo jest znaleźć informacje o usługach dla rodzin w okolicy?",
    "would-help": "Co najbardziej pomogłoby Ci jako rodzicowi lub opiekunowi?",
    "forum": "Czy byłeś/byłaś na spotkaniu forum rodziców?",
    "forum-barrier": "Co ułatwiłoby Ci przyjście na spotkanie forum rodziców?",
    "how-asked": "Jak mamy pytać Cię o zdanie w przyszłości?",
    "children": "Iloma dziećmi poniżej 18 lat się opiekujesz?",
    "anything-else": "Czy chcesz nam powiedzieć coś jeszcze?",
}
POLISH_CHOICES = {"yes": "Tak", "no": "Nie", "school": "Szkoła lub przedszkole mojego dziecka"}
NEPALI = {
    "first-place": "बच्चा हुर्काउने बारे जानकारीका लागि तपाईं पहिले कहाँ जानुहुन्छ?",
    "ease": "तपाईंको नजिकै परिवारका लागि सेवाबारे थाहा पाउन कत्तिको सजिलो छ?",
}


def _worded(page, labels, choices=None):
    """The page's questions with these labels (by code) and choice labels (by key)."""
    raw = list(page.questions.get_prep_value())
    for block in raw:
        value = block["value"]
        if value.get("code") in labels:
            value["label"] = labels[value["code"]]
        for item in value.get("choices") or []:
            choice = item.get("value", item)
            if choice.get("key") in (choices or {}):
                choice["label"] = choices[choice["key"]]
    return raw


@pytest.fixture
def polish(keyword_consultation):
    return translate_page(
        keyword_consultation,
        "pl",
        title="Wsparcie dla rodziców",
        sms_keyword="ANKIETA",
        questions=_worded(keyword_consultation, POLISH, POLISH_CHOICES),
    )


@pytest.fixture
def nepali(keyword_consultation):
    return translate_page(
        keyword_consultation,
        "ne",
        title="अभिभावकका लागि सहयोग",
        sms_keyword="SAHAYOG",
        questions=_worded(keyword_consultation, NEPALI),
    )


@pytest.fixture
def say(client, settings):
    return lambda body, **kwargs: text(client, settings, body, **kwargs)


def _answer_all_in_polish(say):
    """ANKIETA, then every question answered (the show-if question included)."""
    say("ankieta")
    for reply in ["2", "4", "1 3", "nie", "Wieczorem", "1", "pomin", "Dziękuję"]:
        last = say(reply)
    return last


# --- Keywords ---------------------------------------------------------------------------------


def test_a_translation_starts_with_no_keyword_of_its_own_and_keeps_its_own(keyword_consultation):
    copy = translate_page(keyword_consultation, "pl", publish=False)
    assert copy.sms_keyword == ""
    assert keyword_consultation.sms_keyword == "SUPPORT"
    polish = translate_page(keyword_consultation, "pl", sms_keyword="ANKIETA")
    # Saving the English page (which passes its settings on to its translations) leaves it alone.
    keyword_consultation.sms_keyword = "PARENTS"
    keyword_consultation.save_revision().publish()
    polish.refresh_from_db()
    assert polish.sms_keyword == "ANKIETA"


def test_texting_the_polish_keyword_starts_the_polish_page_in_polish(say, polish):
    welcome, first = split_texts(say("ankieta"))  # any case
    assert welcome.startswith("Dziękujemy za udział w konsultacji 'Wsparcie dla rodziców'.")
    assert "HELP" in welcome and "STOP" in welcome
    assert first.startswith("P1/7 Gdzie najpierw szukasz informacji")
    assert "1=Szkoła lub przedszkole mojego dziecka" in first
    assert "Odpowiedz 1, 2, 3, 4 lub 5" in first
    conversation = SmsConversation.objects.get(phone=PHONE)
    assert conversation.consultation_id == polish.pk


def test_the_english_keyword_still_starts_the_english_page(say, keyword_consultation, polish):
    welcome, first = split_texts(say("SUPPORT"))
    assert welcome.startswith("Thank you for taking part in 'Support for parents'.")
    assert first.startswith("Q1/7 Where do you go first")


def test_a_polish_conversation_is_polish_to_the_end_and_lands_in_the_english_results(
    say, keyword_consultation, polish
):
    replies = [say("ANKIETA")]
    replies.append(say("2"))
    assert replies[-1].startswith("P2/7 Czy łatwo jest znaleźć") and "Odpowiedz od 1 (" in replies[-1]
    replies.append(say("9"))
    assert replies[-1] == "Niestety 9 nie jest żadną z opcji. Odpowiedz liczbą od 1 do 5."
    for reply in ["4", "1 3", "nie"]:
        replies.append(say(reply))
    # The first free-text question carries the safeguarding notice, in Polish; it is optional.
    assert replies[-1].startswith("P5/8 Co ułatwiłoby Ci") and "lub POMIŃ" in replies[-1]
    assert "Dzwoń 999" in replies[-1]
    for reply in ["Wieczorem", "1", "pomin", "Dziękuję"]:
        replies.append(say(reply))
    assert replies[-1].startswith("Gotowe, dziękujemy! Twoje odpowiedzi są zapisane.")
    assert "Odpowiedz TAK, a wyślemy SMS" in replies[-1]

    response = Response.objects.get()
    assert response.consultation_id == keyword_consultation.pk  # the English page: one result set
    assert response.language == "pl" and response.channel == ResponseChannel.SMS
    assert set(Answer.objects.values_list("language", flat=True)) == {"pl"}
    assert set(Answer.objects.values_list("consultation_id", flat=True)) == {keyword_consultation.pk}
    counts = results.response_counts(keyword_consultation)
    assert dict(counts["by_language"]) == {"Polish": 1}
    ids = {q.code: q.id for q in services.schema_for(keyword_consultation)}
    assert Answer.objects.get(question_id=ids["forum-barrier"]).text == "Wieczorem"
    assert not Answer.objects.filter(question_id=ids["children"]).exists()  # skipped with POMIN


def test_pomin_skips_and_a_required_question_says_so_in_polish(say, polish):
    say("ANKIETA")
    assert say("POMIŃ").startswith("P1 wymaga odpowiedzi. Odpowiedz 1, 2, 3, 4 lub 5.")
    assert say("SKIP").startswith("P1 wymaga odpowiedzi.")  # the English word works too
    for reply in ["1", "4", "1", "nie"]:
        say(reply)
    assert say("Pomiń").startswith("P6/8 Jak mamy pytać Cię o zdanie")


def test_wstecz_goes_back_and_help_names_the_polish_words(say, polish):
    say("ANKIETA")
    say("2")
    back = say("wstecz")
    assert back.startswith("Twoja odpowiedź: A children's centre. Odpowiedz jeszcze raz, aby ją zmienić.")
    assert "P1/7" in back
    help_reply = say("HELP")
    assert "WSTECZ - poprzednie pytanie, OD NOWA - od początku, STOP - koniec wszystkich SMS-ów" in help_reply
    assert "Albo odpowiedz online: http://testserver/consultations/" in help_reply
    assert say("pomoc").startswith("Odpowiedz 1, 2, 3, 4 lub 5.")  # Polish for help, in a conversation


def test_od_nowa_asks_first_and_tak_confirms(say, polish):
    say("ANKIETA")
    say("2")
    asked = say("od nowa")
    assert asked == (
        "Wyślij OD NOWA jeszcze raz lub TAK, aby zacząć od nowa: dotychczasowe odpowiedzi zostaną "
        "usunięte. Albo odpowiedz na P2, aby kontynuować."
    )
    restarted = split_texts(say("tak"))
    assert restarted[0] == "Twoje odpowiedzi zostały usunięte. Zaczynamy od nowa."
    assert restarted[1].startswith("P1/7")
    assert SmsConversation.objects.get().answers == {}


def test_stop_still_stops_a_polish_conversation(say, settings, polish):
    say("ANKIETA")
    stopped = say("STOP")
    assert stopped.startswith(f"{settings.MESSAGING_SENDER_NAME}: you will not get any more texts")
    assert say("2") == ""  # nothing more is texted, the dialogue included
    assert say("START").startswith(settings.MESSAGING_SENDER_NAME)


def test_the_english_keyword_carries_an_unfinished_polish_conversation_on_in_english(
    say, keyword_consultation, polish
):
    say("ANKIETA")
    say("2")
    resumed = say("SUPPORT")
    assert resumed.startswith("Welcome back to 'Support for parents'.")
    assert "Q2/7 How easy is it" in resumed  # the answer to Q1 is kept: the same question ids
    conversation = SmsConversation.objects.get()
    assert conversation.consultation_id == keyword_consultation.pk and len(conversation.answers) == 1
    assert SmsConversation.objects.filter(status=ConversationStatus.ACTIVE).count() == 1


def test_answered_in_english_is_answered_in_every_language(say, keyword_consultation, polish):
    say("SUPPORT")
    for reply in ["1", "1", "1", "1", "1", "SKIP", "SKIP"]:
        say(reply)
    assert Response.objects.count() == 1
    again = say("ANKIETA")
    assert again.startswith("Twoje odpowiedzi w konsultacji 'Wsparcie dla rodziców' już mamy. Dziękujemy!")
    assert Response.objects.count() == 1


def test_tak_after_the_polish_thank_you_asks_to_be_told_in_polish(say, polish, keyword_consultation):
    _answer_all_in_polish(say)
    told = say("TAK")
    assert told.startswith("Dziękujemy. Wyślemy Ci SMS, gdy zdecydujemy w sprawie")
    request = FollowRequest.objects.get()
    assert request.topic.endswith(str(keyword_consultation.pk))  # the English page's topic
    assert "Texted TAK to 'Odpowiedz TAK, a wyślemy SMS" in request.wording
    # A contact made from just the number reads Polish from now on.
    assert Contact.objects.get(mobile=PHONE).language == "pl"


def test_a_polish_contacts_yes_to_an_invitation_starts_the_polish_page(say, keyword_consultation, polish):
    contact = Contact.objects.create(name="Ola", mobile=PHONE, language="pl")
    invite_by_text(keyword_consultation, contact)  # the invitation is the English page's
    welcome, first = split_texts(say("TAK"))
    assert welcome.startswith("Dziękujemy za udział") and first.startswith("P1/7")
    conversation = SmsConversation.objects.get()
    assert conversation.consultation_id == polish.pk and conversation.invited
    for reply in ["1", "1", "1", "nie", "pomin", "1", "pomin", "pomin"]:
        say(reply)
    response = Response.objects.get()
    assert response.language == "pl" and response.invitation_key == f"{keyword_consultation.pk}:{contact.pk}"
    assert services.invitation_used(keyword_consultation, contact.pk)


def test_a_closed_consultation_says_so_in_polish(say, keyword_consultation, polish):
    say("ANKIETA")
    keyword_consultation.closes_at = timezone.now() - timedelta(minutes=1)
    keyword_consultation.opens_at = timezone.now() - timedelta(days=2)
    keyword_consultation.save()  # the English page's dates are every translation's
    assert say("2").startswith("Niestety konsultacja 'Wsparcie dla rodziców' została zamknięta")


# --- Nepali: another script -------------------------------------------------------------------


def test_a_nepali_conversation_takes_nepali_digits_and_is_ucs2(say, nepali):
    welcome, first = split_texts(say("sahayog"))
    assert welcome.startswith("'अभिभावकका लागि सहयोग' मा भाग लिनुभएकोमा धन्यवाद।")
    assert first.startswith("प्रश्न 1/7 बच्चा हुर्काउने बारे")
    assert segment_info(first).encoding == "UCS-2"
    second = say("२")  # a Nepali keyboard's 2
    assert second.startswith("प्रश्न 2/7 तपाईंको नजिकै")
    assert segment_info(second).segments <= 3


def test_a_devanagari_keyword_is_matched_however_it_is_typed(say, keyword_consultation, nepali):
    nepali.sms_keyword = "सहयोग"
    assert services.sms_keyword_problem(nepali) is None
    nepali.save_revision().publish()
    # With a zero-width joiner, as some keyboards put in: the same word.
    assert split_texts(say("सहयोग\u200d"))[1].startswith("प्रश्न 1/7")


# --- Keyword rules across languages -------------------------------------------------------------


def test_keyword_rules_apply_across_every_language(keyword_consultation, polish):
    polish.sms_keyword = "support"
    assert (
        services.sms_keyword_problem(polish)
        == "'Support for parents' already uses SUPPORT. Choose another word."
    )
    keyword_consultation.sms_keyword = "ankieta"
    assert services.sms_keyword_problem(keyword_consultation) == (
        "'Wsparcie dla rodziców' (in Polish) already uses ANKIETA. Choose another word."
    )
    for word in ["POMOC", "TAK", "wstecz", "odnowa", "HAAN", "हो", "pomin"]:
        polish.sms_keyword = word
        assert "is used for other things" in services.sms_keyword_problem(polish), word
    for word in ["ANKIETA2", "ŻŁOBEK", "सहयोग", "مدد2"]:
        polish.sms_keyword = word
        assert services.sms_keyword_problem(polish) is None, word
    polish.sms_keyword = "۲۰۲۶"  # digits of another script are neither letters nor 0-9
    assert "letters or numbers" in services.sms_keyword_problem(polish)
    polish.sms_keyword = "AN KIETA"
    assert "no spaces" in services.sms_keyword_problem(polish)


def test_accents_are_optional_in_a_keyword(say, make_consultation):
    make_consultation(title="Żłobki", slug="zlobki", sms_keyword="ŻŁOBEK")
    other = make_consultation(title="Other", slug="other")
    other.sms_keyword = "ZLOBEK"
    assert "already uses ŻŁOBEK" in services.sms_keyword_problem(other)
    assert split_texts(say("zlobek"))[0].startswith("Thank you for taking part in 'Żłobki'.")


# --- The words --------------------------------------------------------------------------------


def test_control_words_per_language():
    assert sms_words.command("pomin", "pl") == "SKIP" and sms_words.command("POMIŃ.", "pl") == "SKIP"
    assert sms_words.command("od  nowa", "pl") == "RESTART" and sms_words.command("ODNOWA", "pl") == "RESTART"
    assert sms_words.command("back", "pl") == "BACK"  # English words work in every language
    assert sms_words.command("wstecz", "en-gb") is None  # but not another language's
    assert sms_words.command("wstecz") == "BACK"  # unless no language is known yet
    assert sms_words.command("छोड", "ne") == "SKIP" and sms_words.command("واپس", "ur") == "BACK"
    assert sms_words.is_yes("tak", "pl") and not sms_words.is_yes("tak", "en-gb")
    assert sms_words.is_yes("جی", "ur") and sms_words.is_yes("y", "ur")
    assert sms_words.shown("pl", "skip") == "POMIŃ" and sms_words.shown("ne", "skip") == "SKIP"
    assert sms_words.fold("ﬁve") == "FIVE"  # NFKC: a ligature is its letters
    assert sms_words.fold("ي") == sms_words.fold("ی")  # Arabic and Urdu yeh


def test_the_carry_on_reminder_is_in_the_conversations_language(polish):
    now = timezone.now()
    text_ = sms_reminders.reminder_text(polish, 3, now, paused=True)
    assert text_.startswith("Konsultacja 'Wsparcie dla rodzic")
    assert "Do końca: 3 pytania. Aby kontynuować, wyślij ANKIETA." in text_
    assert translation.get_language() == "en-gb"  # the override ends with the text


# --- The editor's preview -----------------------------------------------------------------------


def test_previews_of_a_nepali_page_are_ucs2_with_their_segment_counts(nepali):
    previews = question_previews(nepali)
    first = previews[0]
    assert first.text.startswith("प्रश्न 1/8 बच्चा हुर्काउने बारे")
    assert first.encoding == "UCS-2" and first.limit == 3
    assert first.characters == len(first.text.encode("utf-16-le")) // 2
    assert first.segments == segment_info(first.text).segments > 1
    assert previews.any_ucs2


def test_the_preview_panel_shows_ucs2_and_flags_a_question_over_three_segments(
    client, staff_login, keyword_consultation, nepali
):
    long_label = "तपाईंको परिवारलाई सहयोग गर्ने सेवाहरूबारे जानकारी कहाँबाट पाउनुहुन्छ? " * 3
    raw = _worded(nepali, {"ease": long_label})
    nepali.questions = raw
    nepali.save_revision()
    staff_login(CONSULTATION_OFFICERS)
    body = client.get(f"/admin/pages/{nepali.pk}/edit/").content.decode()
    assert "The questions as text messages" in body
    assert "UCS-2" in body and "70 characters" in body
    segments = question_previews(nepali.get_latest_revision_as_object())[1].segments
    assert segments > 3 and f"Too long: {segments} texts" in body


def test_nothing_in_a_polish_reply_is_left_in_english(say, polish):
    """Every fixed word of a few replies comes from the Polish catalog (a missing entry shows up as
    English words here)."""
    replies = split_texts(say("ANKIETA")) + [say("9"), say("POMOC")]
    for english in ["Reply", "Thank you", "Sorry", "or SKIP", "needs an answer", "goes back"]:
        assert not any(english in reply for reply in replies), english
    assert InboundMessage.objects.count() == 3


def test_officers_see_every_languages_conversations_on_the_english_page(
    client, staff_login, say, keyword_consultation, polish
):
    say("ANKIETA")
    say("2", phone="+447700900456")  # not a conversation
    say("SUPPORT", phone="+447700900789")
    staff_login(CONSULTATION_OFFICERS)
    url = f"/admin/consultations/{keyword_consultation.pk}/texts/"
    body = client.get(url).content.decode()
    assert PHONE in body and "+447700900789" in body
    polish_conversation = SmsConversation.objects.get(phone=PHONE)
    detail = client.get(f"{url}{polish_conversation.pk}/")
    assert detail.status_code == 200 and "Dziękujemy za udział" in detail.content.decode()
