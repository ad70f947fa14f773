"""Safeguarding in the fora: enquiries and access needs screened as they arrive, access needs held on
the coordinators' list, print-out and CSV while a case is open, flagging only by the forum's own
coordinators, and the notice on the contact and booking forms."""

import pytest
from django.conf import settings

from forums import services
from forums.models import Booking, ForumEnquiry
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, FORUM_COORDINATORS, SAFEGUARDING_LEADS
from parentvoice.safeguarding import workflow
from parentvoice.safeguarding.choices import CaseOutcome
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.registry import get_source
from parentvoice.safeguarding.services import HELD_TEXT, flag_by_hand

NOTICE = "If a child is in danger now, call 999."


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting term list (a transactional test's flush removes what the migration seeded)."""


@pytest.fixture
def dover(make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Have your say", days=5, booking_required=True, capacity=10)
    return forum, event


def _coordinator(staff_login, forum, email="dover.coordinator@example.org"):
    user = staff_login(FORUM_COORDINATORS, email=email)
    user.groups.add(forum.coordinators)
    return user


@pytest.mark.django_db(transaction=True)
def test_an_enquiry_disclosure_opens_a_case_naming_the_forum_not_the_person(client, dover, run_tasks):
    forum, _ = dover
    client.post(
        f"/fora/{forum.pk}/contact/",
        {"name": "Sam Smith", "reply_to": "sam@example.org", "message": "My partner hits me and the kids"},
    )
    run_tasks()
    enquiry = ForumEnquiry.objects.get()
    case = Case.objects.get()
    assert (case.source_kind, case.source_id) == ("forums.enquiry", enquiry.pk)
    assert case.source_label == "Enquiry to Dover Parents Forum"
    assert "Sam" not in case.source_label
    details = get_source("forums.enquiry").details(enquiry.pk)
    assert details.contact == [("Name", "Sam Smith"), ("Reply to", "sam@example.org")]


@pytest.mark.django_db
def test_a_held_enquiry_reaches_the_coordinators_only_once_a_lead_finds_no_concern(
    client, dover, staff_login, django_capture_on_commit_callbacks
):
    from messaging.models import Message

    forum, _ = dover
    coordinator = _coordinator(staff_login, forum)
    words = "My partner hits me and the kids"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/fora/{forum.pk}/contact/",
            {"name": "Sam Smith", "reply_to": "sam@example.org", "message": words},
        )
    sent = Message.objects.get(recipient=coordinator.email)
    assert "held for safeguarding review" in sent.subject
    assert words not in sent.body and "Sam" not in sent.subject + sent.body and "sam@" not in sent.body

    lead = staff_login(SAFEGUARDING_LEADS, email="lead@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.close_case(Case.objects.get(), CaseOutcome.NO_CONCERN, lead)
    released = Message.objects.filter(recipient=coordinator.email).exclude(pk=sent.pk).get()
    assert words in released.body and "sam@example.org" in released.body


@pytest.mark.django_db
def test_an_ordinary_enquiry_is_emailed_with_its_words(client, dover, staff_login):
    from messaging.models import Message

    forum, _ = dover
    coordinator = _coordinator(staff_login, forum)
    client.post(
        f"/fora/{forum.pk}/contact/",
        {"name": "Sam", "reply_to": "sam@example.org", "message": "When is the next one?"},
    )
    assert "When is the next one?" in Message.objects.get(recipient=coordinator.email).body


@pytest.mark.django_db(transaction=True)
def test_access_needs_are_screened_held_on_every_list_and_released(
    client, dover, run_tasks, staff_login, make_user
):
    forum, event = dover
    words = "Quiet room please, my ex partner hits me and may turn up"
    services.book(event.pk, name="Sam", email="sam@example.org", access_needs=words)
    services.book(event.pk, name="Ali", email="ali@example.org", access_needs="Step-free access")
    services.book(event.pk, name="Jo", email="jo@example.org")  # no access needs: nothing to screen
    run_tasks()
    booking = Booking.objects.get(name="Sam")
    case = Case.objects.get()
    assert (case.source_kind, case.source_id) == ("forums.booking", booking.pk)
    assert case.source_label == "Access needs on a booking: Have your say"

    _coordinator(staff_login, forum)
    screens = [
        client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode(),
        client.get(f"/admin/fora/events/{event.pk}/bookings/print/").content.decode(),
        b"".join(client.get(f"/admin/fora/events/{event.pk}/bookings.csv").streaming_content).decode(),
    ]
    for screen in screens:
        assert words not in screen and HELD_TEXT in screen
        assert "Step-free access" in screen

    workflow.close_case(
        case, CaseOutcome.NO_CONCERN, make_user(email="l@example.org", groups=[SAFEGUARDING_LEADS])
    )
    listing = client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode()
    assert words in listing and HELD_TEXT not in listing


@pytest.mark.django_db
def test_a_coordinator_can_flag_access_needs_from_the_list(client, dover, staff_login):
    forum, event = dover
    services.book(event.pk, name="Sam", email="sam@example.org", access_needs="Something odd")
    _coordinator(staff_login, forum)
    listing = client.get(f"/admin/fora/events/{event.pk}/bookings/").content.decode()
    assert "Flag a safeguarding concern" in listing


@pytest.mark.django_db
def test_only_the_forums_own_coordinators_can_flag(dover, make_forum, make_user, staff_login, client):
    forum, event = dover
    booking = services.book(event.pk, name="Sam", email="sam@example.org", access_needs="Step-free")
    enquiry = services.send_enquiry(forum, name="Sam", reply_to="sam@example.org", message="Hello")
    ours = _coordinator(staff_login, forum)
    other_forum = make_forum("Thanet Parents Forum", "Thanet")
    theirs = make_user(email="thanet@example.org", groups=[FORUM_COORDINATORS])
    theirs.groups.add(other_forum.coordinators)
    officer = make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    for kind, source_id in (("forums.booking", booking.pk), ("forums.enquiry", enquiry.pk)):
        can_flag = get_source(kind).can_flag
        assert can_flag(ours, source_id)
        assert not can_flag(theirs, source_id)
        assert not can_flag(officer, source_id)  # the general role is not enough
        with pytest.raises(PermissionError):
            flag_by_hand(kind, source_id, theirs)
    assert not Case.objects.exists()
    flag_by_hand("forums.booking", booking.pk, ours, "worried")
    assert Case.objects.get().flagged_by == "hand"


@pytest.mark.django_db
def test_the_notice_is_on_the_contact_and_booking_forms(client, dover):
    forum, event = dover
    for url in (f"/fora/{forum.pk}/contact/", f"/fora/events/{event.pk}/book/"):
        page = client.get(url).content.decode()
        assert NOTICE in page, url
        assert settings.SAFEGUARDING_FRONT_DOOR_PHONE in page
        assert "we will pass it on to keep them safe" in page
