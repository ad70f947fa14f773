import re

import pytest

from forums import services
from forums.models import Membership
from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, Purpose
from messaging.models import Consent, Contact, Message
from parentvoice.accounts.roles import FORUM_COORDINATORS

pytestmark = pytest.mark.django_db


def _confirm_join(forum, **fields):
    """Join as the owner of the addresses would: ask, then confirm each address."""
    sign_up = services.join_forum(forum, **fields)
    for confirmation in sign_up.confirmations:
        confirmed = messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    return Membership.objects.get(forum=forum, contact=confirmed.contact, left_at__isnull=True)


def _confirmation_path(address):
    message = Message.objects.filter(
        recipient=address, idempotency_key__startswith="confirm-address:"
    ).latest("pk")
    return re.search(r"http://testserver(/confirm/\S+?/)", message.body).group(1)


def _join(client, forum, **data):
    values = {"name": "Sam", "email": "sam@example.org", "mobile": "", "purposes": [Purpose.FORUM_EVENTS]}
    return client.post(f"/fora/{forum.pk}/join/", {**values, **data})


def test_a_parent_joins_with_consent_per_purpose_and_leaves_from_a_signed_link(client, make_forum):
    forum = make_forum("Dover Parents Forum", "Dover")
    assert "Join this forum" in client.get(forum.url).content.decode()
    body = _join(client, forum, email="", mobile="", purposes=[]).content.decode()
    assert "Select what you want to hear about" in body
    response = _join(client, forum, purposes=[Purpose.FORUM_EVENTS, Purpose.OUTCOMES])
    assert response.status_code == 302
    assert not Membership.objects.exists()  # not until the owner of the address confirms
    response = client.post(_confirmation_path("sam@example.org"))
    membership = Membership.objects.get()
    assert membership.contact.email == "sam@example.org" and membership.contact.district == forum.district
    granted = set(Consent.objects.filter(granted=True).values_list("channel", "purpose"))
    assert granted == {(Channel.EMAIL, Purpose.FORUM_EVENTS), (Channel.EMAIL, Purpose.OUTCOMES)}
    assert "Dover Parents Forum" in Consent.objects.first().wording
    # Joining again does not make a second membership.
    _join(client, forum)
    client.post(_confirmation_path("sam@example.org"))
    assert Membership.objects.filter(left_at__isnull=True).count() == 1
    page = client.post(response["Location"])
    assert "You have left Dover Parents Forum" in page.content.decode()
    assert Membership.objects.get().left_at is not None
    assert client.get("/fora/membership/1:forged/").status_code == 404


def test_event_notices_reach_current_members_who_agreed_on_their_channel(
    client, run_tasks, staff_login, make_forum, make_event, settings
):
    dover = make_forum("Dover Parents Forum", "Dover")
    thanet = make_forum("Thanet Parents Forum", "Thanet")
    event = make_event(dover, "Summer picnic", days=10)
    fields = {"mobile": ""}
    _confirm_join(dover, name="A", email="a@example.org", purposes=[Purpose.FORUM_EVENTS], **fields)
    _confirm_join(dover, name="B", email="b@example.org", purposes=[Purpose.OUTCOMES], **fields)
    left = _confirm_join(dover, name="C", email="c@example.org", purposes=[Purpose.FORUM_EVENTS], **fields)
    services.leave_forum(left.pk)
    _confirm_join(thanet, name="D", email="d@example.org", purposes=[Purpose.FORUM_EVENTS], **fields)
    _confirm_join(dover, name="E", email="", mobile="+447700900555", purposes=[Purpose.FORUM_EVENTS])

    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(dover.coordinators)
    members = client.get(f"/admin/fora/{dover.pk}/members/").content.decode()
    assert "a•••@example.org" in members and "a@example.org" not in members  # masked for the role
    assert client.get(f"/admin/fora/{thanet.pk}/members/").status_code == 302  # not theirs
    form = client.get(f"/admin/fora/events/{event.pk}/notice/")
    assert form.status_code == 200
    texts = {name: form.context["form"].initial[name] for name in ("sms_text", "email_subject", "email_text")}
    preview = client.post(f"/admin/fora/events/{event.pk}/notice/", {**texts, "action": "preview"})
    assert preview.context["preview"]["reach"] == 2  # A by email, E by text: B, C and D are not asked
    assert not Message.objects.filter(campaign__isnull=False).exists()  # checking sends nothing
    response = client.post(f"/admin/fora/events/{event.pk}/notice/", {**texts, "action": "send"})
    assert response.status_code == 302
    run_tasks()
    sent = set(Message.objects.filter(campaign__isnull=False).values_list("recipient", flat=True))
    assert sent == {"a@example.org", "+447700900555"}
    assert "Summer picnic" in Message.objects.get(recipient="a@example.org", campaign__isnull=False).body
    assert Contact.objects.count() == 5


