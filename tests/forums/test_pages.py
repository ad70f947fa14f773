import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from forums.models import EventPage

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # warm per-process caches (site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_fora_index_lists_each_forum_with_its_next_meeting(client, make_forum, make_event):
    county = make_forum("County Parents Forum")
    dover = make_forum("Dover Parents Forum", "Dover")
    make_event(dover, "Last month", days=-30)
    make_event(dover, "Cancelled one", days=1, cancelled=True, cancellation_notice="Snow")
    make_event(dover, "Next meeting", days=3)
    make_event(dover, "Later meeting", days=10)
    body = client.get("/parent-fora/").content.decode()
    assert body.index("County Parents Forum") < body.index("Dover Parents Forum")  # county-wide first
    assert "Next: <a" in body and "Next meeting" in body and "Later meeting" not in body
    assert "No meeting is planned yet." in body  # the county forum has none
    assert county.title in body


def test_listing_pages_use_a_constant_number_of_queries(client, make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    make_event(forum, "Meeting", days=2)
    index_before, whats_on_before = (
        _queries(client, "/parent-fora/"),
        _queries(client, "/parent-fora/whats-on/"),
    )
    for n in range(4):
        more = make_forum(f"Forum {n}", f"District {n}")
        for day in range(3):
            make_event(more, f"Meeting {n} {day}", days=day + 1, online_link="https://meet.example.org/x")
    assert _queries(client, "/parent-fora/") == index_before
    assert _queries(client, "/parent-fora/whats-on/") == whats_on_before


def test_whats_on_filters_by_district_dates_and_how(client, make_forum, make_event):
    county = make_forum("County Parents Forum")
    dover = make_forum("Dover Parents Forum", "Dover")
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    make_event(county, "County meeting", days=5)
    make_event(dover, "Dover in person", days=2)
    make_event(
        dover, "Dover online", days=4, venue_name="", address="", online_link="https://meet.example.org/d"
    )
    make_event(thanet, "Thanet meeting", days=40)
    make_event(thanet, "Thanet last year", days=-300)

    def titles(query=""):
        body = client.get("/parent-fora/whats-on/" + query).content.decode()
        return {
            t
            for t in [
                "County meeting",
                "Dover in person",
                "Dover online",
                "Thanet meeting",
                "Thanet last year",
            ]
            if t in body
        }

    assert titles() == {"County meeting", "Dover in person", "Dover online", "Thanet meeting"}
    # County-wide meetings are for every district.
    assert titles("?district=dover") == {"County meeting", "Dover in person", "Dover online"}
    assert titles("?district=dover&mode=online") == {"Dover online"}
    assert titles("?mode=in_person") == {"County meeting", "Dover in person", "Thanet meeting"}
    from django.utils import timezone

    soon = (timezone.localdate() + __import__("datetime").timedelta(days=10)).strftime("%d/%m/%Y")
    assert titles(f"?end_date={soon}") == {"County meeting", "Dover in person", "Dover online"}
    body = client.get("/parent-fora/whats-on/?start_date=31/2/2027").content.decode()
    assert "Enter the date as day/month/year" in body and "govuk-error-summary" in body


def test_whats_on_pages_twenty_at_a_time(client, make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    for day in range(25):
        make_event(forum, f"Meeting {day:02d}", days=day + 1)
    first = client.get("/parent-fora/whats-on/").content.decode()
    assert "25 events." in first and "Meeting 19" in first and "Meeting 20" not in first
    second = client.get("/parent-fora/whats-on/?page=2").content.decode()
    assert "Meeting 20" in second and 'rel="prev"' in second


def test_event_page_says_what_parents_need_to_know(client, make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Forum meeting", days=3, creche=True, interpreter_on_request=True,
                       venue_accessibility="Step-free entrance", booking_required=True, capacity=20)  # fmt: skip
    body = client.get(event.url).content.decode()
    for text in ["Children&#x27;s centre", "Step-free entrance", "Creche or childcare", "Available",
                 "Ask us for one before the day", "Booking needed: 20 places"]:  # fmt: skip
        assert text in body
    EventPage.objects.filter(pk=event.pk).update(cancelled=True, cancellation_notice="The venue is closed.")
    assert "This event is cancelled. The venue is closed." in client.get(event.url).content.decode()


def test_an_event_needs_sensible_times_a_place_and_places(make_forum, make_event):
    event = make_event(make_forum("Dover Parents Forum", "Dover"), "Meeting", days=3)
    event.end = event.start
    event.venue_name = event.address = ""
    event.booking_required, event.capacity = True, None
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert set(error.value.message_dict) >= {"end", "venue_name", "capacity"}


def test_calendar_feeds_have_stable_uids_london_times_sequence_and_cancellations(
    client, make_forum, make_event
):
    dover = make_forum("Dover Parents Forum", "Dover")
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    meeting = make_event(dover, "Dover meeting", days=3)
    make_event(thanet, "Thanet meeting", days=4)

    def feed(url):
        response = client.get(url)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(response.content)

    site = feed("/parent-fora/calendar/")
    events = {str(e["summary"]): e for e in site.walk("VEVENT")}
    # A calendar is read away from the forum's page: the summary names the forum.
    assert set(events) == {"Dover Parents Forum: Dover meeting", "Thanet Parents Forum: Thanet meeting"}
    assert [str(tz["tzid"]) for tz in site.walk("VTIMEZONE")] == ["Europe/London"]
    dover_event = events["Dover Parents Forum: Dover meeting"]
    assert str(dover_event["uid"]) == f"event-{meeting.pk}@testserver"
    assert str(dover_event["dtstart"].dt.tzinfo) == "Europe/London"
    assert dover_event["sequence"] == 0 and str(dover_event["status"]) == "CONFIRMED"
    assert {str(e["summary"]) for e in feed("/parent-fora/dover-parents-forum/calendar/").walk("VEVENT")} == {
        "Dover Parents Forum: Dover meeting"
    }

    # Moving it bumps SEQUENCE under the same UID; cancelling marks it CANCELLED rather than dropping it.
    page = EventPage.objects.get(pk=meeting.pk)
    page.start = page.start.replace(hour=(page.start.hour + 1) % 24)
    page.end = page.start + (meeting.end - meeting.start)
    page.save_revision().publish()
    page = EventPage.objects.get(pk=meeting.pk)
    page.cancelled, page.cancellation_notice = True, "Sorry, the venue flooded."
    page.save_revision().publish()
    moved = next(
        e for e in feed("/parent-fora/calendar/").walk("VEVENT") if str(e["uid"]) == str(dover_event["uid"])
    )
    assert moved["sequence"] == 2 and str(moved["status"]) == "CANCELLED"
    assert "Sorry, the venue flooded." in str(moved["description"])
    # Saving without a change a calendar shows keeps SEQUENCE.
    page = EventPage.objects.get(pk=meeting.pk)
    page.venue_accessibility = "Lift to the first floor"
    page.save_revision().publish()
    assert EventPage.objects.get(pk=meeting.pk).sequence == 2


def test_home_page_lists_upcoming_meetings(client, make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    make_event(forum, "Coffee morning", days=2)
    make_event(forum, "Old meeting", days=-2)
    body = client.get("/").content.decode()
    assert "Coffee morning" in body and "Old meeting" not in body and "See what&#x27;s on" in body


def test_demo_has_kent_fora_with_past_and_upcoming_meetings(demo, client):
    from forums.models import ForumPage

    assert ForumPage.objects.filter(kind__in=["district", "county"]).count() == 8
    assert ForumPage.objects.filter(kind="county").count() == 1
    body = client.get("/parent-fora/").content.decode()
    for name in ["Dover Parents Forum", "Swanley Parents Forum", "Kent County Parents Forum"]:
        assert name in body
    forum_page = client.get("/parent-fora/dover/").content.decode()
    assert "Past meetings" in forum_page and "Coming up" in forum_page
