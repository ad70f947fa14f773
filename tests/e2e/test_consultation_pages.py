"""Answering a consultation in a real browser: axe on every page and error state, no JavaScript,
keyboard only, small screens."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
CONSULTATION = "/have-your-say/support-for-parents/"

# How to answer each question of the demo consultation, by its code (see surveys/demo.py).
CHOICES = {
    "first-place": "The internet or social media",
    "ease": "4",
    "forum": "No",
    "how-asked": "By text message",
    "about-role": "Father",
    "about-district": "Dover",
}


def _answering():
    """Answering pages live at /consultations/<page id>/ (plain Django views)."""
    from surveys.models import ConsultationPage

    return f"/consultations/{ConsultationPage.objects.get(slug='support-for-parents', locale__language_code='en-gb').pk}/"


def _question_code(page):
    from surveys import services
    from surveys.models import ConsultationPage

    question_id = page.url.rstrip("/").split("/")[-1]
    consultation = ConsultationPage.objects.get(slug="support-for-parents", locale__language_code="en-gb")
    return next(q for q in services.schema_for(consultation) if q.id == question_id)


def _answer(page, question):
    if question.code in CHOICES:
        page.get_by_label(CHOICES[question.code], exact=question.code == "ease").first.check()
    elif question.code == "would-help":
        page.get_by_label("Someone to talk to when things are hard").check()
        page.get_by_label("Other", exact=True).check()
        page.get_by_label("Please say what").fill("Evening groups")
    elif question.code == "about-ages":
        page.get_by_label("Under 5").check()
    elif question.type == "number":
        page.locator("#answer").fill("2")
    elif question.type == "free_text":
        page.locator("#answer").fill(
            "Meetings after work would help" if question.code == "forum-barrier" else "Nothing more"
        )
    page.get_by_role("button", name="Continue").click()


def test_every_answering_page_has_no_axe_violations(page, site_url, axe_violations):
    def check():
        count, report = axe_violations(page)
        assert count == 0, f"{page.url}\n{report}"

    page.goto(site_url + "/have-your-say/")
    check()
    page.goto(site_url + CONSULTATION)
    check()
    page.get_by_role("button", name=re.compile("Start now")).click()

    seen_types, seen_errors = set(), 0
    while "/question/" in page.url:
        question = _question_code(page)
        check()
        if question.required and question.type in {"single_choice", "number"} and seen_errors < 2:
            page.get_by_role("button", name="Continue").click()  # nothing chosen: error state
            expect(page.locator(".govuk-error-summary")).to_be_focused()
            assert page.title().startswith("Error: ")
            check()
            seen_errors += 1
        seen_types.add(question.type)
        _answer(page, question)
    assert seen_types == {"single_choice", "scale", "multiple_choice", "free_text", "number"}
    assert page.url.endswith("/check-your-answers/")
    check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Thank you, your answers have been sent")
    check()

    page.goto(site_url + CONSULTATION + "results/")
    check()
    page.goto(site_url + _answering() + "invitation/1-not-genuine/")
    expect(page.locator("h1")).to_have_text("This link does not work")
    check()


def test_number_error_keeps_the_typing_and_is_accessible(page, site_url, axe_violations):
    from surveys import services
    from surveys.models import ConsultationPage

    consultation = ConsultationPage.objects.get(slug="support-for-parents", locale__language_code="en-gb")
    children = next(q for q in services.schema_for(consultation) if q.code == "children")
    page.goto(site_url + _answering() + "start/")
    page.goto(site_url + _answering() + f"question/{children.id}/")
    page.locator("#answer").fill("lots")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#answer-error")).to_contain_text("Enter a whole number, like 3")
    expect(page.locator("#answer")).to_have_value("lots")
    count, report = axe_violations(page)
    assert count == 0, report


def test_the_whole_journey_works_without_javascript(browser, site_url):
    from surveys.models import Response

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + CONSULTATION)
    page.get_by_role("button", name=re.compile("Start now")).click()
    while "/question/" in page.url:
        _answer(page, _question_code(page))
    page.get_by_role(
        "link", name=re.compile("Change your answer to: Have you been to a parent forum")
    ).click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/check-your-answers/")
    expect(page.locator(".govuk-summary-list")).not_to_contain_text("Meetings after work would help")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel__title")).to_be_visible()
    context.close()
    assert (
        Response.objects.filter(
            channel="web", consultation__slug="support-for-parents", language="en-gb"
        ).count()
        == 1
    )


def test_keyboard_only_and_back_link(page, site_url):
    page.goto(site_url + _answering() + "start/")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    first_radio = page.locator("input[type=radio]").first
    expect(first_radio).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-caption-l")).to_contain_text("Question 2 of")
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.locator("input[type=radio]").first).to_be_checked()


def test_question_pages_fit_a_small_phone(page, site_url):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + _answering() + "start/")
    for _ in range(3):
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        _answer(page, _question_code(page))


def test_a_closed_consultation_says_so(page, site_url, axe_violations):
    from surveys.models import ConsultationPage

    consultation = ConsultationPage.objects.get(slug="support-for-parents", locale__language_code="en-gb")
    consultation.opens_at = timezone.now() - timedelta(days=30)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save_revision().publish()
    page.goto(site_url + CONSULTATION)
    expect(page.locator(".govuk-inset-text")).to_contain_text("This consultation has closed")
    count, report = axe_violations(page)
    assert count == 0, report
