"""The demo in Polish and Nepali (docs/languages.md): the main consultation translated as an officer
would, with the same questions, its own keywords and a note that the translations are examples;
answers and contacts in both languages; loading twice changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.actions.copy_for_translation import ParentNotTranslatedError
from wagtail.models import Locale, Page, Revision

from messaging.models import Contact
from parentvoice.demo import (
    DEMO_LANGUAGES,
    EXAMPLE_NOTE_EN,
    EXAMPLE_NOTES,
    load_demo_content,
    translate_demo_page,
)
from parentvoice.models import HomePage, StandardPage
from surveys import services
from surveys.demo_languages import CONSULTATION_WORDS, translated_questions
from surveys.models import ConsultationIndexPage, ConsultationPage, Response

pytestmark = pytest.mark.django_db


def _main_consultation():
    return ConsultationPage.objects.get(locale=Locale.get_default(), slug="support-for-parents")


def _words(stream):
    """Every word a parent reads in the questions, with where it is."""
    words = {}
    for child in stream:
        value = child.value
        if child.block_type == "section":
            words[(child.id, "heading")] = value["heading"]
            continue
        for field in ("label", "hint", "low_label", "high_label"):
            if value.get(field):
                words[(child.id, field)] = value[field]
        for choice in value.get("choices") or []:
            words[(child.id, choice["key"])] = choice["label"]
    return words


def test_the_demo_offers_the_main_consultation_in_polish_and_nepali(demo, client):
    english = _main_consultation()
    english_index = ConsultationIndexPage.objects.get(locale=Locale.get_default())
    for code in DEMO_LANGUAGES:
        locale = Locale.objects.get(language_code=code)
        translation = english.get_translation(locale).specific

        assert translation.live and not translation.has_unpublished_changes, code
        assert translation.source_page.pk == english.pk
        assert services.question_structure(translation.questions) == services.question_structure(
            english.questions
        )
        ours, theirs = _words(translation.questions), _words(english.questions)
        assert ours.keys() == theirs.keys()
        assert [place for place in ours if ours[place] == theirs[place]] == [], code
        for field in ("title", "summary", "who_for", "why_asking", "what_happens_next"):
            assert getattr(translation, field) != getattr(english, field), (code, field)
        # The documents are the English page's, their links in the language (saying they are in English).
        english_links = [document.link_text for document in english.documents.all()]
        links = [document.link_text for document in translation.documents.all()]
        assert len(links) == len(english_links) and not set(links) & set(english_links)
        # Its own keyword (Latin letters, so any phone can send it), never the English page's.
        assert translation.sms_keyword == CONSULTATION_WORDS[code]["sms_keyword"] != english.sms_keyword
        assert services.sms_keyword_problem(translation) is None
        # The note comes first, in the language and in English, within the summary's limit.
        assert translation.summary.startswith(EXAMPLE_NOTES[code])
        assert EXAMPLE_NOTE_EN in translation.summary
        assert len(translation.summary) <= ConsultationPage._meta.get_field("summary").max_length

        response = client.get(translation.url)
        assert response.status_code == 200
        assert f'lang="{code}"' in response.text
        assert translation.title in response.text and EXAMPLE_NOTES[code] in response.text

        # The pages above it, translated first as in the admin, and the public log's page.
        home = HomePage.objects.get(locale=locale)
        index = ConsultationIndexPage.objects.get(locale=locale)
        assert home.live and index.live and translation.get_parent().pk == index.pk
        assert index.get_parent().pk == home.pk
        assert (index.title, index.introduction) != (english_index.title, english_index.introduction)
        assert home.body[0].block_type == "inset_text" and EXAMPLE_NOTES[code] in home.body[0].value
        assert Page.objects.live().get(locale=locale, slug="you-said-we-did").title != "You said, we did"

        # Answers given on it count in the English page's one result set, in its language.
        answered = Response.objects.filter(consultation=english, language=code)
        assert answered.count() >= 5  # so a breakdown by language shows a count, not "fewer than 5"
        assert set(answered.values_list("channel", flat=True)) == {"web", "sms"}
        assert Contact.objects.filter(language=code).count() >= 3
    assert not Response.objects.filter(consultation__locale__language_code__in=DEMO_LANGUAGES).exists()


def test_loading_again_adds_nothing_and_puts_back_a_changed_translations_words(demo):
    changed = _main_consultation().get_translation(Locale.objects.get(language_code="pl")).specific
    changed.title = "Changed by someone"
    changed.save_revision().publish()
    pages = list(Page.objects.order_by("pk").values_list("pk", "translation_key", "locale_id"))
    revisions = {pk: Revision.page_revisions.filter(object_id=str(pk)).count() for pk, _, _ in pages}
    counts = (Response.objects.count(), Contact.objects.count())

    load_demo_content()

    assert list(Page.objects.order_by("pk").values_list("pk", "translation_key", "locale_id")) == pages
    assert (Response.objects.count(), Contact.objects.count()) == counts
    added = {
        pk: Revision.page_revisions.filter(object_id=str(pk)).count() - before
        for pk, before in revisions.items()
    }
    assert {pk: n for pk, n in added.items() if n} == {changed.pk: 1}
    changed.refresh_from_db()
    assert changed.title == CONSULTATION_WORDS["pl"]["title"]


def test_a_page_whose_parent_is_not_translated_is_refused_as_in_the_admin(home_page):
    page = home_page.add_child(instance=StandardPage(title="About", slug="about", body=[]))
    with pytest.raises(ParentNotTranslatedError):
        translate_demo_page(page, "pl", {"title": "O nas"})
    assert not Page.objects.filter(locale__language_code="pl").exists()


def test_a_question_without_words_keeps_its_english_words_and_its_place(home_page):
    index = home_page.add_child(instance=ConsultationIndexPage(title="Have your say", slug="have-your-say"))
    english = ConsultationPage(
        title="Parks",
        slug="parks",
        summary="Parks.",
        why_asking="<p>Why.</p>",
        what_happens_next="<p>Next.</p>",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=28),
        questions=[
            {"type": "single_choice", "value": {"label": "New question", "code": "new", "choices": [
                {"label": "Yes", "key": "yes"}, {"label": "No", "key": "no"}]}},
            {"type": "single_choice", "value": {"label": "Been to a forum?", "code": "forum", "choices": [
                {"label": "Yes", "key": "yes"}, {"label": "No", "key": "no"}]}},
        ],
    )  # fmt: skip
    index.add_child(instance=english)

    questions = translated_questions(english, CONSULTATION_WORDS["pl"])

    assert [question["value"]["label"] for question in questions] == [
        "New question",
        CONSULTATION_WORDS["pl"]["questions"]["forum"]["label"],
    ]
    assert [[choice["key"] for choice in q["value"]["choices"]] for q in questions] == [
        ["yes", "no"],
        ["yes", "no"],
    ]
    assert [choice["label"] for choice in questions[1]["value"]["choices"]] == ["Tak", "Nie"]
