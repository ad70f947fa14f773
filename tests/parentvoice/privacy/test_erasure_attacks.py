"""Erasure attacks (issue #15 review): what the admin's own audit log kept about a parent."""

from datetime import date

import pytest
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from parentvoice.privacy.services import subjects
from tests.factories import ContactFactory


@pytest.mark.django_db
def test_erasure_removes_the_name_from_the_audit_log_of_the_contact(make_user):
    officer = make_user(email="officer@example.org", is_staff=True)
    contact = ContactFactory(name="Samira Qureshi-Unique", email="samira@example.org")
    other = ContactFactory(name="Someone Else", email="else@example.org")
    # What the admin writes when an officer adds or edits a contact: the contact's name as the label.
    log(contact, "wagtail.create", user=officer)
    log(contact, "wagtail.edit", user=officer)
    log(other, "wagtail.edit", user=officer)

    subjects.erase_subject(subjects.subject_from("SAMIRA@example.org ", None), officer, date(2026, 12, 1))

    labels = list(ModelLogEntry.objects.order_by("pk").values_list("label", flat=True))
    assert not any("Samira" in label for label in labels)
    assert "Someone Else" in labels
    assert ModelLogEntry.objects.filter(action="wagtail.edit").count() == 2  # the history itself stays


@pytest.mark.django_db
def test_the_find_page_shows_an_officer_no_safeguarding_case_text(client, staff_login):
    """An officer cannot open a case; 'Find a person's data' must not show them its words either (a
    search for an address named in a disclosure would otherwise read it)."""
    from django.urls import reverse
    from django.utils import timezone

    from parentvoice.accounts import roles
    from parentvoice.safeguarding.models import Case
    from parentvoice.safeguarding.services import HELD_TEXT

    Case.objects.create(
        source_kind="forums.enquiry",
        source_id=1,
        source_label="Enquiry to Dover Parents Forum",
        text="My partner pat@example.org hits our son",
        arrived_at=timezone.now(),
        flagged_by="hand",
        flag_reason="Officer worried about pat@example.org",
        due_at=timezone.now(),
    )
    data = {"email": "pat@example.org", "received_on": "2026-11-30"}
    staff_login(group=roles.CONSULTATION_OFFICERS)
    html = client.post(reverse("privacy_find"), data).content.decode()
    assert "hits our son" not in html and "Officer worried" not in html
    assert HELD_TEXT in html


@pytest.mark.django_db
def test_an_email_unsubscribe_is_still_honoured_after_erasure_whatever_the_capitals():
    from messaging.choices import Channel
    from messaging.models import Message, Suppression
    from messaging.services import consent
    from messaging.services.sending import _blocked_by_suppression

    ContactFactory(name="Sam", email="sam@example.org")
    Suppression.objects.create(channel=Channel.EMAIL, address="sam@example.org", reason="unsubscribed")
    subjects.erase_subject(subjects.subject_from("Sam@Example.org", None), None, date(2026, 12, 1))
    assert not Suppression.objects.filter(address__icontains="sam").exists()
    for written in ("sam@example.org", "SAM@example.org", " sam@example.org "):
        assert consent.is_suppressed(Channel.EMAIL, written), written
    message = Message(channel=Channel.EMAIL, recipient="Sam@Example.org", idempotency_key="x")
    assert _blocked_by_suppression(message)
