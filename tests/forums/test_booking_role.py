"""The optional "Are you a…" question on the booking form: saved to Booking.parent_role for reach,
never required, "Prefer not to say" and odd values stored as blank, and in the person's own data."""

import pytest

from forums import services
from forums.models import Booking
from forums.personal_data import find_bookings
from messaging.choices import ParentRole
from parentvoice.privacy.registry import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    return make_event(forum, "Have your say", days=5, booking_required=True, capacity=40)


def _book(client, event, **data):
    values = {"name": "Sam", "email": "sam@example.org", "mobile": "", "adults": "1", "children": "0",
              "access_needs": ""}  # fmt: skip
    return client.post(f"/fora/events/{event.pk}/book/", {**values, **data})


def test_the_form_asks_every_role_as_optional_radios(client, event):
    html = client.get(f"/fora/events/{event.pk}/book/").content.decode()
    assert "Are you a… (optional)" in html
    for _, label in [*ParentRole.choices, ("", "Prefer not to say")]:
        assert label in html
    assert html.count('name="parent_role" type="radio"') == len(ParentRole.choices) + 1
    assert "<fieldset" in html  # radios grouped with their question as a legend


@pytest.mark.parametrize("role", ParentRole.values)
def test_a_chosen_role_is_saved(client, event, role):
    assert _book(client, event, parent_role=role).status_code == 302
    assert Booking.objects.get().parent_role == role


@pytest.mark.parametrize("posted", [{}, {"parent_role": "prefer_not_to_say"}, {"parent_role": ""}])
def test_no_answer_or_prefer_not_to_say_is_blank(client, event, posted):
    assert _book(client, event, **posted).status_code == 302
    assert Booking.objects.get().parent_role == ""


@pytest.mark.parametrize("odd", ["uncle", "x" * 200, "mother'--"])
def test_an_odd_value_is_an_error_not_a_booking(client, event, odd):
    response = _book(client, event, parent_role=odd)
    assert response.status_code == 200 and not Booking.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_the_service_never_stores_an_unknown_role(event):
    booking = services.book(event.pk, name="Sam", email="sam@example.org", parent_role="astronaut")
    assert booking.parent_role == ""


def test_the_role_is_in_the_persons_own_data(client, event):
    _book(client, event, parent_role="kinship_carer")
    [found] = find_bookings(Subject(email="sam@example.org"))
    assert found["parent_role"] == "kinship_carer"
