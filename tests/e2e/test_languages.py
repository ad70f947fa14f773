"""Issue 18 in a real browser: consultations in other languages (docs/languages.md), easy read and
documents.

1. From an empty site, an administrator adds Polish (Settings > Locales), translates the consultation
   with Wagtail's Translate (the parent pages first, as Wagtail asks), edits the draft's title and
   questions and publishes; the Polish page has `<html lang="pl">` and a language switcher between
   English and Polski. A parent answers it in Polish; another, with JavaScript off, reaches it through
   the switcher and answers too; the officer's results are one result set with a language breakdown.
2. The demo's Polish and Nepali consultation, its easy-read page and its documents: axe (WCAG 2.2 AA)
   clean and no sideways scrolling at 320px.
3. Right to left: the demo's consultation in Urdu is laid out right to left, each radio button on the
   right of its words.
"""

import copy
import re

import pytest
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from tests.e2e.conftest import fits_320 as _fits_320
from tests.e2e.conftest import no_axe_violations as _no_axe_violations
from tests.e2e.editor import publish

pytestmark = pytest.mark.e2e


def _switcher(page):
    return page.get_by_role("navigation", name=re.compile("Languages|Języki|भाषा|زبان"))


def _expect_language(page, lang, direction="ltr"):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


# --- 1. An officer translates a consultation; parents answer it in Polish ----------------------------