def test_parents_contact_coordinators_through_a_form_without_seeing_their_address(
    client, make_forum, make_user
):
    from forums.models import ForumEnquiry

    forum = make_forum("Dover Parents Forum", "Dover")
    coordinator = make_user(email="cara@example.org")
    coordinator.groups.add(forum.coordinators)
    page = client.get(forum.url).content.decode()
    assert "cara@example.org" not in page and "Send a message to the forum" in page
    body = client.post(
        f"/fora/{forum.pk}/contact/", {"name": "", "reply_to": "", "message": ""}
    ).content.decode()
    assert "Enter your name" in body and "Enter your message" in body
    response = client.post(
        f"/fora/{forum.pk}/contact/",
        {"name": "Sam", "reply_to": "sam@example.org", "message": "Is there a creche?"},
    )
    assert response.status_code == 302 and "Message sent" in client.get(response["Location"]).content.decode()
    assert ForumEnquiry.objects.get().message == "Is there a creche?"
    email = Message.objects.get()
    assert (
        email.recipient == "cara@example.org"
        and "Is there a creche?" in email.body
        and "sam@example.org" in email.body
    )


def test_past_meetings_show_notes_and_what_parents_said(client, make_forum, make_event):
    forum = make_forum("Dover Parents Forum", "Dover")
    meeting = make_event(forum, "Last month", days=-30, meeting_notes="<p>Ten parents came.</p>",
                         parents_said=[("said", {"text": "Evening meetings, please", "theme": "Access"})])  # fmt: skip
    body = client.get(meeting.url).content.decode()
    assert "After the meeting" in body and "Ten parents came." in body and "Evening meetings, please" in body
    forum_page = client.get(forum.url).content.decode()
    assert "Past meetings" in forum_page and "What this forum raised" in forum_page
    assert "Evening meetings, please" in forum_page


def test_coordinators_get_member_booking_and_notice_buttons_on_their_pages(
    client, staff_login, make_forum, make_event
):
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Meeting", days=5, booking_required=True, capacity=10)
    user = staff_login(FORUM_COORDINATORS, email="dover.coordinator@example.org")
    user.groups.add(forum.coordinators)
    header = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert f"/admin/fora/events/{event.pk}/bookings/" in header
    assert f"/admin/fora/events/{event.pk}/notice/" in header
    listing = client.get(f"/admin/pages/{forum.pk}/").content.decode()  # the forum's events, with "More"
    assert f"/admin/fora/events/{event.pk}/bookings/" in listing
    assert f"/admin/fora/{forum.pk}/members/" in client.get(f"/admin/pages/{forum.pk}/edit/").content.decode()


PARENT_EMAIL = "parent@example.org"


def test_joining_a_forum_waits_for_confirmation_and_never_renames_a_member(client, make_forum):
    forum = make_forum("Dover Parent Forum")
    parent = Contact.objects.create(name="Amira", email=PARENT_EMAIL)
    response = client.post(
        f"/fora/{forum.pk}/join/",
        {"name": "Someone else", "email": PARENT_EMAIL, "purposes": [Purpose.FORUM_EVENTS]},
    )
    assert response.status_code == 302
    assert not Membership.objects.exists()
    assert (
        "When you confirm, you will join Dover Parent Forum"
        in client.get(response["Location"]).content.decode()
    )
    confirmed = client.post(_confirmation_path(PARENT_EMAIL))
    membership = Membership.objects.get()
    assert membership.contact == parent and membership.forum_id == forum.pk
    assert confirmed["Location"].startswith("/fora/membership/") or "membership" in confirmed["Location"]
    parent.refresh_from_db()
    assert parent.name == "Amira"
    assert messaging.current_consents(parent)[(Channel.EMAIL, Purpose.FORUM_EVENTS)] is True
