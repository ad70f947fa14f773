"""The demo has open safeguarding cases for safeguarding@example.org, flagged by the term list through
the same screening every text goes through: a parent's disclosure in a text answering a consultation,
and one on the 'Tell us' form (tests/feedback_loop/test_demo_tell_us.py)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from parentvoice.safeguarding.choices import CaseStatus, FlaggedBy
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.services import is_held
from parentvoice.safeguarding.starting_terms import seed_starting_terms
from surveys.models import SmsConversation


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_a_texted_disclosure_the_lead_can_open(run_tasks):
    # A transactional test starts with an empty database: put back the term list the migration seeds.
    seed_starting_terms()
    call_command("load_demo_content", stdout=StringIO())
    run_tasks()

    conversation = SmsConversation.objects.get(phone="+447700900303")
    assert conversation.response is not None  # the disclosure was answered in full
    case = Case.objects.get(source_kind="messaging.inbound")
    # The case names the text message (the lead sees the number); the saved answer is held with it.
    assert (case.status, case.flagged_by) == (CaseStatus.NEW, FlaggedBy.SCREEN)
    assert case.source_kind == "messaging.inbound"
    assert "My partner hits me" in case.text
    answer = conversation.response.answers.get(text__contains="My partner hits me")
    assert is_held("surveys.answer", answer.pk)

    lead = get_user_model().objects.get(email="safeguarding@example.org")
    assert lead.has_perm("safeguarding.view_case")
    officer = get_user_model().objects.get(email="officer@example.org")
    assert not officer.has_perm("safeguarding.view_case")

    call_command("load_demo_content", stdout=StringIO())  # loading again opens nothing twice
    run_tasks()
    assert Case.objects.count() == 2  # the text and the 'Tell us' entry
