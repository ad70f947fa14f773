"""Abuse limits on the fora's public forms, and the caps on one booking's places and the waiting list."""

import pytest

from forums import services
from forums.choices import BookingStatus
from forums.models import Booking
from tests.factories import BookingFactory, MembershipFactory

pytestmark = pytest.mark.django_db
ALICE, BOB = "203.0.113.5", "203.0.113.66"


@pytest.fixture
def forum(make_forum):
    return make_forum("Dover Parents Forum", "Dover")


@pytest.fixture
def event(forum, make_event):
    return make_event(forum, "Have your say", days=5, booking_required=True, capacity=4)


def _limits(settings, **rates):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, **rates}


def _book(client, event, address=ALICE, **data):
    values = {"name": "Sam", "email": "sam@example.org", "mobile": "", "adults": "1", "children": "0"}
    return client.post(f"/fora/events/{event.pk}/book/", {**values, **data}, REMOTE_ADDR=address)


def test_booking_is_limited_per_client_and_a_refused_booking_loses_none_made(client, event, settings):
    _limits(settings, book="2/h/ip,100/h/key")
    assert [_book(client, event, email=f"p{n}@example.org").status_code for n in range(2)] == [302, 302]
    refused = _book(client, event, email="p3@example.org")
    assert refused.status_code == 429 and "Try again in an hour." in refused.content.decode()
    assert Booking.objects.count() == 2  # both bookings kept, the third not made
    assert client.get(f"/fora/events/{event.pk}/book/", REMOTE_ADDR=ALICE).status_code == 200
    assert _book(client, event, BOB, email="p3@example.org").status_code == 302


def test_booking_is_limited_per_event_and_per_recipient(client, event, forum, make_event, settings):
    _limits(settings, book="100/h/ip,1/h/key", recipient="1/h/key")
    other = make_event(forum, "Coffee morning", days=6, booking_required=True, capacity=4)
    assert _book(client, event, ALICE, email="a@example.org").status_code == 302
    assert _book(client, event, BOB, email="b@example.org").status_code == 429  # this event's limit
    assert _book(client, other, BOB, email="b@example.org").status_code == 302
    third = make_event(forum, "Evening meeting", days=7, booking_required=True, capacity=4)
    assert _book(client, third, "198.51.100.1", email="A@example.org").status_code == 429  # a's limit
    assert _book(client, third, "198.51.100.1", email="c@example.org").status_code == 302


def test_cancelling_leaving_joining_and_contacting_are_limited(client, forum, event, settings):
    _limits(settings, cancel="1/h/ip", join="1/h/ip", contact_forum="1/h/ip")
    cancel_url = f"/fora/bookings/{services.booking_token(BookingFactory(event=event).pk)}/cancel/"
    assert client.post(cancel_url).status_code == 302  # cancelled
    assert client.post(cancel_url).status_code == 429
    member = MembershipFactory(forum=forum)
    membership_url = f"/fora/membership/{services.membership_token(member.pk)}/"
    for url, data in [
        (f"/fora/{forum.pk}/join/", {}),
        (f"/fora/{forum.pk}/contact/", {}),
    ]:
        assert client.post(url, data).status_code != 429
        assert client.post(url, data).status_code == 429, url
        assert client.get(url).status_code == 200
    assert client.post(membership_url).status_code == 429  # leaving counts with cancelling
    member.refresh_from_db()
    assert member.left_at is None


def test_the_contact_form_is_limited_per_forum(client, forum, settings):
    _limits(settings, contact_forum="100/h/ip,1/h/key")
    assert client.post(f"/fora/{forum.pk}/contact/", {}, REMOTE_ADDR=ALICE).status_code != 429
    assert client.post(f"/fora/{forum.pk}/contact/", {}, REMOTE_ADDR=BOB).status_code == 429


def test_one_booking_takes_at_most_the_set_number_of_places(client, forum, make_event, settings):
    settings.BOOKING_MAX_PLACES = 6
    big = make_event(forum, "Family day", days=5, booking_required=True, capacity=50)
    body = _book(client, big, adults="2", children="5").content.decode()
    assert "Book 6 places or fewer in all, adults and children together" in body
    assert Booking.objects.count() == 0
    with pytest.raises(services.BookingError, match="Book 6 places or fewer"):
        services.book(big.pk, name="A", email="a@example.org", adults=3, children=4)
    assert _book(client, big, adults="2", children="4").status_code == 302


def test_the_waiting_list_has_a_cap(client, event, settings):
    settings.BOOKING_WAITING_LIST_MAX = 2
    services.book(event.pk, name="A", email="a@example.org", adults=4)  # the event is full
    waiting = [services.book(event.pk, name=n, email=f"{n}@example.org") for n in "BC"]
    assert {b.status for b in waiting} == {BookingStatus.WAITING}
    refused = _book(client, event, email="d@example.org")
    assert refused.status_code == 409
    assert "This event is full and so is its waiting list" in refused.content.decode()
    assert Booking.objects.count() == 3
    services.cancel_booking(waiting[0].pk)  # a place on the waiting list frees up
    assert services.book(event.pk, name="D", email="d@example.org").status == BookingStatus.WAITING
