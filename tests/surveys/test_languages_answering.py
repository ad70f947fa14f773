"""A consultation answered in several languages is one consultation (issue #18): one result set
with a language breakdown, one answer per person or invitation, the English page's dates and
settings, and its question structure."""

import copy
import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from messaging.models import Message
from parentvoice.accounts import roles
from parentvoice.models import District
from surveys import exports, results, services, translations
from surveys.models import Answer, ConsultationPage, Response, ResumeLink
from surveys.small_numbers import NOT_SHOWN
from tests.factories import ContactFactory, translate_page

pytestmark = pytest.mark.django_db

REPLIES = {
    "first-place": {"answer": "online"},
    "ease": {"answer": "4"},
    "would-help": {"answer": ["talk"]},
    "forum": {"answer": "no"},
    "forum-barrier": {"answer": "Meetings after 6pm"},
    "how-asked": {"answer": "text"},
    "children": {"answer": "2"},
    "anything-else": {"answer": ""},
}


def _ids(page):
    return {q.code: q.id for q in services.schema_for(page)}


def _question_url(page, code):
    return f"/consultations/{page.pk}/question/{_ids(page)[code]}/"


def _answer(client, page, codes=None):
    """Follow the flow from Start on `page`, answering with REPLIES until a page outside the
    questions (or, with `codes`, until a question not in it). Returns the last response."""
    by_id = {q.id: q for q in services.schema_for(page)}
    response = client.get(f"/consultations/{page.pk}/start/")
    while "/question/" in response["Location"]:
        question = by_id[response["Location"].rstrip("/").split("/")[-1]]
        if codes is not None and question.code not in codes:
            return response
        response = client.post(response["Location"], REPLIES[question.code])
        assert response.status_code == 302, response.content.decode()[:1000]
    return response


def _submit(client, page):
    return client.post(f"/consultations/{page.pk}/check-your-answers/")


def _polish_wording(page):
    """The page's questions with the first question's wording and choices in Polish."""
    raw = copy.deepcopy(list(page.questions.get_prep_value()))
    first = next(block for block in raw if block["value"].get("code") == "first-place")
    first["value"]["label"] = "Gdzie najpierw szukasz informacji o wychowaniu dzieci?"
    for item in first["value"]["choices"]:
        value = item["value"] if "value" in item else item
        if value["key"] == "online":
            value["label"] = "Internet lub media społecznościowe"
    return raw


@pytest.fixture
def polish(consultation):
    return translate_page(
        consultation,
        "pl",
        title="Wsparcie dla rodziców",
        summary="Powiedz nam, co pomaga.",
        questions=_polish_wording(consultation),
    )


def _respond(page, n, **by_code):
    ids = _ids(page)
    for _ in range(n):
        services.submit_response(page, {ids[code]: value for code, value in by_code.items()}, channel="web")


# --- One result set ---------------------------------------------------------------------------


def test_answers_in_english_and_polish_are_one_result_set_with_a_language_breakdown(
    client, consultation, polish
):
    assert polish.is_translation and polish.source_page.pk == consultation.pk
    assert _ids(polish) == _ids(consultation)  # the translation keeps the block ids

    _answer(client, consultation)
    assert _submit(client, consultation)["Location"].endswith(f"/consultations/{consultation.pk}/done/")
    other = Client()
    _answer(other, polish)
    assert _submit(other, polish)["Location"].endswith(f"/consultations/{polish.pk}/done/")

    saved = list(Response.objects.order_by("pk"))
    assert [(r.consultation_id, r.language) for r in saved] == [
        (consultation.pk, "en-gb"),
        (consultation.pk, "pl"),
    ]
    assert not Answer.objects.filter(consultation_id=polish.pk).exists()
    by_language = {
        language: set(Answer.objects.filter(language=language).values_list("question_id", "choice_key"))
        for language in ("en-gb", "pl")
    }
    assert by_language["en-gb"] == by_language["pl"]  # same questions, same keys

    _respond(consultation, 6, forum="yes", **{"first-place": "school"})
    _respond(consultation, 7, forum="yes", **{"first-place": "health"})
    _respond(polish, 5, forum="yes", **{"first-place": "online"})
    _respond(polish, 5, forum="yes", **{"first-place": "school"})
    _respond(polish, 8, forum="yes", **{"first-place": "health"})
    by_code = {r.question.code: r for r in results.question_results(consultation)}
    assert by_code["forum"].answered == 33
    assert {c.key: c.count for c in by_code["forum"].choices} == {"yes": 31, "no": 2}

    table = results.breakdown(consultation, services.schema_for(consultation)[0], "language")
    assert table["dimension"] == "Language" and table["groups"] == ["English", "Polish"]
    rows = {row["label"]: row["cells"] for row in table["rows"]}
    assert rows["A health visitor, GP or midwife"] == [7, 8]
    # The one English 'online' is small, and 'school' is hidden too so that it cannot be worked out.
    assert rows["The internet or social media"] == [results.FEWER_THAN, NOT_SHOWN]
    assert rows["My child's school or nursery"] == [NOT_SHOWN, NOT_SHOWN]
    counts = results.response_counts(consultation)
    assert counts["total"] == 33 and counts["by_language"] == [("English", 14), ("Polish", 19)]


