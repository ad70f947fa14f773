"""Booking a forum meeting can ask "Tell me what happens because of this meeting": a follow request
on "event:<id>", confirmed first for a new address, recorded at once for one that already agreed."""

import re

import pytest

from forums import services
from forums.models import Booking
from messaging.choices import Channel, ConfirmedBy, FollowRoute, Purpose
from messaging.models import AddressConfirmation, FollowRequest, Message
from tests.factories import ConsentingParentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    return make_event(forum, "Have your say", days=5, booking_required=True, capacity=10)


def _book(client, event, **data):
    values = {"name": "Sam", "email": "sam@example.org", "mobile": "", "adults": "1", "children": "0",
              "access_needs": ""}  # fmt: skip
    return client.post(f"/fora/events/{event.pk}/book/", {**values, **data})


def test_the_booking_form_offers_the_box_with_what_they_will_get_and_how_to_stop(client, event):
    page = client.get(f"/fora/events/{event.pk}/book/").content.decode()
    assert 'type="checkbox" name="tell_me"' in page
    assert services.TELL_ME_LABEL in page and "Every message tells you how to stop" in page


def test_without_the_box_ticked_nothing_is_asked(client, event):
    response = _book(client, event)
    assert response.status_code == 302 and Booking.objects.count() == 1
    assert not AddressConfirmation.objects.exists() and not FollowRequest.objects.exists()
    assert Message.objects.count() == 1  # the booking's own confirmation
    page = client.get(response["Location"]).content.decode()
    assert "What happens because of this meeting" not in page


def test_a_new_email_address_confirms_by_link_before_anything_is_recorded(client, event):
    response = _book(client, event, tell_me="on")
    assert response.status_code == 302 and Booking.objects.count() == 1
    assert not FollowRequest.objects.exists()  # nobody is told anything they did not confirm
    confirmation = AddressConfirmation.objects.get()
    assert (confirmation.channel, confirmation.address) == (Channel.EMAIL, "sam@example.org")
    page = client.get(response["Location"]).content.decode()
    assert "We have sent a link to s•••@example.org" in page

    to_sam = Message.objects.filter(recipient="sam@example.org").exclude(body__contains="booking for")
    link = re.search(r"https?://\S+/confirm/[^/\s]+/", to_sam.get().body).group(0)
    assert "Dover Parents Forum: Have your say" in to_sam.get().body
    path = link.split("//", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    follow = FollowRequest.objects.get()
    assert (follow.topic, follow.channel, follow.route) == (
        f"event:{event.pk}",
        Channel.EMAIL,
        FollowRoute.BOOKING,
    )
    assert follow.wording == services.TELL_ME_WORDING and follow.confirmed_by == ConfirmedBy.EMAIL_LINK


def test_a_mobile_that_already_agreed_to_outcomes_still_confirms_first(client, event):
    """Anyone can type anyone's number into a booking: its owner confirms this request themselves."""
    ConsentingParentFactory(mobile="+447700900321", consents=[(Channel.SMS, Purpose.OUTCOMES)])
    response = _book(client, event, email="", mobile="07700 900321", tell_me="on")
    assert response.status_code == 302
    assert not FollowRequest.objects.exists()
    assert AddressConfirmation.objects.get().address == "+447700900321"
    page = client.get(response["Location"]).content.decode()
    assert "Reply YES to it to confirm" in page


def test_the_email_is_used_when_both_are_given(client, event):
    _book(client, event, mobile="07700 900321", tell_me="on")
    assert AddressConfirmation.objects.get().channel == Channel.EMAIL


def test_another_browser_with_the_booking_link_is_not_told_what_was_asked(client, event):
    from django.test import Client

    response = _book(client, event, tell_me="on")
    page = Client().get(response["Location"]).content.decode()
    assert "Your place is booked" in page and "What happens because of this meeting" not in page


def test_the_waiting_list_can_ask_too(client, event):
    services.book(event.pk, name="A", email="a@example.org", adults=10)
    response = _book(client, event, tell_me="on")
    assert Booking.objects.get(name="Sam").status == "waiting" and response.status_code == 302
    assert AddressConfirmation.objects.filter(address="sam@example.org").exists()


def test_the_event_topic_is_named_by_its_meeting(event):
    assert services.event_topic_title(str(event.pk)) == "Dover Parents Forum: Have your say"
    assert services.event_topic_title("999999") == "a parent forum meeting"
    from messaging import audiences

    assert audiences.topic_title(f"event:{event.pk}") == "Dover Parents Forum: Have your say"
