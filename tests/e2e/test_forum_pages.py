"""Parent fora pages in a real browser: axe on each, the What's on filters used by keyboard and with
an error, the calendar link; on an empty site, a coordinator's visible buttons and a parent's booking
with its "Are you sure?" before cancelling."""

import re

import pytest
from playwright.sync_api import expect

from messaging.models import Message
from parentvoice.accounts.roles import FORUM_COORDINATORS
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - shared fixtures

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
    expect(page.locator("main")).to_contain_text("Online catch-up")
    expect(page.locator("main")).to_contain_text("Dover Parents Forum")
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
    page.get_by_role("link", name="Cancel my booking").click()
    expect(page.locator("h1")).to_have_text("Are you sure you want to cancel your booking?")
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_role("button", name="Yes, cancel my booking").click()
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


@pytest.fixture
def empty_site(live_server, transactional_db, home_page, make_forum, make_event):  # noqa: F811
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Forum meeting", days=5, booking_required=True, capacity=3, creche=True)
    return live_server.url, forum, event


def test_a_coordinator_finds_bookings_and_the_notice_as_buttons(page, empty_site, client, staff_login):
    from forums import services

    site_url, forum, event = empty_site
    services.book(event.pk, name="Sam Booker", mobile="+447700900982", children=1, creche_places=1)
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(forum.coordinators)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    page.goto(f"{site_url}/admin/pages/{event.pk}/edit/")
    expect(page.get_by_role("link", name="Send a notice to members", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Bookings", exact=True).first.click()
    expect(page.locator("main")).to_contain_text("Sam Booker")
    expect(page.locator("main")).not_to_contain_text("900982")  # masked on screen
    expect(page.get_by_role("link", name="Print the list")).to_be_visible()
    expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()
    page.get_by_role("link", name="Print the list").click()
    # Coordinators do not have privacy.view_contact_details: the printed list is masked too.
    expect(page.locator("table")).to_contain_text("Sam Booker")
    expect(page.locator("table")).to_contain_text("07••• •••982")
    expect(page.locator("table")).not_to_contain_text("900982")
    page.goto(f"{site_url}/admin/fora/events/{event.pk}/notice/")
    expect(page.locator("main")).to_contain_text("This forum has no members yet")


def test_a_parent_books_then_is_asked_before_cancelling(page, empty_site, axe_violations, settings):
    from forums import services

    site_url, forum, event = empty_site
    page.goto(site_url + event.url)
    expect(page.locator("main")).to_contain_text("Dover Parents Forum")
    page.get_by_role("button", name="Book a place").click()
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Book a place"))
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("How many adults?").fill("3")
    page.get_by_role("button", name="Book").click()
    expect(page.locator("h1")).to_have_text("Your place is booked")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Day")
    count, report = axe_violations(page)
    assert count == 0, report
    booking_url = page.url
    page.get_by_role("link", name="Cancel my booking").click()
    expect(page.locator("h1")).to_have_text("Are you sure you want to cancel your booking?")
    page.get_by_role("link", name="No, keep my booking").click()
    expect(page.locator("h1")).to_have_text("Your place is booked")
    # The event is now full: its page offers the waiting list instead of booking.
    page.goto(site_url + event.url)
    expect(page.get_by_role("button", name="Join the waiting list")).to_be_visible()
    expect(page.get_by_role("button", name="Book a place")).to_have_count(0)
    count, report = axe_violations(page)
    assert count == 0, report
    page.goto(booking_url + "cancel/")
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.locator("h1")).to_have_text("Your booking is cancelled")
    # Full, with no room on the waiting list: no form, but a way to hear about the next one.
    services.book(event.pk, name="Big family", email="big@example.org", adults=3)
    settings.BOOKING_WAITING_LIST_MAX = 0
    for path in (event.url, f"/fora/events/{event.pk}/book/"):
        page.goto(site_url + path)
        expect(page.locator("main")).to_contain_text("This event is full, and so is its waiting list")
        expect(page.locator("main").get_by_role("link", name="Get updates")).to_be_visible()
        count, report = axe_violations(page)
        assert count == 0, report


def _now():
    from django.utils import timezone

    return timezone.now()
