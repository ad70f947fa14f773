"""Attacks on the fora's second wave (issue 17): each test here failed against a bug that was found
by attacking the work, or pins an attack that was tried and held."""

import re
import secrets
from datetime import timedelta

import pytest
import vobject
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from forums import feeds, services
from forums.choices import BookingStatus, EventKind
from forums.models import Booking, EventPage, ParentPageLink
from forums.permissions import SEE_PEOPLE
from messaging.choices import Channel
from messaging.models import Message
from parentvoice.accounts.roles import FORUM_COORDINATORS
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


def _fresh(page):
    return EventPage.objects.get(pk=page.pk)


# --- Copying and moving a meeting ---------------------------------------------------------------


def test_a_copy_of_a_written_up_meeting_is_a_new_meeting_to_write_up(dover, make_event, dover_coordinator):
    """Coordinators make next month's meeting by copying last month's: the copy must not arrive
    written up, reminded about, or carrying the last meeting's notes, minutes and parents' points."""
    held = make_event(dover, "Spring meeting", days=-20)
    services.record_attendance(held, {"mother": 3}, user=dover_coordinator)
    EventPage.objects.filter(pk=held.pk).update(
        meeting_notes="<p>Short breaks.</p>",
        written_up_at=timezone.now(),
        written_up_by=dover_coordinator,
        agenda_reminder_sent_at=timezone.now() - timedelta(days=25),
    )
    held = _fresh(held)
    held.parents_said = [("said", {"text": "Short breaks are hard to find.", "theme": "Short breaks"})]
    EventPage.objects.filter(pk=held.pk).update(parents_said=held.parents_said)

    copy = _fresh(held).copy(
        to=dover,
        update_attrs={"title": "Summer meeting", "slug": "summer-meeting"},
        keep_live=True,
        user=dover_coordinator,
    )
    copy = _fresh(copy)
    assert copy.written_up_at is None and copy.written_up_by_id is None
    assert copy.agenda_reminder_sent_at is None
    assert copy.meeting_notes == "" and copy.minutes_id is None and len(copy.parents_said) == 0
    assert copy in services.meetings_awaiting_write_up(user=dover_coordinator)
    draft = copy.get_latest_revision_as_object()  # what the editor opens
    assert draft.written_up_at is None and draft.meeting_notes == "" and len(draft.parents_said) == 0


def test_a_meeting_copied_into_another_forum_belongs_to_that_forum(dover, thanet, make_event, make_user):
    meeting = make_event(dover, "Spring meeting", days=10)
    copy = _fresh(meeting).copy(
        to=thanet, update_attrs={"title": "Thanet meeting", "slug": "thanet-meeting"}, keep_live=True
    )
    copy = _fresh(copy)
    assert copy.forum_id == thanet.pk and copy.district_id == thanet.district_id
    dover_coordinator = make_user(email="dover@example.org", groups=[FORUM_COORDINATORS])
    dover_coordinator.groups.add(dover.coordinators)
    assert not dover_coordinator.has_perm(SEE_PEOPLE, copy)


def test_a_meeting_copied_out_of_the_fora_is_outside_them(fora_index, dover, make_event, dover_coordinator):
    meeting = make_event(dover, "Information evening", days=10, kind=EventKind.INFORMATION_SESSION)
    copy = _fresh(
        _fresh(meeting).copy(
            to=fora_index, update_attrs={"title": "County evening", "slug": "county-evening"}, keep_live=True
        )
    )
    assert copy.forum_id is None and services.is_outside_fora(copy)
    assert not dover_coordinator.has_perm(SEE_PEOPLE, copy)


