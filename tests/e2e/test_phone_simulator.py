"""The demo's phone simulator in a real browser: an officer plays a parent answering by text, through
the real signed webhook, then reads the transcript."""

import re

import pytest
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS

pytestmark = pytest.mark.e2e


def test_an_officer_answers_by_text_in_the_simulator_and_reads_the_transcript(
    page, site_url, settings, client, staff_login
):
    settings.WAGTAILADMIN_BASE_URL = site_url  # the simulator posts to the live server's webhook
    staff_login(CONSULTATION_OFFICERS)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    page.goto(site_url + "/admin/messaging/phone-simulator/")
    page.get_by_label("Pretend phone number").fill("07700 900777")
    page.get_by_label("Text message").fill("support")
    page.get_by_role("button", name="Send text").click()
    thread = page.locator("ol.phone-simulator-thread")
    expect(thread).to_contain_text(re.compile(r"Q1/\d+ Where do you go first"))
    page.get_by_label("Text message").fill("9")
    page.get_by_role("button", name="Send text").click()
    expect(thread).to_contain_text("Sorry, 9 is not one of the choices.")
    page.get_by_label("Text message").fill("2")
    page.get_by_role("button", name="Send text").click()
    expect(thread).to_contain_text(re.compile(r"Q2/\d+ How easy"))

    from surveys.models import ConsultationPage

    consultation = ConsultationPage.objects.get(slug="support-for-parents", locale__language_code="en-gb")
    page.goto(f"{site_url}/admin/consultations/{consultation.pk}/texts/")
    page.get_by_role("link", name="+447700900777").click()
    expect(page.get_by_role("cell", name="Not understood")).to_be_visible()
    # The cell also holds the "Flag a safeguarding concern" button.
    expect(page.get_by_role("cell", name=re.compile(r"^support\b"))).to_be_visible()
