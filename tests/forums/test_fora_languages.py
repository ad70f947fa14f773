"""A forum or an event in several languages is one forum or one event (docs/languages.md, "Fora and
events in other languages"): bookings, members and lists stay with the English page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from forums import services
from forums.choices import BookingStatus
from forums.models import Booking, EventPage, ForumPage, Membership
from messaging.choices import Purpose
from messaging.models import Message
from tests.factories import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def polish_home(home_page):
    return translate_page(home_page, "pl")


@pytest.fixture
def meeting(dover, make_event):
    return make_event(dover, "Forum meeting", days=5, booking_required=True, capacity=3)


@pytest.fixture
def polish_meeting(polish_home, meeting):
    return translate_page(meeting, "pl", title="Spotkanie forum")


def _polish(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="pl")


def _book(client, event, name="Ala", adults="1"):
    values = {"name": name, "email": f"{name.lower()}@example.org", "mobile": "", "adults": adults,
              "children": "0", "creche_places": "0", "access_needs": ""}  # fmt: skip
    return client.post(f"/fora/events/{event.pk}/book/", values)


def test_booking_the_polish_event_takes_the_english_events_places(client, meeting, polish_meeting):
    page = client.get(f"/fora/events/{polish_meeting.pk}/book/")
    assert page.status_code == 200 and page["Content-Language"] == "pl"
    assert "Spotkanie forum" in page.content.decode()
    assert _book(client, polish_meeting, "Ala", adults="2").status_code == 302
    booking = Booking.objects.get()
    assert booking.event_id == meeting.pk and booking.status == BookingStatus.CONFIRMED
    assert services.places_left(meeting) == 1
    # One place left, whichever language the next person books in.
    _book(client, meeting, "Ben", adults="1")
    _book(client, polish_meeting, "Cas", adults="1")
    assert list(Booking.objects.values_list("event_id", "status").order_by("pk")) == [
        (meeting.pk, BookingStatus.CONFIRMED),
        (meeting.pk, BookingStatus.CONFIRMED),
        (meeting.pk, BookingStatus.WAITING),
    ]
    assert not Booking.objects.filter(event=polish_meeting).exists()
    # The Polish page says it is full: its places are the English event's.
    assert "Join the waiting list" in client.get(polish_meeting.url).content.decode()


def test_a_polish_event_is_not_bookable_when_its_english_event_is_withdrawn(client, meeting, polish_meeting):
    meeting.unpublish()
    assert client.get(f"/fora/events/{polish_meeting.pk}/book/").status_code == 404


def test_cancelling_or_moving_the_english_event_cancels_or_moves_every_translation(
    client, meeting, polish_meeting
):
    english = EventPage.objects.get(pk=meeting.pk)
    english.start += timezone.timedelta(days=1)
    english.end += timezone.timedelta(days=1)
    english.cancelled, english.cancellation_notice = True, "Snow."
    english.save_revision().publish()
    polish = EventPage.objects.get(pk=polish_meeting.pk)
    assert (polish.start, polish.end, polish.cancelled) == (english.start, english.end, True)
    assert polish.cancellation_notice == "Snow."  # better than saying nothing
    assert polish.title == "Spotkanie forum"  # the words stay the translator's
    assert services.booking_state(polish.source_page) == services.booking_state(english)
    response = _book(client, polish_meeting)
    assert response.status_code == 409 and not Booking.objects.exists()
    # Publishing an older Polish draft cannot reopen it: the translation takes the English fields.
    draft = polish.get_latest_revision_as_object()
    draft.cancelled, draft.capacity, draft.start = False, 50, meeting.start
    draft.save_revision().publish()
    polish.refresh_from_db()
    assert (polish.cancelled, polish.capacity, polish.start) == (True, 3, english.start)


def test_a_translated_event_sends_no_change_notice_of_its_own(run_tasks, meeting, polish_home, dover):
    polish = translate_page(meeting, "pl", title="Spotkanie forum")
    Booking.objects.create(event=meeting, name="Ala", email="ala@example.org", status=BookingStatus.CONFIRMED)
    polish.title = "Spotkanie forum (nowy tytuł)"
    polish.save_revision().publish()
    run_tasks()
    assert not Message.objects.filter(recipient="ala@example.org").exists()


def test_whats_on_lists_each_event_once_in_the_readers_language(client, meeting, polish_meeting, make_event,
                                                                dover):  # fmt: skip
    untranslated = make_event(dover, "Coffee morning", days=6)
    english = client.get("/parent-fora/whats-on/")
    assert [event.pk for event in english.context["events"]] == [meeting.pk, untranslated.pk]
    assert "Spotkanie forum" not in english.content.decode()
    polish_url = _polish(polish_meeting.get_parent().get_parent().specific).url + "whats-on/"
    polish = client.get(polish_url)
    assert polish.status_code == 200
    body = polish.content.decode()
    assert "Spotkanie forum" in body
    assert untranslated.title in body  # not translated: shown in English
    assert [event.pk for event in polish.context["events"]] == [polish_meeting.pk, untranslated.pk]


def test_polish_whats_on_takes_the_same_queries_however_many_events_are_translated(
    client, meeting, polish_meeting, make_event, dover
):
    polish_url = _polish(polish_meeting.get_parent().get_parent().specific).url + "whats-on/"
    client.get(polish_url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        client.get(polish_url)
    before = len(captured)
    for n in range(3):
        translate_page(make_event(dover, f"Meeting {n}", days=n + 2), "pl", title=f"Spotkanie {n}")
        make_event(dover, f"Drop-in {n}", days=n + 3)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(polish_url)
    assert response.content.decode().count("Spotkanie") == 4
    assert len(captured) <= before


def test_fora_index_and_forum_page_list_each_forum_and_event_once(client, meeting, polish_meeting, dover):
    english_index = client.get("/parent-fora/").content.decode()
    assert english_index.count("Dover Parents Forum") >= 1 and "Spotkanie forum" not in english_index
    polish_forum = _polish(dover)
    polish_index = client.get(polish_forum.get_parent().url)
    fora = polish_index.context["fora"]
    assert [forum.pk for forum in fora] == [polish_forum.pk]
    assert fora[0].next_event.pk == polish_meeting.pk
    polish_page = client.get(polish_forum.url)
    assert [event.pk for event in polish_page.context["upcoming"]] == [polish_meeting.pk]
    assert [event.pk for event in client.get(dover.url).context["upcoming"]] == [meeting.pk]


def test_icalendar_feeds_list_each_event_once_with_one_uid(client, meeting, polish_meeting, dover):
    polish_forum = _polish(dover)
    feeds = {
        "english site": client.get("/parent-fora/calendar/"),
        "english forum": client.get(dover.url + "calendar/"),
        "polish site": client.get(polish_forum.get_parent().url + "calendar/"),
        "polish forum": client.get(polish_forum.url + "calendar/"),
    }
    for name, response in feeds.items():
        events = list(Calendar.from_ical(response.content).walk("VEVENT"))
        assert len(events) == 1, name
        assert str(events[0]["uid"]).startswith(f"event-{meeting.pk}@"), name
    polish_events = Calendar.from_ical(feeds["polish site"].content).walk("VEVENT")
    assert str(polish_events[0]["summary"]).endswith("Spotkanie forum")


def test_joining_the_polish_forum_makes_a_membership_of_the_english_forum(client, dover, polish_home):
    polish_forum = translate_page(dover, "pl", title="Forum rodziców Dover")
    assert polish_forum.coordinators_id is None  # its coordinators are the English forum's
    response = client.post(
        f"/fora/{polish_forum.pk}/join/",
        {"name": "Ala", "email": "ala@example.org", "mobile": "", "purposes": [Purpose.FORUM_EVENTS]},
    )
    assert response.status_code == 302 and f"/fora/{polish_forum.pk}/join/check/" in response["Location"]
    message = Message.objects.get(recipient="ala@example.org", idempotency_key__startswith="confirm-address:")
    client.post(re.search(r"http://testserver(/confirm/\S+?/)", message.body).group(1))
    membership = Membership.objects.get()
    assert membership.forum_id == dover.pk
    assert membership.pk in set(services.current_members(dover).values_list("pk", flat=True))


def test_the_english_forums_coordinators_may_edit_the_translation_and_see_its_people(
    dover_coordinator, dover, polish_home, meeting
):
    polish_forum = translate_page(dover, "pl", title="Forum rodziców Dover")
    polish_meeting = translate_page(meeting, "pl", title="Spotkanie forum")
    assert polish_forum.permissions_for_user(dover_coordinator).can_edit()
    assert dover_coordinator.has_perm("forums.view_forum_people", polish_meeting)
    assert ForumPage.objects.filter(coordinators__isnull=False).count() == 1


def test_a_translated_meeting_is_written_up_and_reminded_about_once(meeting, polish_meeting):
    EventPage.objects.filter(pk__in=[meeting.pk, polish_meeting.pk]).update(
        start=timezone.now() - timezone.timedelta(days=1, hours=2),
        end=timezone.now() - timezone.timedelta(days=1),
    )
    assert [event.pk for event in services.meetings_awaiting_write_up()] == [meeting.pk]


def test_a_contact_through_the_polish_forum_reaches_the_english_forums_coordinators(
    client, dover, polish_home
):
    polish_forum = translate_page(dover, "pl", title="Forum rodziców Dover")
    response = client.post(
        f"/fora/{polish_forum.pk}/contact/",
        {"name": "Ala", "reply_to": "ala@example.org", "message": "Czy jest tłumacz?"},
    )
    assert response.status_code == 302
    assert dover.enquiries.count() == 1 and not polish_forum.enquiries.exists()
