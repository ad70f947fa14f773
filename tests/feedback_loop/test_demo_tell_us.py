"""The demo's 'Tell us' entries (feedback_loop/demo_tell_us.py): every way in, several districts and
themes, triaged every way, one held for safeguarding, and a decision whose notice reaches the parent
who asked to hear back. Loading twice changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from feedback_loop.models import Decision, FeedbackItem, OpenFeedback, OpenFeedbackStatus
from feedback_loop.services import tell_us
from feedback_loop.services.public_log import public_items
from messaging.choices import CampaignKind, FollowRoute
from messaging.models import AddressConfirmation, Contact, FollowRequest, InboundMessage, Message
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.services import is_held

pytestmark = pytest.mark.django_db

MODELS = [
    OpenFeedback,
    FeedbackItem,
    Decision,
    FollowRequest,
    AddressConfirmation,
    InboundMessage,
    Message,
    Case,
]


@pytest.fixture
def loaded(concern_terms):
    call_command("load_demo_content", stdout=StringIO())


def _rows():
    return {model.__name__: sorted(map(str, model.objects.values_list("pk", flat=True))) for model in MODELS}


def test_entries_come_every_way_from_several_districts_and_are_triaged_every_way(loaded):
    entries = OpenFeedback.objects.all()
    assert 6 <= entries.count() <= 10
    assert set(entries.values_list("source", flat=True)) == {
        "web",
        "sms",
        "helpline",
        "school_gate",
        "meeting",
    }
    assert entries.exclude(district=None).values("district").distinct().count() >= 5
    assert entries.filter(source="helpline").exclude(recorded_by=None).exists()
    statuses = Counter(entries.values_list("status", flat=True))
    assert statuses[OpenFeedbackStatus.MADE_ITEM] >= 2 and statuses[OpenFeedbackStatus.NEW] >= 1
    assert statuses[OpenFeedbackStatus.LINKED] == 1 and statuses[OpenFeedbackStatus.CLOSED] == 1
    # Published 'You said' items resting on what parents told us, across themes, on the public log.
    told_us = public_items().filter(consultation=None, event=None)
    assert told_us.count() == statuses[OpenFeedbackStatus.MADE_ITEM]
    assert told_us.values("theme").distinct().count() >= 2


def test_one_entry_is_held_for_the_safeguarding_lead(loaded):
    held = [entry for entry in OpenFeedback.objects.all() if is_held(tell_us.OPEN_FEEDBACK, entry.pk)]
    assert len(held) == 1 and held[0].status == OpenFeedbackStatus.NEW
    assert Case.objects.filter(source_kind=tell_us.OPEN_FEEDBACK).count() == 1


def test_a_decision_reaches_the_parent_who_asked_to_hear_back(loaded):
    follows = FollowRequest.objects.filter(topic__startswith="tell-us:")
    assert set(follows.values_list("route", flat=True)) == {
        FollowRoute.WEB,
        FollowRoute.SMS,
        FollowRoute.OFFICER,
    }
    decision = Decision.objects.get(
        live=True, feedback_items__in=public_items().filter(consultation=None, event=None)
    )
    entry_ids = decision.feedback_items.values_list("open_feedback", flat=True)
    asked = follows.filter(topic__in=[tell_us.tell_us_topic(pk) for pk in entry_ids])
    assert asked.exists()
    notices = Message.objects.filter(
        campaign__kind=CampaignKind.OUTCOME_NOTICE, contact__in=asked.values("contact")
    )
    assert notices.exists()


def test_nobody_real_is_in_it(loaded):
    contacts = Contact.objects.filter(follow_requests__topic__startswith="tell-us:") | Contact.objects.filter(
        mobile__in=InboundMessage.objects.values("from_number")
    )
    for contact in contacts.distinct():
        assert not contact.email or contact.email.endswith("@example.org")
        assert not contact.mobile or str(contact.mobile).startswith("+447700900")


def test_loading_again_changes_nothing(loaded):
    before = _rows()
    call_command("load_demo_content", stdout=StringIO())
    assert _rows() == before
