"""Issue 17 in a real browser, each test from an empty site (no demo content):

1. An officer makes the fora index, a SEND topic forum, a practitioners' forum and an information
   session outside any forum in the page editor; a parent finds the session on What's on by its kind and
   books; the practitioners' join form asks for a work email and an organisation.
2. An officer writes up a past forum meeting: attendance counts, what is still missing, then done.
3. A parent's own page: a one-time link asked for at /my-page/, used once, a booking cancelled, a forum
   left; the same link again is refused; an expired link is refused.
4. axe (WCAG 2.2 AA) on every new public page, and no sideways scrolling at 320px.
5. What's on's filters and the parent's page with JavaScript turned off.
"""

import re
import secrets
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from tests.e2e import editor
from tests.e2e.conftest import fits_320 as _fits_320
from tests.e2e.conftest import no_axe_violations as _no_axe_violations
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.e2e

PARENT = "sam@example.org"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _document(title, name, content=b"%PDF-1.4 paper"):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # a transactional test's flush removes the migration's
        Collection.add_root(name="Root")
    return get_document_model().objects.create(title=title, file=ContentFile(content, name=name))


def _publish(event, **fields):
    from forums.models import EventPage

    page = EventPage.objects.get(pk=event.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


# --- 1. Kinds of forum and an event outside the fora, made in the admin ---------------------------


def test_an_officer_publishes_new_kinds_of_forum_and_an_event_a_parent_books(
    live_server, transactional_db, home_page, signed_in, new_browser
):
    from forums.models import EventPage, ForumIndexPage, ForumPage

    site_url = live_server.url
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")

    editor.add_page(officer, site_url, "forumindexpage", home_page.pk, "Parent fora")
    editor.publish(officer)
    index = ForumIndexPage.objects.get()
    editor.add_forum(officer, site_url, index.pk, "SEND parent forum", "Topic forum")
    editor.add_forum(officer, site_url, index.pk, "Early years practitioners", "Practitioners' forum")
    send, practitioners = ForumPage.objects.get(kind="topic"), ForumPage.objects.get(kind="practitioners")
    assert send.live and practitioners.live and practitioners.for_practitioners

    editor.add_page(officer, site_url, "eventpage", index.pk, "Starting school information evening")
    officer.locator("#id_kind").select_option(label="Information session")
    officer.locator("#id_audience").select_option(label="Parents and carers")
    start = timezone.localtime() + timedelta(days=10)
    officer.locator("#id_start").fill(start.strftime("%Y-%m-%d 18:00"))
    officer.locator("#id_end").fill(start.strftime("%Y-%m-%d 19:30"))
    officer.keyboard.press("Escape")  # close the date picker
    officer.locator("#id_venue_name").fill("County Hall")
    officer.locator("#id_address").fill("County Hall\nMaidstone")
    officer.locator("#id_booking_required").check()
    officer.locator("#id_capacity").fill("40")
    editor.publish(officer)
    event = EventPage.objects.get()
    assert event.live and event.forum is None and event.kind == "information_session"
    # Agenda and papers as the officer would add them (a document upload is slow in the browser).
    event = _publish(
        event,
        agenda="<p>1. Choosing a school</p>",
        papers=[("paper", _document("Starting school guide", "guide.pdf", b"x" * 2048))],
    )

    parent = new_browser()
    parent.goto(f"{site_url}/parent-fora/")
    main = parent.locator("main")
    expect(main.get_by_role("heading", name="Topic fora")).to_be_visible()
    expect(main.get_by_role("heading", name="Practitioners' fora")).to_be_visible()
    _no_axe_violations(parent)

    parent.goto(f"{site_url}/parent-fora/whats-on/")
    parent.get_by_label("Forum meeting").check()
    parent.get_by_role("button", name="Show events").click()
    expect(main).not_to_contain_text("Starting school information evening")
    parent.get_by_label("Forum meeting").uncheck()
    parent.get_by_label("Information session").check()
    parent.get_by_role("button", name="Show events").click()
    expect(parent).to_have_url(re.compile(r"kind=information_session"))
    _no_axe_violations(parent)
    _fits_320(parent)
    parent.get_by_role("link", name=re.compile("Starting school information evening")).click()
    expect(parent.locator("h1")).to_have_text("Starting school information evening")
    expect(main).to_contain_text("1. Choosing a school")
    expect(main.get_by_role("link", name="Starting school guide")).to_be_visible()
    _no_axe_violations(parent)
    parent.get_by_role("button", name="Book a place").click()
    _no_axe_violations(parent)
    parent.get_by_label("Your name").fill("Sam")
    parent.get_by_label("Email address").fill(PARENT)
    parent.get_by_role("button", name="Book").click()
    expect(parent.locator("h1")).to_have_text("Your place is booked")
    assert event.bookings.get().email == PARENT

    for forum in (send, practitioners):
        parent.goto(site_url + forum.url)
        expect(parent.locator("h1")).to_have_text(forum.title)
        _no_axe_violations(parent)
    parent.get_by_role("button", name="Join this forum").click()
    expect(parent.get_by_label("Work email address")).to_be_visible()
    expect(parent.get_by_label("UK mobile number")).to_have_count(0)  # practitioners give no mobile
    _no_axe_violations(parent)
    parent.get_by_label("Your name").fill("Pat Teacher")
    parent.get_by_label("Work email address").fill("pat@school.example.org")
    parent.get_by_role("button", name="Join the forum").click()
    summary = parent.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the organisation you work for")
    expect(summary).not_to_contain_text("Enter your work email address")
    _no_axe_violations(parent)


# --- 2. The write-up checklist -------------------------------------------------------------------


def test_an_officer_writes_up_a_past_meeting_from_its_checklist(
    live_server,
    transactional_db,
    home_page,
    signed_in,
    make_forum,  # noqa: F811
    make_event,  # noqa: F811
):
    from forums.models import Attendance

    dover = make_forum("Dover Parents Forum", "Dover")
    meeting = make_event(dover, "Forum meeting", days=-3)
    site_url = live_server.url
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")

    officer.goto(f"{site_url}/admin/fora/write-ups/")
    officer.get_by_role("link", name=re.compile("Forum meeting")).first.click()
    expect(officer).to_have_url(re.compile(rf"/admin/fora/events/{meeting.pk}/write-up/$"))
    officer.get_by_role("button", name="Mark as written up").click()
    problem = officer.locator(".help-critical")
    for missing in ("record attendance", "publish the notes", "add the minutes", "add what parents said"):
        expect(problem).to_contain_text(missing)

    officer.get_by_label("Mothers").fill("-1")
    officer.get_by_role("button", name="Save attendance").click()
    expect(problem).to_contain_text("The number of mothers must be 0 or more.")
    officer.get_by_label("Mothers").fill("4")
    officer.get_by_label("Fathers").fill("2")
    officer.get_by_label("Practitioners").fill("1")
    officer.get_by_role("button", name="Save attendance").click()
    expect(officer.locator("table.listing")).to_contain_text("7 people recorded.")
    assert dict(Attendance.objects.filter(event=meeting, count__gt=0).values_list("group", "count")) == {
        "mother": 4,
        "father": 2,
        "practitioner": 1,
    }
    officer.get_by_role("button", name="Mark as written up").click()
    expect(problem).not_to_contain_text("record attendance")
    expect(problem).to_contain_text("add the minutes")

    # The rest is published on the meeting's page, as the coordinator would in the page editor.
    _publish(
        meeting,
        meeting_notes="<p>We talked about short breaks.</p>",
        minutes=_document("Minutes", "minutes.pdf"),
        parents_said=[("said", {"text": "Short breaks are hard to find.", "theme": "Short breaks"})],
    )
    officer.goto(f"{site_url}/admin/fora/events/{meeting.pk}/write-up/")
    expect(officer.locator("table.listing")).not_to_contain_text("To do")
    officer.get_by_role("button", name="Mark as written up").click()
    expect(officer).to_have_url(re.compile(r"/admin/fora/write-ups/$"))
    expect(officer.locator(".messages")).to_contain_text("The meeting is marked as written up.")
    meeting.refresh_from_db()
    assert meeting.written_up_at is not None


# --- 3, 4, 5. A parent's own page ----------------------------------------------------------------


@pytest.fixture
def parent_with_a_booking(live_server, transactional_db, home_page, make_forum, make_event):  # noqa: F811
    from forums import services
    from tests.factories import ContactFactory, MembershipFactory

    dover = make_forum("Dover Parents Forum", "Dover")
    make_event(dover, "Forum meeting", days=5, booking_required=True, capacity=10)
    session = make_event(
        fora_index_of(dover),
        "Transition evening",
        days=8,
        kind="transition_evening",
        booking_required=True,
        capacity=10,
    )
    services.book(session.pk, name="Sam", email=PARENT)
    MembershipFactory(forum=dover, contact=ContactFactory(name="Sam", email=PARENT, mobile=""))
    return live_server.url, dover, session


def fora_index_of(forum):
    return forum.get_parent().specific


def _link_from_outbox(site_url):
    """Send the link the request queued (the task's work, here) and read it from the outbox."""
    from forums import services
    from forums.models import ParentPageLink
    from messaging.models import Message

    link = ParentPageLink.objects.latest("pk")
    assert services.send_parent_page_link(link.pk)
    message = Message.objects.get(idempotency_key=f"parent-page:{link.pk}")
    assert message.recipient == PARENT
    return site_url + re.search(r"/my-page/open/[A-Za-z0-9_-]{43}/", message.body).group(0)


def test_a_parent_reaches_their_page_by_a_one_time_link(parent_with_a_booking, page):
    from forums import services
    from forums.models import Booking, Membership, ParentPageLink

    site_url, dover, session = parent_with_a_booking
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/my-page/")
    _no_axe_violations(page)
    page.get_by_label("Email address or mobile number").fill("not an address")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address")
    _no_axe_violations(page)
    page.get_by_label("Email address or mobile number").fill("  Sam@Example.org ")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email or phone")
    _no_axe_violations(page)

    link = _link_from_outbox(site_url)
    page.goto(link)
    expect(page.get_by_role("button", name="Continue to your page")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_role("button", name="Continue to your page").click()
    expect(page).to_have_url(f"{site_url}/my-page/you/")
    main = page.locator("main")
    expect(main).to_contain_text("Transition evening")
    expect(main).to_contain_text("Dover Parents Forum")
    expect(main).not_to_contain_text(PARENT)  # the address is shown masked
    _no_axe_violations(page)
    _fits_320(page)

    page.get_by_role("button", name="Cancel booking for Transition evening").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your booking for Transition evening is cancelled."
    )
    assert Booking.objects.get(event=session).status == "cancelled"
    page.get_by_role("button", name="Leave Dover Parents Forum").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have left Dover Parents Forum.")
    assert Membership.objects.get(forum=dover).left_at is not None
    _no_axe_violations(page)

    # The same link a second time, in this browser or another, is refused.
    response = page.goto(link)
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("This link has already been used")
    expect(page.get_by_role("button", name="Continue to your page")).to_have_count(0)
    _no_axe_violations(page)

    token = secrets.token_urlsafe(32)
    ParentPageLink.objects.create(
        channel="email",
        address=PARENT,
        token_hash=services.token_hash(token),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = page.goto(f"{site_url}/my-page/open/{token}/")
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("This link has expired")
    _no_axe_violations(page)


def test_whats_on_and_the_parents_page_work_without_javascript(parent_with_a_booking, new_browser):
    from forums.models import Booking

    site_url, dover, session = parent_with_a_booking
    page = new_browser(java_script_enabled=False)
    page.goto(f"{site_url}/parent-fora/whats-on/")
    page.get_by_label("Transition evening").check()
    page.get_by_role("button", name="Show events").click()
    main = page.locator("main")
    expect(main.get_by_role("link", name=re.compile("Transition evening"))).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("Forum meeting"))).to_have_count(0)
    _fits_320(page)

    page.goto(f"{site_url}/my-page/")
    page.get_by_label("Email address or mobile number").fill(PARENT)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email or phone")
    page.goto(_link_from_outbox(site_url))
    page.get_by_role("button", name="Continue to your page").click()
    expect(page.locator("h1")).to_have_text("Your page")
    page.get_by_role("button", name="Cancel booking for Transition evening").click()
    expect(main).to_contain_text("Your booking for Transition evening is cancelled.")
    assert Booking.objects.get(event=session).status == "cancelled"