@pytest.fixture
def consultation(live_server, transactional_db, home_page):
    """An English consultation with three questions on an otherwise empty site, and no locale but English."""
    from datetime import timedelta

    from django.utils import timezone

    from surveys.demo import SUPPORT_QUESTIONS
    from surveys.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage(title="Have your say", slug="have-your-say")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    page = ConsultationPage(
        title="Support for parents",
        slug="support",
        summary="Tell us what helps.",
        why_asking="<p>Because.</p>",
        what_happens_next="<p>We will report back.</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        ask_about_you=False,
        questions=[
            q
            for q in SUPPORT_QUESTIONS
            if q["type"] != "section" and q["value"]["code"] in ("first-place", "ease", "anything-else")
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


QUESTION_EN = "Where do you go first for information about bringing up children?"
TITLE_PL = "Wsparcie dla rodziców"
QUESTION_PL = "Gdzie najpierw szukasz informacji o wychowywaniu dzieci?"
ONLINE_PL = "W internecie lub w mediach społecznościowych"
ANYTHING_ELSE_PL = "Czy chcesz nam powiedzieć coś jeszcze?"


def _answer_in_polish(parent, comment):
    """From the Polish consultation's intro to the confirmation, in Polish."""
    parent.get_by_role("button", name="Rozpocznij").click()  # "Start now"
    expect(parent.locator("h1")).to_have_text(QUESTION_PL)
    _expect_language(parent, "pl")
    parent.get_by_label(ONLINE_PL).check()
    parent.get_by_role("button", name="Dalej").click()  # "Continue"
    parent.get_by_label("2", exact=True).check()
    parent.get_by_role("button", name="Dalej").click()
    expect(parent.locator("h1")).to_contain_text(ANYTHING_ELSE_PL)
    parent.get_by_label(re.compile(ANYTHING_ELSE_PL)).fill(comment)
    parent.get_by_role("button", name="Dalej").click()
    expect(parent.locator("h1")).to_have_text("Sprawdź swoje odpowiedzi")  # "Check your answers"
    answers = parent.locator("main .govuk-summary-list")
    expect(answers).to_contain_text(QUESTION_PL)
    expect(answers).to_contain_text(ONLINE_PL)
    expect(answers).to_contain_text(comment)
    parent.get_by_role("button", name="Wyślij moje odpowiedzi").click()  # "Send my answers"
    expect(parent.locator("h1")).to_contain_text("Twoje odpowiedzi zostały wysłane")
    _expect_language(parent, "pl")


def test_an_officer_translates_a_consultation_into_polish_and_parents_answer_it(
    live_server, consultation, signed_in, new_browser
):
    from django.contrib.auth import get_user_model

    from surveys import services
    from surveys.models import Answer, ConsultationPage, Response

    site_url = live_server.url
    officer = signed_in(CONSULTATION_OFFICERS, "admin@example.org")
    get_user_model().objects.filter(email="admin@example.org").update(is_superuser=True)  # adds languages

    # Settings > Locales > Add a locale: Polski.
    officer.goto(f"{site_url}/admin/")
    officer.get_by_role("button", name="Settings").click()
    officer.get_by_role("link", name="Locales").click()
    officer.get_by_role("link", name="Add a locale").click()
    officer.get_by_label("Language").select_option(label="Polski")
    officer.get_by_role("button", name="Create").click()
    expect(officer.locator(".messages")).to_contain_text("Locale 'Polski' created")

    # The consultation's "..." > Translate: Polish is greyed out until the pages above it are translated.
    index = consultation.get_parent()
    officer.goto(f"{site_url}/admin/pages/{index.pk}/")
    row = officer.locator("table tbody tr", has_text=consultation.title)
    row.get_by_role("button", name="More options").click()
    officer.get_by_role("link", name="Translate", exact=True).click()
    expect(officer.get_by_label("Polski")).to_be_disabled()
    officer.get_by_role("link", name="Translate the parent page.").click()  # "Have your say": its parent too
    expect(officer.get_by_label("Polski")).to_be_disabled()
    officer.get_by_role("link", name="Translate the parent page.").click()  # the home page
    officer.get_by_label("Polski").check()
    officer.get_by_role("button", name="Submit").click()
    expect(officer.locator(".messages")).to_contain_text("successfully created in Polski")
    officer.locator("#id_title").fill("Głos rodziców")
    publish(officer)

    officer.goto(f"{site_url}/admin/translation/submit/page/{index.pk}/")
    officer.get_by_label("Polski").check()
    officer.get_by_role("button", name="Submit").click()
    officer.locator("#id_title").fill("Wyraź swoje zdanie")
    publish(officer)

    officer.goto(f"{site_url}/admin/translation/submit/page/{consultation.pk}/")
    officer.get_by_label("Polski").check()
    officer.get_by_role("button", name="Submit").click()
    expect(officer.locator(".messages")).to_contain_text(f"'{consultation.title}' was successfully created")
    polish = ConsultationPage.objects.get(
        translation_key=consultation.translation_key, locale__language_code="pl"
    )
    assert not polish.live  # a draft until the translator publishes it
    expect(officer).to_have_url(re.compile(rf"/admin/pages/{polish.pk}/edit/$"))
    officer.locator("#id_title").fill(TITLE_PL)
    officer.locator("input[name='questions-0-value-label']").fill(QUESTION_PL)
    officer.locator("input[name='questions-0-value-choices-3-value-label']").fill(ONLINE_PL)
    officer.locator("input[name='questions-2-value-label']").fill(ANYTHING_ELSE_PL)
    publish(officer)
    officer.goto("about:blank")  # out of the editor, whose background requests share the database
    polish.refresh_from_db()
    assert polish.live and polish.title == TITLE_PL

    # The public pages: English <-> Polski through the switcher, each link marked with its language.
    parent = new_browser()
    parent.goto(site_url + consultation.url)
    english = _switcher(parent)
    expect(english.locator("[aria-current]")).to_have_text("English")
    to_polish = english.get_by_role("link", name="Polski")
    expect(to_polish).to_have_attribute("lang", "pl")
    expect(to_polish).to_have_attribute("hreflang", "pl")
    to_polish.click()
    expect(parent).to_have_url(re.compile(r"/pl/.+/support/$"))
    expect(parent.locator("h1")).to_have_text(TITLE_PL)
    _expect_language(parent, "pl")
    polski = _switcher(parent)
    expect(polski.locator("[aria-current]")).to_have_text("Polski")
    expect(polski.locator("[aria-current]")).to_have_attribute("lang", "pl")
    to_english = polski.get_by_role("link", name="English")
    expect(to_english).to_have_attribute("lang", "en-gb")
    expect(to_english).to_have_attribute("hreflang", "en-gb")
    expect(to_english).to_have_attribute("href", consultation.url)
    _no_axe_violations(parent)

    _answer_in_polish(parent, "Więcej zajęć wieczorem.")
    parent.goto("about:blank")

    # Without JavaScript: the switcher and the whole Polish flow.
    plain = new_browser(java_script_enabled=False)
    plain.goto(site_url + consultation.url)
    _switcher(plain).get_by_role("link", name="Polski").click()
    expect(plain.locator("h1")).to_have_text(TITLE_PL)
    _answer_in_polish(plain, "Zajęcia w soboty.")
    plain.goto("about:blank")

    # One result set: both Polish answers stored against the English page, beside an English one.
    ids = {q.code: q.id for q in services.schema_for(consultation)}
    services.submit_response(consultation, {ids["first-place"]: "school", ids["ease"]: "4"}, channel="web")
    assert list(Response.objects.order_by("pk").values_list("consultation_id", "language")) == [
        (consultation.pk, "pl"),
        (consultation.pk, "pl"),
        (consultation.pk, "en-gb"),
    ]
    assert set(Answer.objects.filter(language="pl").values_list("choice_key", flat=True)) >= {"online", "2"}
    officer.goto(f"{site_url}/admin/pages/{index.pk}/")
    row = officer.locator("table tbody tr", has_text=consultation.title)
    row.get_by_role("button", name="More options").click()
    officer.get_by_role("link", name="Results", exact=True).click()
    expect(officer).to_have_url(re.compile(rf"/admin/consultations/{consultation.pk}/results/$"))
    expect(officer.locator("main")).to_contain_text("3 responses")
    expect(officer.locator("main")).to_contain_text("By language: English 1, Polish 2")
    officer.get_by_label("Break down each question by").select_option(label="Language")
    officer.get_by_role("button", name="Show").click()
    table = officer.locator("main table", has_text=f"{QUESTION_EN} by language")
    expect(table.locator("thead th")).to_contain_text(["Answer", "English", "Polish"])
    officer.goto("about:blank")


# --- 2. The demo in Polish and Nepali, easy read and documents -----------------------------------


def _check(page):
    _no_axe_violations(page)
    _fits_320(page)


def test_the_demo_consultation_in_polish_and_nepali_its_easy_read_and_documents_are_accessible(
    site_url, new_browser
):
    from surveys.models import ConsultationPage, EasyReadPage

    main = ConsultationPage.objects.get(slug="support-for-parents", locale__language_code="en-gb")
    parent = new_browser()

    # The English intro: the switcher, the easy-read link and the documents with their type and size.
    parent.goto(site_url + main.url)
    switcher = _switcher(parent)
    for name, code in (("Polski", "pl"), ("नेपाली", "ne")):
        link = switcher.get_by_role("link", name=name)
        expect(link).to_have_attribute("lang", code)
        expect(link).to_have_attribute("hreflang", code)
    documents = parent.locator("main .app-documents li")
    expect(documents).to_have_count(main.documents.count())
    expect(documents.first).to_contain_text(re.compile(r"\((PDF|TXT), [\d.]+\s+KB\)"))
    _check(parent)

    for code, name in (("pl", "Polski"), ("ne", "नेपाली")):
        translation = ConsultationPage.objects.get(
            translation_key=main.translation_key, locale__language_code=code
        )
        parent.goto(site_url + main.url)
        _switcher(parent).get_by_role("link", name=name).click()
        expect(parent).to_have_url(re.compile(rf"/{code}/"))
        expect(parent.locator("h1")).to_have_text(translation.title)
        _expect_language(parent, code)
        expect(parent.locator("main .app-documents li")).to_have_count(translation.documents.count())
        _check(parent)
        parent.locator("main .govuk-button--start").click()
        expect(parent).to_have_url(re.compile(rf"/consultations/{translation.pk}/question/"))
        _expect_language(parent, code)
        expect(parent.locator("main form .govuk-radios, main form .govuk-checkboxes").first).to_be_visible()
        _check(parent)

    # The easy-read page, reached from the Polish intro (there is no Polish easy read: it is marked English).
    easy_read = EasyReadPage.objects.live().get(locale__language_code="en-gb")
    parent.goto(site_url + main.url)
    _switcher(parent).get_by_role("link", name="Polski").click()
    link = parent.locator("main .app-easy-read-link a")
    expect(link).to_have_attribute("href", easy_read.url)
    link.click()
    expect(parent.locator("h1")).to_have_text(easy_read.title)
    _expect_language(parent, "en-gb")
    expect(parent.locator("main img").first).to_be_visible()
    _check(parent)
    parent.goto("about:blank")


# --- 3. Right to left -----------------------------------------------------------------------------

# Where each radio's input, the circle GOV.UK Frontend draws for it (its label's ::before) and its words
# are on the screen, left and right edges in CSS pixels.
RADIO_BOXES = """() => [...document.querySelectorAll('.govuk-radios__item')].map(item => {
  const input = item.querySelector('input').getBoundingClientRect();
  const label = item.querySelector('label');
  const words = document.createRange();
  words.selectNodeContents(label);
  const text = words.getBoundingClientRect();
  const circle = getComputedStyle(label, '::before');
  const holder = (getComputedStyle(label).position !== 'static' ? label : label.offsetParent)
    .getBoundingClientRect();
  const circleLeft = holder.left + parseFloat(circle.left);
  return {
    words: label.textContent.trim(),
    input: [input.left, input.right],
    circle: [circleLeft, circleLeft + parseFloat(circle.width)],
    text: [text.left, text.right],
  };
})"""

QUESTION_UR = "آپ بچوں کی پرورش کے بارے میں معلومات کے لیے سب سے پہلے کہاں جاتے ہیں؟"
CHOICES_UR = {
    "school": "میرے بچے کا اسکول یا نرسری",
    "childrens-centre": "بچوں کا مرکز",
    "health": "ہیلتھ وزیٹر، جی پی یا دائی",
    "online": "انٹرنیٹ یا سوشل میڈیا",
    "family": "خاندان اور دوست",
}


def _in_urdu(questions):
    raw = copy.deepcopy(list(questions.get_prep_value()))
    first = next(block for block in raw if block["value"].get("code") == "first-place")
    first["value"]["label"] = QUESTION_UR
    for item in first["value"]["choices"]:
        value = item.get("value", item)
        value["label"] = CHOICES_UR.get(value["key"], value["label"])
    return raw


def test_the_consultation_in_urdu_is_laid_out_right_to_left(site_url, new_browser):
    from surveys.models import ConsultationPage
    from tests.factories import translate_page

    main = ConsultationPage.objects.get(slug="support-for-parents", locale__language_code="en-gb")
    urdu = translate_page(
        main,
        "ur",
        title="کینٹ میں والدین اور نگہداشت کرنے والوں کے لیے مدد",
        summary="ہمیں بتائیں کہ آپ بچوں کی پرورش میں مدد کہاں سے لیتے ہیں۔",
        questions=_in_urdu(main.questions),
    )
    parent = new_browser()
    parent.goto(site_url + main.url)
    to_urdu = _switcher(parent).get_by_role("link", name="اردو")
    expect(to_urdu).to_have_attribute("dir", "rtl")
    expect(to_urdu).to_have_attribute("hreflang", "ur")
    to_urdu.click()
    expect(parent).to_have_url(re.compile(r"/ur/"))
    expect(parent.locator("h1")).to_have_text(urdu.title)
    _expect_language(parent, "ur", "rtl")
    _check(parent)

    parent.locator("main .govuk-button--start").click()
    expect(parent).to_have_url(re.compile(rf"/consultations/{urdu.pk}/question/"))
    _expect_language(parent, "ur", "rtl")
    expect(parent.locator("h1")).to_have_text(QUESTION_UR)
    radios = parent.evaluate(RADIO_BOXES)
    assert [radio["words"] for radio in radios] == list(CHOICES_UR.values())
    for radio in radios:
        # Right to left, the radio comes first: on the right of its words, both the input and its circle.
        assert radio["input"][0] >= radio["text"][1] - 1, radio
        assert radio["circle"][0] >= radio["text"][1] - 1, radio
    _check(parent)
    parent.goto("about:blank")
