"""Answering in a real browser, the parts people asked about: the 'Other' error, the intro's estimate,
the confirmation's reference and copy by email, and results charts on a 320px phone."""

import re

import pytest
from playwright.sync_api import expect

from .test_consultation_pages import CONSULTATION, _answer, _answering, _question_code

pytestmark = pytest.mark.e2e
RESULTS = "/have-your-say/information-for-parents/results/"


def _fits(page, width=320):
    return page.evaluate("document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("javascript", [True, False])
def test_public_results_charts_fit_a_320px_phone(browser, site_url, axe_violations, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site_url + RESULTS)
    bars = page.locator(".pv-bars__row")
    expect(bars.first).to_be_visible()
    assert _fits(page)
    # Every bar's label is shown in full and at a readable size, not shrunk into a drawing.
    size = page.locator(".pv-bars__label").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    # Every bar's track is as long as the others, so the bars compare truly.
    tracks = page.locator(".pv-bars__track").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(set(tracks)) == 1, tracks
    if javascript:
        count, report = axe_violations(page)
        assert count == 0, report
    context.close()


def test_the_other_error_opens_and_highlights_the_box_and_the_confirmation_offers_a_copy(
    page, site_url, axe_violations
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + CONSULTATION)
    expect(page.locator("main")).to_contain_text(re.compile(r"It takes about \d+ minutes"))
    expect(page.locator("main")).to_contain_text("we keep your answers on this device for 12 hours")
    page.goto(site_url + _answering() + "start/")
    while _question_code(page).code != "would-help":
        _answer(page, _question_code(page))
    page.get_by_label("Other", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error: ") and page.title().count("Error:") == 1
    summary.get_by_role("link").click()
    expect(page.locator("#other")).to_be_focused()
    expect(page.locator("#other")).to_have_class(re.compile("govuk-input--error"))
    assert _fits(page)
    count, report = axe_violations(page)
    assert count == 0, report

    page.get_by_label("Please say what").fill("Evening groups")
    page.get_by_role("button", name="Continue").click()
    while "/question/" in page.url:
        _answer(page, _question_code(page))
    page.get_by_role("button", name="Send my answers").click()
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Your reference")
    reference = page.locator(".pv-reference").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{8}", reference)
    page.get_by_label("Email address for the copy").fill("not an address")
    page.get_by_role("button", name="Email me a copy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address in the right format")
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_label("Email address for the copy").fill("answers.copy@example.org")
    page.get_by_role("button", name="Email me a copy").click()
    expect(page.locator("main")).to_contain_text("We have sent a copy of your answers")
    assert _fits(page)

    from messaging.models import Message

    copy = Message.objects.get(recipient="answers.copy@example.org")
    assert reference in copy.body and "Evening groups" in copy.body
