"""Consultation pages in another language read in that language (issue #18): the service's own words
around the translated questions (buttons, headings, progress, errors, the error summary) come from
the catalog, and Urdu is laid out right to left."""

import re

import pytest
from django.utils import translation

from surveys import services, wording
from surveys.about_you import about_you_questions
from surveys.questions import AnswerError, Question, clean_answer
from tests.factories import translate_page

pytestmark = pytest.mark.django_db


def _html(response):
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


def _first_question(client, page):
    start = client.get(f"/consultations/{page.pk}/start/")
    assert start.status_code == 302
    return start["Location"]


def test_a_polish_consultation_intro_reads_in_polish(client, consultation):
    polish = translate_page(consultation, "pl", title="Wsparcie dla rodziców")
    html = _html(client.get(polish.url))
    assert polish.url.startswith("/pl/")
    assert '<html lang="pl" dir="ltr"' in html
    assert "Rozpocznij" in html
    assert "Dlaczego pytamy" in html
    assert "Nie potrzebujesz konta" in html
    assert "Przejdź do treści głównej" in html
    for english in ("Start now", "Why we are asking", "Skip to main content", "You do not need an account"):
        assert english not in html


def test_the_english_intro_is_unchanged(client, consultation):
    translate_page(consultation, "pl")
    html = _html(client.get(consultation.url))
    assert '<html lang="en-gb" dir="ltr"' in html
    assert "Start now" in html and "Rozpocznij" not in html
    assert "You do not need an account." in html


def test_a_polish_question_page_has_polish_buttons_and_progress(client, consultation):
    polish = translate_page(consultation, "pl")
    html = _html(client.get(_first_question(client, polish)))
    assert '<html lang="pl" dir="ltr"' in html
    assert ">Dalej</button>" in html
    assert "Zapisz i wróć później" in html
    assert re.search(r"Pytanie 1 z \d+", html)
    assert ">Wstecz</a>" in html
    assert "Continue" not in html and "Save and come back later" not in html


def test_the_error_summary_and_the_answer_error_are_in_the_page_language(client, consultation):
    polish = translate_page(consultation, "pl")
    response = client.post(_first_question(client, polish), {"answer": ""})
    html = _html(response)
    assert response.status_code == 400
    assert '<h2 class="govuk-error-summary__title">Wystąpił problem</h2>' in html
    assert "<title>Błąd:" in html
    assert "Wybierz odpowiedź" in html  # the general message: the English one is made from English grammar
    assert "There is a problem" not in html and "Select" not in html


def test_an_urdu_page_is_right_to_left(client, consultation):
    urdu = translate_page(consultation, "ur")
    html = _html(client.get(urdu.url))
    assert '<html lang="ur" dir="rtl"' in html
    assert "ابھی شروع کریں" in html  # Start now
    question = _html(client.get(_first_question(client, urdu)))
    assert '<html lang="ur" dir="rtl"' in question
    assert ">جاری رکھیں</button>" in question


def test_a_free_text_question_gives_the_character_count_its_words_only_in_another_language(
    client, consultation
):
    polish = translate_page(consultation, "pl")
    free_text = next(q for q in services.schema_for(polish) if q.type == "free_text" and not q.show_if)
    for page, expect in ((polish, True), (consultation, False)):
        client.get(f"/consultations/{page.pk}/start/")
        html = _html(client.get(f"/consultations/{page.pk}/question/{free_text.id}/"))
        assert 'data-module="govuk-character-count"' in html
        assert ('data-i18n.characters-under-limit.few="Zostały Ci %{count} znaki"' in html) is expect


def test_the_menu_links_to_the_pages_in_the_page_language(client, consultation):
    index = consultation.get_parent().specific
    index.show_in_menus = True
    index.save_revision().publish()
    polish = translate_page(consultation, "pl")
    polish_index = polish.get_parent()
    polish_index.specific.save_revision().publish()
    nav = re.search(
        r'<ul class="govuk-service-navigation__list".*?</ul>', _html(client.get(polish.url)), re.S
    )
    assert f'href="{polish_index.url}"' in nav.group(0)
    english_nav = re.search(
        r'<ul class="govuk-service-navigation__list".*?</ul>', _html(client.get(consultation.url)), re.S
    )
    assert f'href="{index.url}"' in english_nav.group(0)


# --- Words made in Python --------------------------------------------------------------------


def _question(kind="single_choice", **fields):
    values = {"id": "q1", "type": kind, "code": "q1", "label": "Where do you live?", "choices": (("a", "A"),)}
    return Question(**{**values, **fields})


def test_an_answer_error_is_translated_when_it_is_shown_not_when_it_is_made():
    with pytest.raises(AnswerError) as raised:
        clean_answer(_question(kind="free_text", max_length=10), "far too long an answer")
    error = raised.value
    assert str(error) == "Your answer must be 10 characters or fewer"
    with translation.override("pl"):
        assert str(error) == "Odpowiedź może mieć najwyżej 10 znaków"
        assert f"{error.message}" == "Odpowiedź może mieć najwyżej 10 znaków"
    with translation.override("ne"):
        assert str(error) == "तपाईंको जवाफ 10 अक्षर वा सोभन्दा कम हुनुपर्छ"


def test_the_missing_answer_error_is_made_from_the_question_only_in_english():
    question = _question()
    assert wording.missing_answer(question) == "Select where you live"
    with translation.override("pl"):
        assert wording.missing_answer(question) == "Wybierz odpowiedź"


def test_time_estimates_and_how_long_answers_are_kept_in_polish_plurals():
    assert wording.kept_for(12 * 3600) == "12 hours"
    with translation.override("pl"):
        assert wording.kept_for(3600) == "1 godzinę"
        assert wording.kept_for(3 * 3600) == "3 godziny"
        assert wording.kept_for(12 * 3600) == "12 godzin"
        assert wording.time_estimate([_question()] * 4) == "około 2 minut"
        assert wording.optional_questions([_question(), _question(required=False)]) == (
            "Możesz pominąć pytanie 2."
        )


def test_the_about_you_questions_are_asked_in_the_page_language():
    english = about_you_questions([("dover", "Dover")], equality=True)
    with translation.override("ur"):
        urdu = about_you_questions([("dover", "Dover")], equality=True)
    assert [q.id for q in urdu] == [q.id for q in english]
    assert [[key for key, _ in q.choices] for q in urdu] == [[key for key, _ in q.choices] for q in english]
    assert english[2].label == "Where do you live?" and urdu[2].label == "آپ کہاں رہتے ہیں؟"
    assert ("dover", "Dover") in urdu[2].choices  # place names stay as they are
    assert urdu[0].section == "آپ کے بارے میں"
    assert dict(urdu[0].choices)["father"] == "والد"
