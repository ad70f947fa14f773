"""Events straight under the fora index (information sessions, transition evenings, drop-ins) belong to
no forum, and everything a forum's event does works for them: the page, booking and the waiting list,
messages and reminders, the booking's calendar, change notices, "tell me what you decide", the feeds.
Their bookings are for officers (forums.view_county_event_people), never for a forum's coordinators."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils.form_data import rich_text

from forums import services
from forums.choices import BookingStatus, EventAudience, EventKind
from forums.models import Booking, EventPage
from forums.permissions import SEE_PEOPLE
from messaging.models import Message
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS
from parentvoice.models import District

pytestmark = pytest.mark.django_db

PEOPLE_SUFFIXES = ("bookings/", "bookings/print/", "bookings.csv")


@pytest.fixture
def county_event(fora_index, make_event):
    return make_event(
        fora_index, "Moving to secondary school", days=6, kind=EventKind.TRANSITION_EVENING,
        audience=EventAudience.EVERYONE, booking_required=True, capacity=2,
    )  # fmt: skip


def _book(client, event, **data):
    values = {"name": "Sam Booker", "email": "sam@example.org", "mobile": "", "adults": "1",
              "children": "0", "creche_places": "0", "access_needs": ""}  # fmt: skip
    return client.post(f"/fora/events/{event.pk}/book/", {**values, **data})


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- The event itself -------------------------------------------------------------------------------


def test_an_event_outside_the_fora_has_no_forum_and_says_what_it_is_and_who_for(client, county_event):
    assert county_event.forum_id is None
    assert services.forum_of_event(county_event) is None and services.is_outside_fora(county_event)
    assert services.event_name(county_event) == "Moving to secondary school"
    page = client.get(county_event.url).content.decode()
    assert "Transition evening, county-wide" in page  # the caption, where a forum's name would be
    assert "Parents, carers and practitioners" in page
    assert "Book a place" in page
    assert "Dover Parents Forum" not in page


def test_a_forums_event_takes_its_forums_district_and_one_outside_keeps_its_own(
    fora_index, dover, make_event, make_forum
):
    thanet = District.objects.create(name="Thanet", slug="thanet", ons_code="E07000114")
    meeting = make_event(dover, "Meeting", days=3, district=thanet)  # the editor's choice is overridden
    assert meeting.district == dover.district
    drop_in = make_event(fora_index, "Drop-in", days=3, kind=EventKind.DROP_IN, district=thanet)
    assert drop_in.district == thanet
    county = make_event(fora_index, "Countywide", days=3)
    assert county.district is None
    # A forum that changes district takes its events with it.
    dover.district = thanet
    dover.save_revision().publish()
    assert EventPage.objects.get(pk=meeting.pk).district == thanet
    assert services.forum_of_event(meeting) == dover


def test_booking_an_event_outside_the_fora_confirms_links_and_adds_to_a_calendar(client, county_event):
    response = _book(client, county_event)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your place is booked" in page and "Transition evening" in page
    message = Message.objects.get()
    assert "Your booking for Moving to secondary school at " in message.body
    assert response["Location"] in message.body
    calendar = Calendar.from_ical(client.get(response["Location"] + "event.ics").content)
    [item] = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Moving to secondary school"
    assert item["dtstart"].dt == timezone.localtime(county_event.start)


def test_the_waiting_list_cancelling_and_the_offered_place_work_outside_the_fora(client, county_event):
    first = services.book(county_event.pk, name="A", email="a@example.org", adults=2)
    second = services.book(county_event.pk, name="B", email="b@example.org")
    assert (first.status, second.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITING)
    page = client.get(f"/fora/bookings/{services.booking_token(first.pk)}/").content.decode()
    assert "Cancel my booking" in page
    client.post(f"/fora/bookings/{services.booking_token(first.pk)}/cancel/")
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.CONFIRMED
    assert Message.objects.filter(recipient="b@example.org", body__contains="a place came up").exists()
    cancelled = client.get(f"/fora/bookings/{services.booking_token(first.pk)}/").content.decode()
    # No forum's page to go back to: What's on instead.
    assert "Your booking is cancelled" in cancelled and "/parent-fora/whats-on/" in cancelled


def test_reminders_and_change_notices_reach_people_booked_outside_the_fora(county_event):
    booking = services.book(county_event.pk, name="Sam", email="sam@example.org")
    assert services.send_booking_reminder(booking.pk, "2 days", county_event.start.isoformat())
    assert Message.objects.filter(body__startswith="Reminder: in 2 days. Moving to secondary school").exists()
    page = EventPage.objects.get(pk=county_event.pk)
    page.start += timedelta(hours=1)
    page.end += timedelta(hours=1)
    page.save_revision().publish()
    page = EventPage.objects.get(pk=county_event.pk)
    assert services.notify_event_change(page.pk, page.sequence) == 1
    assert Message.objects.filter(body__startswith="Moving to secondary school has changed").exists()


def test_asking_to_be_told_names_the_event_outside_the_fora(county_event):
    booking = services.book(county_event.pk, name="Sam", email="sam@example.org")
    services.ask_to_be_told(booking)
    assert services.event_topic_title(str(county_event.pk)) == "Moving to secondary school"


def test_the_site_calendar_carries_events_outside_the_fora(client, county_event, dover, make_event):
    make_event(dover, "Dover meeting", days=4)
    feed = Calendar.from_ical(client.get("/parent-fora/calendar/").content)
    summaries = {str(item["summary"]) for item in feed.walk("VEVENT")}
    assert summaries == {"Moving to secondary school", "Dover Parents Forum: Dover meeting"}
    # A forum's own feed has only its events.
    forum_feed = Calendar.from_ical(client.get(dover.url + "calendar/").content)
    assert {str(item["summary"]) for item in forum_feed.walk("VEVENT")} == {
        "Dover Parents Forum: Dover meeting"
    }


# --- Who sees the bookings --------------------------------------------------------------------------


def test_officers_see_the_bookings_of_an_event_outside_the_fora(client, staff_login, county_event):
    services.book(county_event.pk, name="Sam Booker", email="sam@example.org")
    officer = staff_login(CONSULTATION_OFFICERS)
    assert officer.has_perm(SEE_PEOPLE, county_event)
    for suffix in PEOPLE_SUFFIXES:
        response = client.get(f"/admin/fora/events/{county_event.pk}/{suffix}")
        assert response.status_code == 200, suffix
        assert "Sam Booker" in _body(response), suffix
    edit = client.get(f"/admin/pages/{county_event.pk}/edit/").content.decode()
    assert f"/admin/fora/events/{county_event.pk}/bookings/" in edit
    # No forum, no members: no notice, offered or taken.
    assert f"/admin/fora/events/{county_event.pk}/notice/" not in edit
    assert client.get(f"/admin/fora/events/{county_event.pk}/notice/").status_code == 404


def test_a_superuser_sees_them_too(client, staff_login, county_event):
    services.book(county_event.pk, name="Sam Booker", email="sam@example.org")
    staff_login(is_superuser=True, is_staff=True)
    for suffix in PEOPLE_SUFFIXES:
        assert client.get(f"/admin/fora/events/{county_event.pk}/{suffix}").status_code == 200, suffix


def test_a_forums_coordinator_cannot_take_the_bookings_of_an_event_outside_the_fora(
    client, staff_login, county_event, dover
):
    services.book(county_event.pk, name="Sam Booker", email="sam@example.org")
    coordinator = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    coordinator.groups.add(dover.coordinators)
    assert coordinator.has_perm(SEE_PEOPLE, dover)  # their own forum, yes
    assert not coordinator.has_perm(SEE_PEOPLE, county_event)
    assert not county_event.permissions_for_user(coordinator).can_edit()
    for suffix in (*PEOPLE_SUFFIXES, "notice/"):
        response = client.get(f"/admin/fora/events/{county_event.pk}/{suffix}")
        assert response.status_code == 302, suffix  # refused
        assert "Sam Booker" not in _body(response)


def test_the_model_permission_alone_gives_nothing_on_a_forums_event(client, staff_login, dover, make_event):
    """`view_county_event_people` is for events outside the fora: it is not a key to every forum."""
    event = make_event(dover, "Meeting", days=5, booking_required=True, capacity=10)
    officer = staff_login(CONSULTATION_OFFICERS)
    assert officer.has_perm("forums.view_county_event_people")
    assert not officer.has_perm(SEE_PEOPLE, event) and not officer.has_perm(SEE_PEOPLE, dover)
    assert client.get(f"/admin/fora/events/{event.pk}/bookings/").status_code == 302


def test_nobody_signed_out_sees_the_bookings(client, county_event):
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm(SEE_PEOPLE, county_event)
    for suffix in PEOPLE_SUFFIXES:
        response = client.get(f"/admin/fora/events/{county_event.pk}/{suffix}")
        assert response.status_code == 302 and "/admin/" in response["Location"], suffix


def test_an_inactive_officer_sees_nothing(make_user, county_event):
    officer = make_user(email="gone@example.org", groups=[CONSULTATION_OFFICERS], is_active=False)
    assert not officer.has_perm(SEE_PEOPLE, county_event)


# --- Links are for one booking ----------------------------------------------------------------------


def test_a_booking_link_opens_its_own_booking_only(client, county_event, dover, make_event):
    meeting = make_event(dover, "Meeting", days=5, booking_required=True, capacity=10)
    mine = services.book(county_event.pk, name="Sam", email="sam@example.org")
    theirs = services.book(meeting.pk, name="Tia", email="tia@example.org")
    page = client.get(f"/fora/bookings/{services.booking_token(mine.pk)}/").content.decode()
    assert "Sam" in page and "Tia" not in page and "Moving to secondary school" in page
    # A membership token (another salt) for the same number is not a booking link.
    from parentvoice.tokens import sign_id

    forged = sign_id("forums.membership", theirs.pk)
    assert client.get(f"/fora/bookings/{forged}/").status_code == 404
    # A token with another booking's number spliced in does not verify.
    token = services.booking_token(mine.pk)
    spliced = str(theirs.pk) + token[len(str(mine.pk)) :]
    assert client.get(f"/fora/bookings/{spliced}/").status_code == 404
    assert client.post(f"/fora/bookings/{spliced}/cancel/").status_code == 404
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED


# --- Made in the admin by an officer ----------------------------------------------------------------


def _event_form(title, **extra):
    start = timezone.localtime() + timedelta(days=10)
    return {
        "title": title,
        "slug": "info-evening",
        "kind": EventKind.INFORMATION_SESSION,
        "audience": EventAudience.PARENTS,
        "district": "",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "description": rich_text("<p>What the local offer is.</p>"),
        "venue_name": "County Hall",
        "address": "Sessions House, Maidstone",
        "online_link": "",
        "venue_accessibility": "",
        "booking_required": "on",
        "capacity": "30",
        "cancellation_notice": "",
        "agenda": rich_text(""),
        "papers-count": "0",
        "meeting_notes": rich_text(""),
        "minutes": "",
        "parents_said-count": "0",
        "action-publish": "action-publish",
        **extra,
    }


def test_an_officer_adds_an_event_under_the_fora_index_and_a_parent_books_it(client, staff_login, fora_index):
    staff_login(CONSULTATION_OFFICERS)
    url = f"/admin/pages/add/forums/eventpage/{fora_index.pk}/"
    response = client.post(url, _event_form("Information evening: the local offer"))
    assert response.status_code == 302, response.context and response.context["form"].errors.as_json()
    event = EventPage.objects.get(title="Information evening: the local offer")
    assert event.live and event.forum_id is None and event.district is None
    assert event.get_parent().pk == fora_index.pk
    client.logout()
    booked = _book(client, event, email="parent@example.org")
    assert booked.status_code == 302
    assert "Your place is booked" in client.get(booked["Location"]).content.decode()
    message = Message.objects.get(recipient="parent@example.org")
    assert "Information evening: the local offer" in message.body and "is confirmed" in message.body
    ics = client.get(booked["Location"] + "event.ics")
    assert b"SUMMARY:Information evening: the local offer" in ics.content


def test_a_coordinator_cannot_add_an_event_outside_their_forum(client, staff_login, fora_index, dover):
    coordinator = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    coordinator.groups.add(dover.coordinators)
    assert dover.permissions_for_user(coordinator).can_add_subpage()
    assert not fora_index.permissions_for_user(coordinator).can_add_subpage()
    response = client.post(
        f"/admin/pages/add/forums/eventpage/{fora_index.pk}/", _event_form("Not mine to add")
    )
    assert response.status_code in (302, 403)
    assert not EventPage.objects.filter(title="Not mine to add").exists()
