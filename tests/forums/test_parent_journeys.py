"""A parent's side of a forum, from an empty site: the event page names its forum and date from the
event's fields, a full event offers the waiting list (or updates), the booking confirmation is
structured, cancelling asks first, every form error comes at once, and "Get updates" is offered."""

import re

import pytest

from forums import services
from forums.choices import BookingStatus
from forums.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(dover, make_event):
    return make_event(dover, "Forum meeting", days=5, booking_required=True, capacity=2, creche=True)


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def _book(client, event, **data):
    values = {"name": "Sam", "email": "sam@example.org", "mobile": "", "adults": "1", "children": "0",
              "creche_places": "0", "access_needs": ""}  # fmt: skip
    return client.post(f"/fora/events/{event.pk}/book/", {**values, **data})


def test_the_event_page_shows_its_forum_and_date_from_the_events_fields(client, event):
    from parentvoice.dates import govuk_date

    page = client.get(event.url).content.decode()
    assert "Dover Parents Forum" in page and govuk_date(event.start, weekday=True) in page
    assert "Book a place" in page and "Join the waiting list" not in page


def test_a_full_event_offers_the_waiting_list_then_updates(client, event, settings):
    services.book(event.pk, name="A", email="a@example.org", adults=2)
    page = client.get(event.url).content.decode()
    assert "Join the waiting list" in page and "Book a place" not in page
    form = client.get(f"/fora/events/{event.pk}/book/").content.decode()
    assert "Join the waiting list" in form and ">Book<" not in form
    response = _book(client, event, email="b@example.org")
    assert Booking.objects.get(email="b@example.org").status == BookingStatus.WAITING
    assert "You are on the waiting list" in client.get(response["Location"]).content.decode()

    settings.BOOKING_WAITING_LIST_MAX = 1
    page = client.get(event.url).content.decode()
    assert "This event is full, and so is its waiting list" in page and "Join the waiting list" not in page
    assert 'href="/keep-me-informed/"' in page and ">Get updates</a>" in page
    form = client.get(f"/fora/events/{event.pk}/book/").content.decode()
    assert '<form method="post"' not in form and ">Get updates</a>" in form


def test_the_confirmation_is_a_summary_without_a_doubled_date(client, event):
    from parentvoice.dates import govuk_date

    response = _book(client, event, children="1", creche_places="1", access_needs="A quiet space")
    page = client.get(response["Location"]).content.decode()
    rows = dict(
        re.findall(
            r'<dt class="govuk-summary-list__key">(.*?)</dt><dd class="govuk-summary-list__value">(.*?)</dd>',
            page,
            re.S,
        )
    )
    assert set(rows) >= {"Event", "Day", "Time", "Place", "Places", "Creche", "Access needs"}
    assert govuk_date(event.start, weekday=True) in rows["Day"]
    assert "1 creche place" in rows["Creche"] and "A quiet space" in rows["Access needs"]
    assert page.count(govuk_date(event.start, weekday=True)) == 1
    reminder = govuk_date(services.next_reminder(event), weekday=True)
    assert f"We will send you a reminder on {reminder}" in page


def test_cancelling_asks_first_and_opening_the_link_never_cancels(client, event):
    response = _book(client, event)
    booking_url = response["Location"]
    booking = Booking.objects.get()
    page = client.get(booking_url).content.decode()
    cancel_url = booking_url + "cancel/"
    assert f'href="{cancel_url}"' in page and "<form" not in page.split("<main")[1].split("</main>")[0]
    # Following the link (a person, or a mail scanner) only asks.
    confirm = client.get(cancel_url)
    assert "Are you sure you want to cancel your booking?" in confirm.content.decode()
    assert "no-store" in confirm["Cache-Control"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    # The booking page itself no longer cancels on a POST.
    assert client.post(booking_url, {"action": "cancel"}).status_code == 405
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert client.post(cancel_url).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    # Once cancelled, the cancel link goes back to the booking.
    assert client.get(cancel_url)["Location"] == booking_url


def test_a_tampered_cancel_link_cancels_nothing(client, event):
    _book(client, event)
    token = services.booking_token(Booking.objects.get().pk)
    assert client.post(f"/fora/bookings/{token}x/cancel/").status_code == 404
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("url", "data", "errors"),
    [
        (
            "book",
            {"name": "", "email": "", "mobile": "", "adults": "0", "children": "0"},
            ["Enter your name", "Enter an email address or a mobile number", "Book a place for at least 1 adult"],
        ),
        ("join", {"name": "", "email": "", "mobile": ""}, ["Enter your first name", "Enter an email address or a mobile number", "Select what you want to hear about"]),
        ("contact", {"name": "", "reply_to": "", "message": ""}, ["Enter your name", "Enter an email address or a mobile number", "Enter your message"]),
    ],
)  # fmt: skip
def test_every_error_comes_at_once_above_the_heading_and_the_title_says_error_once(
    client, dover, event, url, data, errors
):
    path = {
        "book": f"/fora/events/{event.pk}/book/",
        "join": f"/fora/{dover.pk}/join/",
        "contact": f"/fora/{dover.pk}/contact/",
    }[url]
    html = client.post(path, data).content.decode()
    summary = html.index("govuk-error-summary")
    assert summary < html.index("<h1")
    for error in errors:
        assert error in html[summary : html.index("<h1")], error
    assert _title(html).startswith("Error: ") and _title(html).count("Error:") == 1


def test_a_booking_problem_is_summarised_above_the_heading(client, dover, make_event):
    past = make_event(dover, "Last week", days=-7, booking_required=True, capacity=5)
    html = _book(client, past).content.decode()
    assert html.index("There is a problem") < html.index("<h1")
    assert "already started or finished" in html and _title(html).count("Error:") == 1


def test_forum_pages_offer_get_updates_before_the_calendar_feed(client, dover, fora_index):
    page = client.get(dover.url).content.decode().split('id="main-content"')[1]
    assert page.index(">Get updates</a>") < page.index("Add this forum's meetings to your calendar")
    assert page.index("Join this forum") < page.index(">Get updates</a>")
    whats_on = client.get(fora_index.url + "whats-on/").content.decode().split('id="main-content"')[1]
    assert whats_on.index(">Get updates</a>") < whats_on.index("Add every parent forum meeting")


def test_texts_and_calendars_name_the_forum_once(client, dover, make_event):
    titled = make_event(dover, "Dover Parents Forum summer meeting", days=5)
    plain = make_event(dover, "Summer picnic", days=6)
    assert services.event_name(titled) == "Dover Parents Forum summer meeting"
    assert services.event_name(plain) == "Dover Parents Forum: Summer picnic"
    sms = services.notice_defaults(titled)["sms_text"]
    assert sms.count("Dover Parents Forum") == 1 and "No need to book" in sms
