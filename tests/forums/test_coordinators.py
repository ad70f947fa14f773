"""A forum coordinator's journey from an empty site: a forum and an event, bookings, the visible
buttons, the printed list and the CSV, then a notice written, checked and sent to the members."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import PageLogEntry

from forums import services
from forums.choices import BookingStatus
from messaging.choices import Channel, Purpose
from messaging.models import Campaign, Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS
from parentvoice.text import masked_mobile, national_mobile
from tests.factories import BookingFactory, ConsentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def dover(make_forum):
    return make_forum("Dover Parents Forum", "Dover")


@pytest.fixture
def event(dover, make_event):
    return make_event(dover, "Forum meeting", days=5, booking_required=True, capacity=6, creche=True)


@pytest.fixture
def coordinator(staff_login, dover):
    """Only the coordinator role's permissions, and this forum's own group."""
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(dover.coordinators)
    return user


def _member(forum, *, email="", mobile="", agreed=True):
    member = MembershipFactory(forum=forum, contact__email=email or None, contact__mobile=mobile or None)
    for channel, address in ((Channel.EMAIL, email), (Channel.SMS, mobile)):
        if address:
            ConsentFactory(
                contact=member.contact, channel=channel, purpose=Purpose.FORUM_EVENTS, granted=agreed
            )
    return member


def _bookings(event):
    services.book(event.pk, name="Sam Booker", mobile="+447700900982", children=1, creche_places=1,
                  access_needs="Step-free access")  # fmt: skip
    services.book(event.pk, name="=HYPERLINK(\"http://evil.example\")", email="x@example.org",
                  access_needs="+cmd|' /C calc'!A0")  # fmt: skip


# --- The buttons ---------------------------------------------------------------------------------


def test_bookings_and_notice_are_visible_buttons_on_the_event_for_its_coordinators(
    client, coordinator, event
):
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    form_start = edit.index("<form")
    for url in (f"/admin/fora/events/{event.pk}/bookings/", f"/admin/fora/events/{event.pk}/notice/"):
        assert url in edit[form_start:], url  # in the edit form itself, not only the header's menu
    listing = client.get(f"/admin/pages/{event.get_parent().pk}/").content.decode()
    assert f"/admin/fora/events/{event.pk}/bookings/" in listing
    assert "Send a notice to members" in listing


def test_a_drop_in_has_no_bookings_button_but_can_still_be_announced(client, coordinator, dover, make_event):
    drop_in = make_event(dover, "Coffee morning", days=5)
    edit = client.get(f"/admin/pages/{drop_in.pk}/edit/").content.decode()
    assert f"/admin/fora/events/{drop_in.pk}/bookings/" not in edit
    assert f"/admin/fora/events/{drop_in.pk}/notice/" in edit


def test_an_officer_who_edits_the_event_sees_no_people_buttons_and_no_names(client, staff_login, event):
    _bookings(event)
    officer = staff_login(CONSULTATION_OFFICERS)
    assert event.permissions_for_user(officer).can_edit()
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "/admin/fora/events/" not in edit and "Bookings and members" not in edit
    for suffix in ("bookings/", "bookings/print/", "bookings.csv", "notice/"):
        response = client.get(f"/admin/fora/events/{event.pk}/{suffix}")
        assert response.status_code == 302, suffix  # refused
        assert b"Sam Booker" not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert not PageLogEntry.objects.filter(action__startswith="forums.").exists()


# --- Bookings: screen, print, CSV ---------------------------------------------------------------


def test_a_coordinator_sees_numbers_masked_on_screen_in_print_and_in_the_csv(client, coordinator, event):
    _bookings(event)
    screen = client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode()
    assert "Sam Booker" in screen and "Step-free access" in screen
    assert "07700900982" not in screen and "900982" not in screen and "+447700900982" not in screen
    assert masked_mobile("+447700900982") in screen and "x•••@example.org" in screen
    assert "Print the list" in screen and "Download as CSV" in screen

    printed = client.get(f"/admin/fora/events/{event.pk}/bookings/print/")
    html = printed.content.decode()
    assert "no-store" in printed["Cache-Control"]
    assert masked_mobile("+447700900982") in html and "x•••@example.org" in html and "@media print" in html
    assert "900982" not in html and "x@example.org" not in html
    assert "wagtailadmin" not in html and "sidebar" not in html  # no admin chrome to print
    assert "Dover Parents Forum" in html

    response = client.get(f"/admin/fora/events/{event.pk}/bookings.csv")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="bookings-forum-meeting-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Name", "Email", "Mobile", "Adults"]
    sam = next(row for row in rows if row[0] == "Sam Booker")
    assert sam[2] == masked_mobile("+447700900982") and sam[6] == "1" and sam[7] == "Step-free access"
    assert rows[2][1] == "x•••@example.org"
    evil = rows[2]
    assert evil[0] == '\'=HYPERLINK("http://evil.example")' and evil[7] == "'+cmd|' /C calc'!A0"
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA), cell

    logged = PageLogEntry.objects.filter(page=event, user=coordinator).values_list("action", flat=True)
    assert set(logged) == {"forums.bookings_printed", "forums.bookings_downloaded"}
    history = client.get(f"/admin/pages/{event.pk}/history/").content.decode()
    assert "Printed the bookings" in history and "Downloaded the bookings" in history


def test_a_coordinator_allowed_to_see_contact_details_sees_them_in_full(client, coordinator, event):
    """privacy.view_contact_details (here through the officer role as well): full on screen, in print
    and in the CSV; the coordinator role alone masks them (above)."""
    _bookings(event)
    coordinator.groups.add(Group.objects.get(name=CONSULTATION_OFFICERS))
    screen = client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode()
    assert "07700 900982" in screen and "x@example.org" in screen
    html = client.get(f"/admin/fora/events/{event.pk}/bookings/print/").content.decode()
    assert "07700 900982" in html and "x@example.org" in html
    response = client.get(f"/admin/fora/events/{event.pk}/bookings.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][2] == "07700 900982" and rows[2][1] == "x@example.org"


def test_coordinators_of_another_forum_cannot_take_these_bookings(client, staff_login, event, make_forum):
    _bookings(event)
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    other = staff_login(FORUM_COORDINATORS, email="thanet.coordinator@example.org")
    other.groups.add(thanet.coordinators)
    for suffix in ("bookings/", "bookings/print/", "bookings.csv", "notice/"):
        assert client.get(f"/admin/fora/events/{event.pk}/{suffix}").status_code == 302, suffix
    assert not PageLogEntry.objects.filter(action__startswith="forums.").exists()


def test_taking_the_bookings_away_is_a_get_and_nothing_else(client, coordinator, event):
    for suffix in ("bookings/", "bookings/print/", "bookings.csv"):
        assert client.post(f"/admin/fora/events/{event.pk}/{suffix}").status_code == 405, suffix


@given(st.text(max_size=40))
def test_a_csv_cell_never_starts_a_formula_and_keeps_what_was_written(text):
    cell = services.csv_safe(text)
    assert not cell.lstrip(" ").startswith(FORMULA)
    assert cell in (text, "'" + text)


@given(st.from_regex(r"\+447[0-9]{9}", fullmatch=True))
def test_a_masked_mobile_cannot_be_rung(mobile):
    masked = masked_mobile(mobile)
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert len(digits) <= 5 and masked.endswith(mobile[-3:])
    assert national_mobile(mobile) == f"0{mobile[3:7]} {mobile[7:]}"


# --- The notice to members ---------------------------------------------------------------------


def test_no_members_no_notice(client, coordinator, event):
    page = client.get(f"/admin/fora/events/{event.pk}/notice/").content.decode()
    assert "This forum has no members yet" in page and 'name="sms_text"' not in page
    client.post(f"/admin/fora/events/{event.pk}/notice/", {"action": "send", "sms_text": "Hi",
                "email_subject": "Hi", "email_text": "Hi"})  # fmt: skip
    assert not Campaign.objects.exists()


def test_a_notice_is_written_checked_then_sent_as_checked(client, coordinator, dover, event, run_tasks):
    _member(dover, email="amy@example.org")
    _member(dover, mobile="+447700900555")
    _member(dover, email="no@example.org", agreed=False)
    url = f"/admin/fora/events/{event.pk}/notice/"

    form = client.get(url)
    initial = form.context["form"].initial
    sms = initial["sms_text"]
    # The forum's name once, the date once, an invitation to book, and the link.
    assert sms.count("Dover Parents Forum") == 1 and "Book a place:" in sms and event.url in sms
    assert "This event is full" not in form.content.decode()

    texts = {**initial, "sms_text": "Dover forum on Tuesday: bring a friend. " + event.full_url}
    preview = client.post(url, {**texts, "action": "preview"})
    page = preview.content.decode()
    assert "This will go to 2 of the 3 members" in page
    assert preview.context["preview"]["sms"].endswith("Reply STOP to stop.")
    assert "bring a friend" in page and "(a link for each person)" in page
    assert preview.context["preview"]["segments"] == 1
    assert not Campaign.objects.exists()  # checking creates and sends nothing

    changed = client.post(url, {**texts, "action": "change"}).content.decode()
    assert "bring a friend" in changed and 'value="preview"' in changed

    assert client.get(url).status_code == 200 and not Campaign.objects.exists()  # a GET never sends
    response = client.post(url, {**texts, "action": "send"})
    assert response.status_code == 302
    run_tasks()
    text = Message.objects.get(recipient="+447700900555", campaign__isnull=False)
    assert "bring a friend" in text.body
    assert Message.objects.filter(recipient="amy@example.org", campaign__isnull=False).exists()
    assert not Message.objects.filter(recipient="no@example.org").exists()
    assert PageLogEntry.objects.filter(page=event, action="forums.notice_sent", user=coordinator).exists()
    # A second click on "Send" in the same minute sends nothing more.
    client.post(url, {**texts, "action": "send"})
    run_tasks()
    assert Message.objects.filter(recipient="+447700900555", campaign__isnull=False).count() == 1


def test_a_too_long_text_is_refused_before_the_check(client, coordinator, dover, event):
    _member(dover, email="amy@example.org")
    texts = {
        "sms_text": "word " * 90,
        "email_subject": "Meeting",
        "email_text": "Come along",
        "action": "preview",
    }
    page = client.post(f"/admin/fora/events/{event.pk}/notice/", texts).content.decode()
    assert "Shorten the text message" in page
    assert 'value="send"' not in page


def test_a_full_event_is_said_to_be_full_and_not_offered_for_booking(client, coordinator, dover, event):
    _member(dover, email="amy@example.org")
    services.book(event.pk, name="Big family", email="big@example.org", adults=2, children=4)
    assert services.places_left(event) == 0
    form = client.get(f"/admin/fora/events/{event.pk}/notice/")
    assert "This event is full" in form.content.decode()
    initial = form.context["form"].initial
    for text in (initial["sms_text"], initial["email_text"]):
        assert "Book a place" not in text and "fully booked" in text


def test_members_who_agreed_to_nothing_are_told_about_before_sending(client, coordinator, dover, event):
    _member(dover, email="no@example.org", agreed=False)
    url = f"/admin/fora/events/{event.pk}/notice/"
    texts = {**client.get(url).context["form"].initial, "action": "preview"}
    page = client.post(url, texts).content.decode()
    assert "has agreed to hear about meetings" in page and 'value="send"' not in page
    client.post(url, {**texts, "action": "send"})
    assert not Campaign.objects.exists()


def test_booking_statuses_shown_to_the_coordinator(client, coordinator, event):
    BookingFactory(event=event, status=BookingStatus.WAITING, name="Wendy Waiting")
    page = client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode()
    assert "Wendy Waiting" in page and "1 on the waiting list" in page


def test_a_long_event_title_still_makes_a_campaign_that_fits(coordinator, dover, make_event):
    long = make_event(dover, "A" * 250, days=5)
    _member(dover, email="amy@example.org")
    campaign = services.event_notice_campaign(long, user=coordinator)
    assert len(campaign.name) <= Campaign._meta.get_field("name").max_length
    assert len(campaign.title) <= Campaign._meta.get_field("title").max_length
    # SQLite does not enforce a column's length; this would fail on PostgreSQL.
    assert len(campaign.email_subject) <= Campaign._meta.get_field("email_subject").max_length


def test_the_list_puts_confirmed_then_waiting_then_cancelled(client, coordinator, event):
    for name, status in (("Cas", "cancelled"), ("Wyn", "waiting"), ("Con", "confirmed")):
        BookingFactory(event=event, name=name, status=status)
    page = client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode()
    assert page.index("Con") < page.index("Wyn") < page.index("Cas")
