"""Issue 15's subject access and erasure, on an empty site, in a real browser: a parent books a place
at a forum meeting and writes to the forum's coordinators (each form tells them first what we do if a
child is at risk, and passes axe); they ask for their data. An officer finds it by email on "Find a
person's data", sees their records, downloads the zip, erases them after the confirmation page, and a
search afterwards finds nothing, while another parent's booking is untouched. A forum coordinator
(without the permission) cannot open the page."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.e2e

PARENT = "jo.parent@example.org"
OTHER = "someone.else@example.org"
ACCESS_NEEDS = "I use a wheelchair and need step-free access"
ENQUIRY = "Is there parking near the children's centre?"
NOTICE = "we will pass it on to keep them safe"


def _no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.conftest import WCAG_TAGS

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _book(page, site_url, event, name, email, access_needs=""):
    page.context.clear_cookies()
    page.goto(site_url + event.url)
    page.get_by_role("button", name="Book a place").click()
    main = page.locator("main")
    expect(main).to_contain_text(NOTICE)
    expect(main).to_contain_text("If a child is in danger now, call 999")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    if access_needs:
        page.get_by_label(re.compile("Anything we should know")).fill(access_needs)
    _no_axe_violations(page)  # the booking form with the notice
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator("h1")).to_have_text("Your place is booked")


def _find(officer, email):
    officer.get_by_label("Email address").fill(email)
    officer.get_by_role("button", name="Find their data").click()
    expect(officer.locator("h1").first).to_contain_text("What we hold about this person")


@pytest.fixture
def forum_and_event(transactional_db, home_page, make_forum, make_event):  # noqa: F811
    forum = make_forum("Dover Parents Forum", "Dover")
    return forum, make_event(forum, "Forum meeting", days=5, booking_required=True, capacity=10)


def test_an_officer_finds_downloads_and_erases_a_persons_data(
    page, live_server, forum_and_event, signed_in, settings
):
    from forums.models import Booking, ForumEnquiry
    from parentvoice.privacy.models import DataRequest

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.SMS_PROVIDER = "outbox"
    site_url = live_server.url
    forum, event = forum_and_event

    # 1. The parent books a place and writes to the coordinators; someone else books too.
    _book(page, site_url, event, "Jo Parent", PARENT, ACCESS_NEEDS)
    _book(page, site_url, event, "Someone Else", OTHER)
    page.goto(site_url + forum.url)
    page.get_by_role("link", name="Send a message to the forum's coordinators").click()
    expect(page.locator("main")).to_contain_text(NOTICE)
    expect(page.locator("main")).to_contain_text("If a child is in danger now, call 999")
    _no_axe_violations(page)  # the enquiry form with the notice
    page.get_by_label("Your name").fill("Jo Parent")
    page.get_by_label("Your email address or mobile number").fill(PARENT)
    page.get_by_label("Your message").fill(ENQUIRY)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("h1")).to_have_text("Message sent")
    assert Booking.objects.filter(email=PARENT).count() == 1
    assert ForumEnquiry.objects.filter(reply_to=PARENT).count() == 1

    # 2. A coordinator cannot find a person's data: no menu item, and the page is refused.
    coordinator = signed_in(FORUM_COORDINATORS, "coordinator@example.org")
    coordinator.goto(f"{site_url}/admin/")
    expect(coordinator.get_by_role("link", name="Find a person's data")).to_have_count(0)
    response = coordinator.goto(f"{site_url}/admin/privacy/find/")
    if response.status != 403:
        assert "/privacy/" not in coordinator.url
        expect(coordinator.locator(".messages")).to_contain_text("do not have permission")

    # 3. The officer finds what we hold about the parent by their email.
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")
    officer.goto(f"{site_url}/admin/")
    officer.get_by_role("link", name="Find a person's data").click()
    expect(officer.locator("h1").first).to_contain_text("Find a person's data")
    _find(officer, PARENT)
    main = officer.locator("main, #main").first
    expect(main).to_contain_text("Reply by")
    for label in ("Places booked at forum events", "Messages to forum coordinators"):
        expect(main.locator("h2", has_text=label)).to_contain_text("(1)")
    expect(main).to_contain_text("Jo Parent")
    expect(main).to_contain_text(ACCESS_NEEDS)
    expect(main).to_contain_text(ENQUIRY)
    expect(main).not_to_contain_text("Someone Else")
    expect(main).not_to_contain_text(OTHER)

    # 4. The download: a zip with a file for each kind of record held, and nothing of the other parent.
    with officer.expect_download() as waiting:
        officer.get_by_role("button", name="Download everything (.zip)").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    names = set(archive.namelist())
    assert {"README.txt", "forums-bookings.json", "forums-bookings.csv", "forums-enquiries.json"} <= names
    bookings = json.loads(archive.read("forums-bookings.json"))
    assert len(bookings) == 1 and PARENT in json.dumps(bookings) and ACCESS_NEEDS in json.dumps(bookings)
    assert ENQUIRY in archive.read("forums-enquiries.csv").decode("utf-8-sig")
    everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    assert OTHER not in everything and "Someone Else" not in everything
    access = DataRequest.objects.get(kind=DataRequest.Kind.ACCESS)
    assert access.reference in archive.read("README.txt").decode()
    assert access.completed_by.email == "officer@example.org"

    # 5. Erasure: the confirmation page says what goes and what stays; nothing happens until it is confirmed.
    officer.get_by_role("button", name="Erase this person").click()
    expect(officer.locator("h1").first).to_contain_text("Erase this person's data")
    expect(officer.locator("main, #main").first).to_contain_text("this cannot be undone")
    assert Booking.objects.filter(email=PARENT).exists()  # not yet
    officer.get_by_role("button", name=re.compile(r"^Erase \d+ records?$")).click()
    expect(officer.locator("main, #main").first).to_contain_text("Their data is erased")
    erasure = DataRequest.objects.get(kind=DataRequest.Kind.ERASURE)
    expect(officer.locator("main, #main").first).to_contain_text(erasure.reference)
    expect(officer.locator("main, #main").first).not_to_contain_text(PARENT)

    assert not Booking.objects.filter(email=PARENT).exists()
    assert not Booking.objects.filter(access_needs=ACCESS_NEEDS).exists()
    assert not ForumEnquiry.objects.filter(reply_to=PARENT).exists()
    assert PARENT not in json.dumps(erasure.record_counts)
    assert Booking.objects.filter(email=OTHER, name="Someone Else").count() == 1  # the other parent's stays
    assert Booking.objects.filter(event=event).count() == 2  # the place itself is still counted

    # 6. A search afterwards finds nothing.
    officer.get_by_role("link", name="Find someone else").click()
    _find(officer, PARENT)
    main = officer.locator("main, #main").first
    expect(main).to_contain_text("We hold nothing about this address")
    expect(main).not_to_contain_text("Jo Parent")
    expect(main).not_to_contain_text(ACCESS_NEEDS)
    expect(main).not_to_contain_text(ENQUIRY)
    expect(officer.get_by_role("button", name="Erase this person")).to_have_count(0)
