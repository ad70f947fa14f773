import threading

import pytest
from django.db import connection

from forums import services
from forums.choices import BookingStatus
from forums.models import Booking, EventPage
from messaging.models import Message
from parentvoice.accounts.roles import FORUM_COORDINATORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    return make_event(forum, "Have your say", days=5, booking_required=True, capacity=4, creche=True)


def _book(client, event, **data):
    values = {"name": "Sam", "email": "sam@example.org", "mobile": "", "adults": "1", "children": "0",
              "creche_places": "0", "access_needs": ""}  # fmt: skip
    return client.post(f"/fora/events/{event.pk}/book/", {**values, **data})


def test_a_parent_books_without_an_account_and_gets_a_link_to_see_or_cancel(client, event):
    response = _book(client, event, adults="1", children="2", creche_places="1", access_needs="Step-free")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.status, booking.places, booking.creche_places) == (BookingStatus.CONFIRMED, 3, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Your place is booked" in page and "1 adult, 2 children" in page and "1 creche place" in page
    message = Message.objects.get()
    assert (
        message.recipient == "sam@example.org"
        and "is confirmed: 1 adult, 2 children, 1 creche place" in message.body
    )
    assert response["Location"] in message.body  # the signed link to see or cancel
    calendar = client.get(response["Location"] + "event.ics")
    assert (
        calendar["Content-Type"] == "text/calendar; charset=utf-8"
        and b"SUMMARY:Dover Parents Forum: Have your say" in calendar.content
    )


def test_booking_errors_are_specific(client, event):
    body = _book(client, event, email="", mobile="").content.decode()
    assert "Enter an email address or a mobile number, so we can send your booking" in body
    body = _book(client, event, children="1", creche_places="2").content.decode()
    assert "at most one creche place for each child" in body
    body = _book(client, event, adults="0").content.decode()
    assert "Book a place for at least 1 adult" in body
    body = _book(client, event, adults="5").content.decode()
    assert "This event has 4 places in all. Book 4 or fewer." in body
    assert Booking.objects.count() == 0


def test_past_cancelled_and_drop_in_events_cannot_be_booked(client, make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    past = make_event(forum, "Last week", days=-7, booking_required=True, capacity=5)
    cancelled = make_event(forum, "Off", days=7, booking_required=True, capacity=5, cancelled=True,
                           cancellation_notice="Snow")  # fmt: skip
    drop_in = make_event(forum, "Drop in", days=7)
    for event, message in [
        (past, "already started or finished"),
        (cancelled, "has been cancelled"),
        (drop_in, "You do not need to book this event"),
    ]:
        response = _book(client, event)
        assert response.status_code == 409 and message in response.content.decode()
    assert Booking.objects.count() == 0


def test_full_events_take_a_waiting_list_and_a_freed_place_goes_to_the_first_who_fits(client, event):
    first = services.book(event.pk, name="A", email="a@example.org", adults=2, children=1)
    waiting_big = services.book(event.pk, name="B", email="b@example.org", adults=2)
    waiting_small = services.book(event.pk, name="C", mobile="+447700900123", adults=1)
    assert first.status == BookingStatus.CONFIRMED
    assert waiting_big.status == BookingStatus.WAITING
    assert waiting_small.status == BookingStatus.CONFIRMED  # 3 + 1 = 4 still fits
    assert (
        "waiting list"
        in client.get(f"/fora/bookings/{services.booking_token(waiting_big.pk)}/").content.decode()
    )
    response = client.post(f"/fora/bookings/{services.booking_token(first.pk)}/cancel/")
    assert response.status_code == 302
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(pk=waiting_big.pk).status == BookingStatus.CONFIRMED
    assert services.places_taken(EventPage.objects.get(pk=event.pk)) == 3
    offer = Message.objects.get(recipient="b@example.org", body__contains="a place came up")
    assert "is confirmed: 2 adults" in offer.body
    assert Message.objects.filter(recipient="+447700900123", channel="sms").exists()  # no email: a text
    # Cancelling again changes nothing.
    assert services.cancel_booking(first.pk) == []


def test_a_tampered_booking_link_is_not_found(client, event):
    booking = services.book(event.pk, name="A", email="a@example.org")
    token = services.booking_token(booking.pk)
    assert client.get(f"/fora/bookings/{token}x/").status_code == 404
    assert client.get(f"/fora/bookings/{booking.pk + 1}:{token.split(':')[1]}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_overbook(make_forum, make_event):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are a PostgreSQL matter; SQLite runs one writing transaction at a time.")
    event = make_event(make_forum("Dover Parents Forum", "Dover"), "Popular", days=5, booking_required=True,
                       capacity=5)  # fmt: skip
    barrier = threading.Barrier(8)

    def book(n):
        barrier.wait()
        try:
            services.book(event.pk, name=f"P{n}", email=f"p{n}@example.org", adults=1)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = list(Booking.objects.values_list("status", flat=True))
    assert statuses.count(BookingStatus.CONFIRMED) == 5 and statuses.count(BookingStatus.WAITING) == 3


def test_each_forum_gets_coordinators_who_can_edit_only_its_pages_and_see_its_bookings(
    client, staff_login, make_forum, make_event, event
):
    dover = event.get_parent().specific
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    thanet_event = make_event(thanet, "Thanet meeting", days=5, booking_required=True, capacity=10)
    assert dover.coordinators.name == f"Dover Parents Forum coordinators (forum {dover.pk})"
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(dover.coordinators)
    services.book(event.pk, name="Sam", email="sam@example.org")
    services.book(thanet_event.pk, name="Tia", email="tia@example.org")

    assert event.permissions_for_user(user).can_edit() and event.permissions_for_user(user).can_publish()
    assert dover.permissions_for_user(user).can_add_subpage()
    assert not thanet_event.permissions_for_user(user).can_edit()
    assert not thanet.permissions_for_user(user).can_add_subpage()
    assert client.get(f"/admin/pages/{event.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{thanet_event.pk}/edit/").status_code == 302  # refused
    mine = client.get(f"/admin/fora/events/{event.pk}/bookings/")
    assert mine.status_code == 200 and "Sam" in mine.content.decode()
    assert "s•••@example.org" in mine.content.decode() and "sam@example.org" not in mine.content.decode()
    theirs = client.get(f"/admin/fora/events/{thanet_event.pk}/bookings/")
    assert theirs.status_code == 302 and "tia@example.org" not in theirs.content.decode()


def test_reminders_are_queued_for_two_days_and_two_hours_before(run_tasks, make_forum, make_event, settings):
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    settings.SMS_PROVIDER = "outbox"
    event = make_event(make_forum("Dover Parents Forum", "Dover"), "Meeting", days=5, booking_required=True,
                       capacity=10)  # fmt: skip
    booking = services.book(event.pk, name="Sam", email="sam@example.org")
    reminders = DBTaskResult.objects.filter(task_path__endswith="send_booking_reminder")
    due = sorted(r.run_after for r in reminders)
    assert due == [event.start - timedelta(days=2), event.start - timedelta(hours=2)]
    run_tasks()
    bodies = list(Message.objects.filter(recipient="sam@example.org").values_list("body", flat=True))
    assert sum("Reminder: in 2 days." in b for b in bodies) == 1
    assert sum("Reminder: in 2 hours." in b for b in bodies) == 1
    # A booking made within two days gets only the 2-hour reminder.
    soon = make_event(event.get_parent().specific, "Soon", days=1, booking_required=True, capacity=10)
    services.book(soon.pk, name="Kim", email="kim@example.org")
    assert DBTaskResult.objects.filter(task_path__endswith="send_booking_reminder").count() == 3
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_moving_or_cancelling_an_event_tells_everyone_booked_once(
    run_tasks, make_forum, make_event, settings
):
    event = make_event(make_forum("Dover Parents Forum", "Dover"), "Meeting", days=5, booking_required=True,
                       capacity=1)  # fmt: skip
    booked = services.book(event.pk, name="Sam", email="sam@example.org")
    waiting = services.book(event.pk, name="Kim", mobile="+447700900123")
    page = EventPage.objects.get(pk=event.pk)
    page.start, page.end = (
        page.start.replace(hour=(page.start.hour + 2) % 24),
        page.end + (page.end - page.end),
    )
    page.end = page.start + (event.end - event.start)
    page.save_revision().publish()
    page = EventPage.objects.get(pk=event.pk)
    page.refreshments = True  # not something a calendar shows: no notice
    page.save_revision().publish()
    run_tasks()
    changed = Message.objects.filter(body__contains="has changed: it is now at ")
    assert sorted(changed.values_list("recipient", flat=True)) == ["+447700900123", "sam@example.org"]
    # The reminders made for the old time do nothing; new ones were sent for the new time.
    reminders = Message.objects.filter(recipient="sam@example.org", body__contains="Reminder: in 2 days.")
    assert reminders.count() == 1
    page = EventPage.objects.get(pk=event.pk)
    page.cancelled, page.cancellation_notice = True, "The venue is flooded."
    page.save_revision().publish()
    run_tasks()
    cancelled = Message.objects.filter(body__contains="is cancelled. The venue is flooded.")
    assert sorted(cancelled.values_list("recipient", flat=True)) == ["+447700900123", "sam@example.org"]
    assert (booked.status, waiting.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITING)