def test_a_meeting_moved_out_of_its_forum_leaves_the_forum_s_coordinators_behind(
    fora_index, dover, thanet, make_event, dover_coordinator
):
    """Moving an event to the fora index (it turned out to be for the whole county) or to another
    forum: its bookings, write-up and district go with its new place, not its old forum."""
    event = make_event(dover, "Transition evening", days=10, booking_required=True, capacity=20)
    BookingFactory(event=event, email="sam@example.org")
    assert dover_coordinator.has_perm(SEE_PEOPLE, _fresh(event))

    Page.objects.get(pk=event.pk).move(fora_index, pos="last-child")
    moved = _fresh(event)
    assert moved.forum_id is None and services.is_outside_fora(moved)
    assert moved.district_id == dover.district_id  # where it is stays as it was until an editor says
    assert not dover_coordinator.has_perm(SEE_PEOPLE, moved)
    assert not moved.needs_write_up

    Page.objects.get(pk=event.pk).move(thanet, pos="last-child")
    moved = _fresh(event)
    assert moved.forum_id == thanet.pk and moved.district_id == thanet.district_id
    assert not dover_coordinator.has_perm(SEE_PEOPLE, moved)


# --- Calendars ----------------------------------------------------------------------------------


def test_control_characters_in_a_title_or_place_never_reach_a_calendar(dover, make_event):
    """RFC 5545 allows no control characters in text but the tab; a title typed or pasted with one
    (a vertical tab, a NUL, a lone carriage return) must not reach the calendar programs."""
    event = make_event(dover, "Have your say", days=10)
    EventPage.objects.filter(pk=event.pk).update(
        title="Have\x0byour\x1fsay\rX-INJECTED:1\u202e",  # no NUL: PostgreSQL refuses one
        venue_name="Hall\x07\r\nLOCATION:Elsewhere",
        address="1\x1b High Street",
    )
    content = feeds.calendar_bytes([_fresh(event)], name="Dover\x0b Parents\x00 Forum\u202e")
    unfolded = content.replace(b"\r\n ", b"")
    assert not re.search(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]", content)
    assert "\u202e".encode() not in content
    lines = unfolded.split(b"\r\n")
    assert not any(
        line.startswith((b"X-INJECTED", b"SUMMARY:Injected", b"LOCATION:Elsewhere")) for line in lines
    )
    (parsed,) = [c for c in vobject.readComponents(content.decode()) if c.name == "VCALENDAR"]
    assert parsed.vevent.summary.value == "Dover Parents Forum: Haveyoursay X-INJECTED:1"


def test_a_very_long_title_is_folded_and_read_back_whole(dover, make_event):
    title = "Parents' evening about é and 👪 " * 8
    event = make_event(dover, "Long", days=10)
    EventPage.objects.filter(pk=event.pk).update(title=title[:255])
    content = feeds.calendar_bytes([_fresh(event)], name="Dover")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    parsed = vobject.readOne(content.decode())
    assert title[:255].strip() in parsed.vevent.summary.value


# --- The parent's own page: attacks that held ---------------------------------------------------


