"""A meeting at 7pm UK time reads "7pm" wherever a person sees it. In summer its UTC instant is 6pm
(the home page used to show "6:00pm"); in winter UK time and UTC agree."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from forums import services
from forums.models import EventPage
from messaging.models import Campaign, Message

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _first_tuesday(year, month):
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def _meeting_at_7pm(forum, month):
    """A meeting from 7pm to 9pm UK time on the first Tuesday of `month` next year, and how its day
    should read."""
    day = _first_tuesday(timezone.localdate().year + 1, month)
    start = datetime.combine(day, time(19), tzinfo=LONDON)
    event = EventPage(
        title="Have your say meeting",
        slug=f"have-your-say-{day:%Y-%m-%d}",
        start=start,
        end=start + timedelta(hours=2),
        venue_name="Children's centre",
        address="1 High Street\nDover",
        booking_required=True,
        capacity=10,
    )
    forum.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk), f"Tuesday {day.day} {day:%B} {day.year}"


def _assert_reads_7pm(text, day, *, where):
    assert f"7pm on {day}" in text or f"7pm to 9pm on {day}" in text, where
    for wrong in ("6pm", "6:00", "7:00", "p.m."):
        assert wrong not in text, f"{where}: {wrong!r}"


@pytest.mark.parametrize("month", [7, 1], ids=["summer", "winter"])
def test_a_7pm_meeting_reads_7pm_on_every_page(client, make_forum, month):
    forum = make_forum("Dover Parents Forum", "Dover")
    event, day = _meeting_at_7pm(forum, month)
    if month == 7:
        assert event.start.astimezone(UTC).hour == 18  # the stored instant is 6pm UTC
    for where, url in [
        ("home page", "/"),
        ("fora index", "/parent-fora/"),
        ("forum page", forum.url),
        ("what's on", "/parent-fora/whats-on/"),
        ("event page", event.url),
        ("booking form", f"/fora/events/{event.pk}/book/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, where
        _assert_reads_7pm(response.content.decode(), day, where=where)
    page = client.get(event.url).content.decode()
    assert f'<time datetime="{event.start.astimezone(LONDON).isoformat()}">' in page


@pytest.mark.parametrize("month", [7, 1], ids=["summer", "winter"])
def test_booking_confirmation_reminder_and_notice_say_7pm(client, make_forum, month):
    forum = make_forum("Dover Parents Forum", "Dover")
    event, day = _meeting_at_7pm(forum, month)
    response = client.post(
        f"/fora/events/{event.pk}/book/",
        {
            "name": "Sam",
            "email": "sam@example.org",
            "mobile": "",
            "adults": "1",
            "children": "0",
            "creche_places": "0",
            "access_needs": "",
        },  # fmt: skip
    )
    assert response.status_code == 302
    booking_page = client.get(response["Location"]).content.decode()
    assert day in booking_page and "7pm to 9pm" in booking_page, "booking page"
    assert booking_page.count(day) == 1  # the day once, in its own row
    confirmation = Message.objects.get(recipient="sam@example.org")
    _assert_reads_7pm(confirmation.body, day, where="confirmation email")
    assert (
        f"Your booking for Dover Parents Forum: Have your say meeting at 7pm on {day} is confirmed"
        in confirmation.body
    )

    booking = event.bookings.get()
    assert services.send_booking_reminder(booking.pk, "2 days", event.start.isoformat())
    reminder = Message.objects.get(recipient="sam@example.org", body__startswith="Reminder")
    _assert_reads_7pm(reminder.body, day, where="reminder")

    services.event_notice_campaign(event)
    campaign = Campaign.objects.get(name__startswith="Event notice")
    _assert_reads_7pm(campaign.sms_template, day, where="notice text")
    _assert_reads_7pm(campaign.email_template, day, where="notice email")
