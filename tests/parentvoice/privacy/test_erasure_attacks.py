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