def _link(channel=Channel.EMAIL, address="sam@example.org", minutes=60):
    token = secrets.token_urlsafe(32)
    ParentPageLink.objects.create(
        channel=channel,
        address=address,
        token_hash=services.token_hash(token),
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    return token


def test_a_link_used_in_one_browser_does_nothing_in_another(client):
    token = _link()
    other = Client()
    assert client.post(f"/my-page/open/{token}/").status_code == 302
    assert other.post(f"/my-page/open/{token}/").status_code == 410
    assert other.get("/my-page/you/")["Location"] == "/my-page/"


def test_the_page_s_actions_need_the_csrf_token(dover, make_event):
    event = make_event(dover, "Have your say", days=5, booking_required=True, capacity=20)
    booking = BookingFactory(event=event, email="sam@example.org")
    browser = Client(enforce_csrf_checks=True)
    token = _link()
    assert browser.post(f"/my-page/open/{token}/").status_code == 403  # no CSRF token: not used
    assert ParentPageLink.objects.get().used_at is None
    page = browser.get(f"/my-page/open/{token}/")
    csrf = page.context["csrf_token"]
    assert browser.post(f"/my-page/open/{token}/", {"csrfmiddlewaretoken": csrf}).status_code == 302
    assert browser.post(f"/my-page/you/bookings/{booking.pk}/cancel/").status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_session_s_time_cannot_be_stretched_by_using_the_page(client, settings):
    client.post(f"/my-page/open/{_link()}/")
    session = client.session
    session["forums.parent_page"]["until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    session.save()
    assert client.get("/my-page/you/")["Location"] == "/my-page/"
    assert "forums.parent_page" not in client.session


def test_a_booking_made_in_another_case_or_a_07_mobile_shows_on_the_page(client, dover, make_event):
    event = make_event(dover, "Have your say", days=5, booking_required=True, capacity=20)
    shouting = BookingFactory(event=event, email="Sam@Example.ORG")
    client.post(f"/my-page/open/{_link()}/")
    assert [row.booking for row in client.get("/my-page/you/").context["mine"].upcoming] == [shouting]

    response = Client().post(
        f"/fora/events/{event.pk}/book/",
        {"name": "Sam", "mobile": "07700 900123", "adults": 1, "children": 0},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    by_text = Booking.objects.get(mobile="+447700900123")
    texter = Client()
    texter.post(f"/my-page/open/{_link(Channel.SMS, '+447700900123')}/")
    assert [row.booking for row in texter.get("/my-page/you/").context["mine"].upcoming] == [by_text]


# --- The agenda reminder ------------------------------------------------------------------------


def test_a_meeting_moved_after_its_reminder_is_reminded_about_again_before_its_new_date(
    dover, make_event, dover_coordinator
):
    event = make_event(dover, "Forum meeting", days=4)
    assert services.send_agenda_reminders() == 1
    page = _fresh(event)
    page.start, page.end = page.start + timedelta(days=30), page.end + timedelta(days=30)
    page.save_revision().publish()
    assert _fresh(event).agenda_reminder_sent_at is None
    assert services.send_agenda_reminders() == 0  # the new date is a month away
    later = timezone.now() + timedelta(days=30)  # the new date is four days away
    assert services.send_agenda_reminders(now=later) == 1
    assert services.send_agenda_reminders(now=later) == 0
    reminders = Message.objects.filter(idempotency_key__startswith="agenda-reminder:")
    assert [m.recipient for m in reminders] == [dover_coordinator.email] * 2


def test_publishing_a_meeting_again_at_the_same_time_does_not_repeat_the_reminder(
    dover, make_event, dover_coordinator
):
    event = make_event(dover, "Forum meeting", days=4)
    assert services.send_agenda_reminders() == 1
    page = _fresh(event)
    page.venue_name = "Library"
    page.save_revision().publish()
    assert _fresh(event).agenda_reminder_sent_at is not None
    assert services.send_agenda_reminders() == 0


# --- What's on ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "?start_date=1/1/1&end_date=31/12/9999",
        "?start_date=31/12/9999",
        "?end_date=1/1/1",
        "?page=99999999999999999999999",
        "?kind=drop_in&kind=drop_in&kind=workshop" + "&kind=drop_in" * 500,
        "?district=" + "d" * 3000,
        "?mode=%00",
    ],
)
def test_odd_whats_on_queries_answer_a_page_not_a_server_error(client, fora_index, dover, make_event, query):
    make_event(fora_index, "County evening", days=3, kind=EventKind.INFORMATION_SESSION)
    assert client.get("/parent-fora/whats-on/" + query).status_code == 200


def test_a_district_with_only_a_private_event_is_not_offered_on_what_s_on(fora_index, make_event):
    from wagtail.models import PageViewRestriction

    from forums.forms import WhatsOnFilterForm
    from parentvoice.models import District

    hidden = District.objects.create(name="Hiddenshire", slug="hiddenshire", ons_code="E07009999")
    event = make_event(fora_index, "Private briefing", days=3, district=hidden)
    PageViewRestriction.objects.create(page=event, restriction_type="password", password="secret")
    assert "hiddenshire" not in WhatsOnFilterForm().districts


# --- Practitioners ------------------------------------------------------------------------------


def test_joining_a_practitioners_forum_with_a_parent_s_address_changes_nothing_of_theirs_but_business(
    client, make_forum
):
    from forums.choices import ForumKind
    from messaging import services as messaging
    from messaging.choices import ConfirmedBy, Purpose
    from messaging.models import Contact

    parents = make_forum("Dover Parents Forum", "Dover")
    practitioners = make_forum("Kent Practitioners Forum", kind=ForumKind.PRACTITIONERS)
    sign_up = services.join_forum(
        parents, name="Sam", email="sam@example.org", mobile="+447700900123",
        purposes=[Purpose.FORUM_EVENTS, Purpose.CONSULTATIONS],
    )  # fmt: skip
    proven = []
    for confirmation in sign_up.confirmations:
        messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK, proven_with=proven)
        proven.append(confirmation.pk)
    contact = Contact.objects.get(email="sam@example.org")
    before = messaging.current_consents(contact)

    join = services.join_forum(
        practitioners, name="Dr Samuel Someone", email="SAM@example.org", mobile="",
        purposes=[Purpose.FORUM_BUSINESS], organisation="Dover Surgery",
    )  # fmt: skip
    messaging.confirm_address(join.confirmations[0].pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    contact.refresh_from_db()
    assert contact.name == "Sam" and contact.mobile == "+447700900123"
    after = messaging.current_consents(contact)
    assert {k: v for k, v in after.items() if k[1] != Purpose.FORUM_BUSINESS} == before
    assert after[(Channel.EMAIL, Purpose.FORUM_BUSINESS)] is True
    assert not after.get((Channel.SMS, Purpose.FORUM_BUSINESS))

    # The parent's page, reached by the mobile, lists both; leaving the practitioners' forum there
    # ends the forum business and leaves the parent's consents alone.
    client.post(f"/my-page/open/{_link(Channel.SMS, '+447700900123')}/")
    mine = client.get("/my-page/you/").context["mine"]
    work = next(m for m in mine.memberships if m.forum_id == practitioners.pk)
    assert client.post(f"/my-page/you/fora/{work.pk}/leave/").status_code == 302
    final = messaging.current_consents(contact)
    assert final[(Channel.EMAIL, Purpose.FORUM_BUSINESS)] is False
    assert {k: v for k, v in final.items() if k[1] != Purpose.FORUM_BUSINESS} == before


def test_asking_for_a_known_or_an_unknown_address_does_the_same_queries_and_the_same_refusal(
    client, settings, dover, make_event
):
    """No timing shape to tell them apart (the same queries in the request; the task decides later),
    and the refusal once the address's limit is used up is the same page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event(dover, "Have your say", days=5, booking_required=True, capacity=20)
    BookingFactory(event=event, email="known@example.org")
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "parent_page": "100/h/ip,1/h/key"}
    shapes, refusals = [], []
    for address in ("known@example.org", "stranger@example.org"):
        with CaptureQueriesContext(connection) as queries:
            assert client.post("/my-page/", {"address": address}).status_code == 302
        shapes.append([re.sub(r"\d+|'[^']*'", "?", q["sql"]) for q in queries.captured_queries])
        refused = client.post("/my-page/", {"address": address})
        assert refused.status_code == 429
        refusals.append(re.sub(rb'nonce="[^"]*"|value="[^"]*"', b"", refused.content))
    assert shapes[0] == shapes[1]
    assert refusals[0] == refusals[1]


def test_a_description_reads_as_plain_text_not_html_entities(dover, make_event):
    event = make_event(
        dover, "Tea and talk", days=10, description="<p>Tea &amp; biscuits, ages 5 &lt; 11</p>"
    )
    content = feeds.calendar_bytes([_fresh(event)], name="Dover")
    description = vobject.readOne(content.decode()).vevent.description.value
    assert description.startswith("Tea & biscuits, ages 5 < 11")
    assert "&amp;" not in description