def test_results_by_language_follow_the_small_numbers_rule(consultation, polish):
    _respond(consultation, 9, forum="yes")
    _respond(polish, 3, forum="yes")
    table = results.breakdown(consultation, _forum(consultation), "language")
    rows = {row["label"]: row for row in table["rows"]}
    assert rows["Yes"]["cells"] == [NOT_SHOWN, results.FEWER_THAN]
    assert rows["Yes"]["total"] is None


def _forum(page):
    return next(q for q in services.schema_for(page) if q.code == "forum")


# --- Answering in Polish ------------------------------------------------------------------------


def test_polish_answering_pages_are_in_polish_and_link_to_the_same_step_in_english(
    client, consultation, polish
):
    client.get(f"/consultations/{polish.pk}/start/")
    response = client.get(_question_url(polish, "first-place"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="pl" dir="ltr"' in html and response["Content-Language"] == "pl"
    assert "Gdzie najpierw szukasz informacji" in html and "Internet lub media społecznościowe" in html
    # The language switcher: the same question on the English page, named in English.
    assert re.search(
        rf'href="{re.escape(_question_url(consultation, "first-place"))}"[^>]*hreflang="en-gb"', html
    )
    english = client.get(_question_url(consultation, "first-place")).content.decode()
    assert '<html lang="en-gb" dir="ltr"' in english
    assert re.search(rf'href="{re.escape(_question_url(polish, "first-place"))}"[^>]*hreflang="pl"', english)
    assert "Where do you go first for information" in english


def test_switching_language_part_way_keeps_the_answers(client, consultation, polish):
    stopped = _answer(client, consultation, codes={"first-place", "ease"})
    assert stopped["Location"] == _question_url(consultation, "would-help")
    # Carrying on in Polish starts at the next question, not the first.
    assert client.get(f"/consultations/{polish.pk}/start/")["Location"] == _question_url(polish, "would-help")
    _answer(client, polish)
    check = client.get(f"/consultations/{polish.pk}/check-your-answers/").content.decode()
    assert "Internet lub media społecznościowe" in check  # answered in English, shown in Polish
    _submit(client, polish)
    saved = Response.objects.get()
    assert saved.language == "pl" and saved.consultation_id == consultation.pk
    assert saved.answers.filter(question_id=_ids(consultation)["first-place"], choice_key="online").exists()
    # Answered in one language is answered in all.
    assert "You have already answered" in client.get(consultation.url).content.decode()
    assert client.get(f"/consultations/{consultation.pk}/start/")["Location"] == consultation.url


def test_one_invitation_answers_once_whatever_the_language(consultation, polish):
    contact = ContactFactory()
    token = services.invitation_token(consultation.pk, contact.pk)
    english, in_polish = Client(), Client()
    in_polish.get(f"/consultations/{polish.pk}/invitation/{token}/")
    _answer(in_polish, polish)
    english.get(f"/consultations/{consultation.pk}/invitation/{token}/")
    _answer(english, consultation)
    _submit(english, consultation)

    refused = _submit(in_polish, polish)
    assert refused.status_code == 409
    assert Response.objects.count() == 1
    # Opening the same invitation on the Polish page after it was used says so.
    used = Client().get(f"/consultations/{polish.pk}/invitation/{token}/")
    assert used.status_code == 200 and services.invitation_used(polish, contact.pk)


def test_a_polish_save_and_come_back_link_is_the_english_pages_and_opens_in_polish(
    client, consultation, polish
):
    stopped = _answer(client, polish, codes={"first-place"})
    client.post(stopped["Location"], {"save": "1"})
    client.post(f"/consultations/{polish.pk}/save-and-come-back/", {"address": "parent@example.org"})
    link = ResumeLink.objects.get()
    assert link.consultation_id == consultation.pk
    url = re.search(
        r"http://testserver(/consultations/\d+/resume/[A-Za-z0-9_-]+/)", Message.objects.get().body
    ).group(1)
    assert url.startswith(f"/consultations/{polish.pk}/resume/")
    fresh = Client()
    resumed = fresh.post(url)
    assert resumed["Location"] == _question_url(polish, "ease")


# --- Settings from the English page ---------------------------------------------------------------


def test_closing_the_english_page_closes_the_translation(client, consultation, polish):
    client.get(f"/consultations/{polish.pk}/start/")
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.opens_at = timezone.now() - timedelta(days=2)
    consultation.save_revision().publish()

    polish.refresh_from_db()
    assert polish.closes_at == consultation.closes_at and not polish.is_open
    assert client.get(_question_url(polish, "first-place"))["Location"] == polish.url
    assert client.get(f"/consultations/{polish.pk}/start/")["Location"] == polish.url


def test_a_translation_takes_the_english_pages_settings_whatever_its_editor_says(consultation, polish):
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    polish.closes_at = timezone.now() + timedelta(days=300)
    polish.anonymity = "anonymous"
    polish.results_published = True
    polish.districts = [dover]
    polish.save_revision().publish()
    polish = ConsultationPage.objects.get(pk=polish.pk)
    assert polish.closes_at == consultation.closes_at
    assert polish.anonymity == consultation.anonymity == "linked"
    assert not polish.results_published and not polish.districts.exists()

    consultation.districts = [dover]
    consultation.ask_about_you = True
    consultation.save_revision().publish()
    polish = ConsultationPage.objects.get(pk=polish.pk)
    assert list(polish.districts.all()) == [dover] and polish.ask_about_you


def test_a_translation_that_changes_the_questions_structure_is_refused(consultation, polish):
    raw = list(polish.questions.get_prep_value())
    polish.questions = [block for block in raw if block["value"].get("code") != "children"]
    with pytest.raises(ValidationError) as refused:
        polish.save_revision()
    assert "A translation keeps the English page's questions: translate the wording only" in str(
        refused.value
    )

    reordered = ConsultationPage.objects.get(pk=polish.pk)
    raw = list(reordered.questions.get_prep_value())
    reordered.questions = [raw[2], raw[1], *raw[3:], raw[0]]
    with pytest.raises(ValidationError):
        reordered.full_clean()


def test_a_translation_may_change_wording_but_not_the_rules(consultation, polish):
    page = ConsultationPage.objects.get(pk=polish.pk)
    raw = list(page.questions.get_prep_value())
    children = next(block for block in raw if block["value"].get("code") == "children")
    children["value"]["label"] = "Ile masz dzieci?"
    children["value"]["required"] = not children["value"]["required"]
    children["value"]["max_value"] = 1000
    page.questions = raw
    page.save_revision().publish()
    question = next(
        q for q in services.schema_for(ConsultationPage.objects.get(pk=polish.pk)) if q.code == "children"
    )
    english = next(q for q in services.schema_for(consultation) if q.code == "children")
    assert question.label == "Ile masz dzieci?"
    assert (question.required, question.max_value) == (english.required, english.max_value)


def _add_question(page):
    raw = list(page.questions.get_prep_value())
    raw.append(
        {
            "type": "free_text",
            "id": "7c1b9d2e-0000-4000-8000-000000000001",
            "value": {
                "label": "Anything about transport?",
                "hint": "",
                "required": False,
                "code": "transport",
                "show_if": {},
                "max_length": 500,
            },
        }
    )
    page.questions = raw
    page.save_revision().publish()


def test_a_translation_out_of_date_with_the_english_questions_cannot_be_answered(
    client, consultation, polish
):
    client.get(f"/consultations/{polish.pk}/start/")
    _add_question(ConsultationPage.objects.get(pk=consultation.pk))
    polish = ConsultationPage.objects.get(pk=polish.pk)
    assert translations.is_out_of_date(polish)

    assert client.get(f"/consultations/{polish.pk}/start/")["Location"] == polish.url
    assert client.get(_question_url(polish, "first-place"))["Location"] == polish.url
    intro = client.get(polish.url).content.decode()
    assert "Aktualizujemy pytania w tej wersji językowej" in intro
    assert f'href="{consultation.url}" hreflang="en-GB"' in intro
    assert f"/consultations/{polish.pk}/start/" not in intro
    # Answering pages in English no longer offer the out-of-date Polish.
    english = client.get(_question_url(consultation, "first-place")).content.decode()
    assert f"/consultations/{polish.pk}/" not in english

    # The translator gets a draft with the new question (in English) and their wording kept.
    draft = polish.get_latest_revision_as_object()
    assert services.question_structure(draft.questions) == services.question_structure(
        consultation.__class__.objects.get(pk=consultation.pk).questions
    )
    labels = {q.code: q.label for q in services.schema_for(draft, use_cache=False)}
    assert (
        labels["first-place"].startswith("Gdzie najpierw")
        and labels["transport"] == "Anything about transport?"
    )
    draft.save_revision().publish()
    polish = ConsultationPage.objects.get(pk=polish.pk)
    assert not translations.is_out_of_date(polish)
    assert client.get(f"/consultations/{polish.pk}/start/")["Location"].startswith(
        f"/consultations/{polish.pk}/question/"
    )


# --- Results ------------------------------------------------------------------------------------


def test_the_export_has_a_language_column(consultation, polish):
    _respond(consultation, 1, forum="yes")
    _respond(polish, 1, forum="no")
    text = "".join(exports.csv_chunks(consultation)).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert "language" in header and "language" in exports.FIXED_COLUMNS
    assert [(row[header.index("language")], row[header.index("forum")]) for row in rows] == [
        ("English", "Yes"),
        ("Polish", "No"),
    ]


def test_a_translations_admin_results_and_export_are_the_english_pages(
    client, staff_login, consultation, polish
):
    _respond(consultation, 2, forum="yes")
    _respond(polish, 3, forum="no")
    staff_login(roles.CONSULTATION_OFFICERS)
    for page in (consultation, polish):
        html = client.get(f"/admin/consultations/{page.pk}/results/?by=language").content.decode()
        assert "5</strong> responses" in html and "By language: English 2, Polish 3." in html
        assert '<option value="language" selected>Language</option>' in html
        assert "Where do you go first for information" in html  # the English page's wording
        body = b"".join(client.get(f"/admin/consultations/{page.pk}/export.csv").streaming_content)
        assert len(body.decode().splitlines()) == 6


def test_the_translated_pages_public_results_are_the_same_result_set(client, consultation, polish):
    _respond(consultation, 6, forum="yes", **{"first-place": "online"})
    _respond(polish, 5, forum="no", **{"first-place": "online"})
    consultation.results_published = True
    consultation.save_revision().publish()
    english = client.get(consultation.url + "results/").content.decode()
    in_polish = client.get(polish.url + "results/").content.decode()
    for html in (english, in_polish):
        assert "6 (54.5%)" in html and "5 (45.5%)" in html  # forum: yes and no across both languages
    assert "Internet lub media społecznościowe" in in_polish and "11 (100%)" in in_polish


def test_a_paper_response_records_the_language_of_its_form(client, staff_login, consultation, polish):
    staff_login(roles.CONSULTATION_OFFICERS)
    form = client.get(f"/admin/consultations/{polish.pk}/paper/").content.decode()
    assert re.search(r'<option value="pl" selected>Polish</option>', form)
    ids = _ids(consultation)
    data = {
        ids["first-place"]: "school",
        ids["ease"]: "3",
        ids["would-help"]: ["money"],
        ids["forum"]: "yes",
        ids["how-asked"]: "phone",
    }
    assert (
        client.post(f"/admin/consultations/{consultation.pk}/paper/", {**data, "language": "ne"}).status_code
        == 302
    )
    assert client.post(f"/admin/consultations/{consultation.pk}/paper/", data).status_code == 302
    assert list(Response.objects.order_by("pk").values_list("consultation_id", "language", "channel")) == [
        (consultation.pk, "ne", "paper"),
        (consultation.pk, "en-gb", "paper"),
    ]
    assert set(Answer.objects.filter(response__language="ne").values_list("language", flat=True)) == {"ne"}


def test_the_editor_says_what_a_translation_takes_from_the_english_page(
    client, staff_login, consultation, polish
):
    staff_login(is_superuser=True)
    translated = client.get(f"/admin/pages/{polish.pk}/edit/").content.decode()
    english = client.get(f"/admin/pages/{consultation.pk}/edit/").content.decode()
    assert "This is a translation: translate the wording only." in translated
    assert "This is a translation" not in english
