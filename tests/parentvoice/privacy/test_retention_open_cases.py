# ruff: noqa: F811 - pytest fixtures imported from other conftest modules
"""Retention never takes from a safeguarding lead what an open case still needs: the reply address of
website feedback, the number a text answer came from, the contact a response names (issue #15 review).
Once the case is closed, the rules apply as usual."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from feedback_loop.models import FeedbackClosure
from messaging.models import InboundMessage
from parentvoice.models import SiteFeedback
from parentvoice.privacy.services.retention import run_retention
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.registry import get_source
from surveys.models import Answer, Response, SmsConversation
from tests.factories import CaseFactory, ContactFactory
from tests.feedback_loop.conftest import (  # noqa: F401 - shared fixtures
    answer,
    closed_consultation,
    fora_index,
    make_consultation,
    make_event,
    make_forum,
)

NOW = timezone.now().replace(microsecond=0)


def run():
    return run_retention(now=NOW, dry_run=False)


def open_case(kind, source_id):
    return CaseFactory(
        source_kind=kind,
        source_id=source_id,
        text="My son is being hit",
        arrived_at=NOW - timedelta(days=400),
        status="reviewing",
        due_at=NOW,
    )


def close(case):
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=NOW, outcome="referred")


@pytest.mark.django_db
def test_site_feedback_reply_address_kept_while_its_case_is_open():
    feedback = SiteFeedback.objects.create(trying_to_do="Find", ease="easy", email="a@example.org")
    SiteFeedback.objects.filter(pk=feedback.pk).update(
        created_at=NOW - timedelta(days=settings.RETAIN_SITE_FEEDBACK_EMAIL_DAYS + 1)
    )
    case = open_case("parentvoice.site_feedback", feedback.pk)
    assert run()["parentvoice.site_feedback_emails"] == 0
    assert get_source("parentvoice.site_feedback").details(feedback.pk).contact == [
        ("Email for a reply", "a@example.org")
    ]
    close(case)
    assert run()["parentvoice.site_feedback_emails"] == 1
    assert SiteFeedback.objects.get(pk=feedback.pk).email == ""


@pytest.mark.django_db
def test_a_response_with_an_answer_under_an_open_case_keeps_its_contact_and_conversation(
    closed_consultation, answer
):
    page = closed_consultation
    contact = ContactFactory()
    held = answer(page, contact=contact, free_text="My dad hits me")
    other = answer(page, contact=ContactFactory(), free_text="More groups")
    held_answer = Answer.objects.filter(response=held).exclude(text="").get()
    conversation = SmsConversation.objects.create(
        consultation=page, phone="+447700900003", status="complete", response=held
    )
    SmsConversation.objects.filter(pk=conversation.pk).update(
        updated_at=NOW - timedelta(days=settings.RETAIN_SMS_MAX_DAYS + 1)
    )
    FeedbackClosure.objects.create(
        consultation=page,
        closed_at=NOW - timedelta(days=settings.RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED + 1),
    )
    case = open_case("surveys.answer", held_answer.pk)

    counts = run()
    assert counts["feedback_loop.response_links"] == 1  # the other response only
    assert Response.objects.get(pk=held.pk).contact_id == contact.pk
    assert Response.objects.get(pk=other.pk).contact_id is None
    assert SmsConversation.objects.filter(pk=conversation.pk).exists()

    close(case)
    run()
    assert Response.objects.get(pk=held.pk).contact_id is None
    assert not SmsConversation.objects.filter(pk=conversation.pk).exists()


@pytest.mark.django_db
def test_an_answer_held_as_a_copy_of_a_texts_words_keeps_its_response_linked(closed_consultation, answer):
    """A text disclosure's case names the text received and holds the saved answer as a copy: the
    response keeps its contact while the case is open, as if the case named the answer."""
    from parentvoice.safeguarding.services import transfer_case

    page = closed_consultation
    contact = ContactFactory()
    held = answer(page, contact=contact, free_text="My dad hits me")
    held_answer = Answer.objects.filter(response=held).exclude(text="").get()
    FeedbackClosure.objects.create(
        consultation=page,
        closed_at=NOW - timedelta(days=settings.RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED + 1),
    )
    inbound = InboundMessage.objects.create(
        provider_ref="SMheld", from_number="+447700900003", body="My dad hits me"
    )
    case = open_case("messaging.inbound", inbound.pk)
    transfer_case("messaging.inbound", inbound.pk, "surveys.answer", held_answer.pk)

    run()
    assert Response.objects.get(pk=held.pk).contact_id == contact.pk
    close(case)
    run()
    assert Response.objects.get(pk=held.pk).contact_id is None


@pytest.mark.django_db
def test_a_case_opened_during_a_run_protects_its_record_in_a_later_chunk():
    """Rules select ids first and work through them in chunks: each chunk checks the rule again, so a
    text flagged meanwhile (or otherwise no longer due) is left alone."""
    from parentvoice.privacy.services.retention import in_chunks
    from parentvoice.safeguarding.services import open_case_ids

    first, second = (
        SiteFeedback.objects.create(trying_to_do="Find", ease="easy", email=f"{n}@example.org") for n in "ab"
    )
    due = SiteFeedback.objects.exclude(email="").exclude(pk__in=open_case_ids("parentvoice.site_feedback"))

    def wipe(rows):
        rows.update(email="")
        if not Case.objects.exists():  # a lead's case opens on the second while the first is wiped
            open_case("parentvoice.site_feedback", second.pk)

    in_chunks(due, wipe, dry_run=False, chunk=1)
    assert SiteFeedback.objects.get(pk=first.pk).email == ""
    assert SiteFeedback.objects.get(pk=second.pk).email == "b@example.org"
