"""Parent fora pages in a real browser: axe on each, the What's on filters used by keyboard and with
an error, and the calendar link."""

import re

import pytest
from playwright.sync_api import expect

from messaging.models import Message

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/parent-fora/", "/parent-fora/dover/", "/parent-fora/whats-on/"])
def test_fora_pages_have_no_axe_violations(page, site_url, axe_violations, path):
    assert page.goto(site_url + path).status == 200
    count, report = axe_violations(page)
    assert count == 0, report


def test_event_pages_have_no_axe_violations(page, site_url, axe_violations):
    from forums.models import EventPage

    online = EventPage.objects.exclude(online_link="").first()
    cancelled = EventPage.objects.filter(venue_name__gt="").first()
    EventPage.objects.filter(pk=cancelled.pk).update(
        cancelled=True, cancellation_notice="The venue is closed."
    )
    for event in (online, cancelled):
        page.goto(site_url + event.url)
        expect(page.locator("h1")).to_have_text(event.title)
        count, report = axe_violations(page)
        assert count == 0, report


def test_whats_on_filters_and_errors(page, site_url, axe_violations):
    page.goto(site_url + "/parent-fora/whats-on/")
    page.get_by_label("District").select_option(label="Dover")
    page.get_by_label("Online", exact=True).check()
    page.get_by_role("button", name="Show events").click()
    expect(page.locator("main")).to_contain_text("Dover Parents Forum: Online catch-up")
    expect(page.locator("main")).not_to_contain_text("Thanet Parents Forum")
    page.get_by_label("From").fill("31/2/2027")
    page.get_by_role("button", name="Show events").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report


def test_booking_a_place_and_cancelling_in_the_browser(page, site_url, axe_violations):
    from forums.models import EventPage

    event = EventPage.objects.filter(booking_required=True, start__gt=_now()).first()
    page.goto(site_url + event.url)
    page.get_by_role("button", name="Book a place").click()
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("How many children?").fill("1")
    page.get_by_label("How many creche places do you need?").fill("1")
    page.get_by_role("button", name="Book").click()
    expect(page.locator("h1")).to_have_text("Your place is booked")
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_role("button", name="Cancel my booking").click()
    expect(page.locator("h1")).to_have_text("Your booking is cancelled")
    count, report = axe_violations(page)
    assert count == 0, report


def test_joining_and_contacting_a_forum_in_the_browser(page, site_url, axe_violations):
    page.goto(site_url + "/parent-fora/dover/")
    page.get_by_role("button", name="Join this forum").click()
    page.get_by_role("button", name="Join the forum").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_label("Your first name").fill("Sam")
    page.get_by_label("UK mobile number (optional)").fill("07400 123456")
    page.get_by_label("Meetings and events of this forum").check()
    page.get_by_role("button", name="Join the forum").click()
    expect(page.locator("h1")).to_have_text("Check your phone")
    count, report = axe_violations(page)
    assert count == 0, report
    # The member joins once they confirm from the text we sent (here, its link).
    text = Message.objects.get(recipient="+447400123456", idempotency_key__startswith="confirm-address:")
    link = re.search(r"https?://\S+/confirm/\S+/", text.body).group(0)
    page.goto(site_url + link[link.index("/confirm/") :])
    expect(page.locator("h1")).to_have_text("Confirm your mobile number")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("You have joined Dover Parents Forum")
    count, report = axe_violations(page)
    assert count == 0, report
    page.goto(site_url + "/parent-fora/dover/")
    page.get_by_role("link", name="Send a message to the forum's coordinators").click()
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your email address or mobile number").fill("07700 900 982")
    page.get_by_label("Your message").fill("Is there parking?")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("h1")).to_have_text("Message sent")


def _now():
    from django.utils import timezone

    return timezone.now()
