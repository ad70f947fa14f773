"""Safeguarding and 'You said, we did': quotes screened when saved, left out of the public log, the
decision page and briefings while held, back once a lead closes the case with no concern."""

import pytest
from django.urls import reverse

from feedback_loop.models import FeedbackQuote
from parentvoice.accounts.roles import (
    CONSULTATION_OFFICERS,
    DECISION_MAKERS,
    FORUM_COORDINATORS,
    SAFEGUARDING_LEADS,
)
from parentvoice.safeguarding import workflow
from parentvoice.safeguarding.choices import CaseOutcome
from parentvoice.safeguarding.models import Case
from parentvoice.safeguarding.registry import get_source
from parentvoice.safeguarding.services import flag_by_hand

from .conftest import evidence

SAFE = "The school newsletter is the only thing I read."
WORRYING = "Dad hits us when he is drunk so I stay at school late"


@pytest.fixture(autouse=True)
def terms(concern_terms):
    """The starting term list (a transactional test's flush removes what the migration seeded)."""


@pytest.fixture
def quoted(log_page, closed_consultation, answer, make_item, make_decision):
    page = closed_consultation
    for _ in range(6):
        answer(page, first_place="school")
    item = make_item(
        summary="Parents look to schools first.",
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        quotes=[(SAFE, True), (WORRYING, True)],
    )
    decision = make_decision([item], summary="Every school newsletter will list what is on.")
    return {"page": page, "item": item, "decision": decision}


def _shown(client, quoted, log_page):
    """What the public log and decision page show, and the briefing a decision maker reads."""
    public = client.get(log_page.url).content.decode()
    decision = client.get(log_page.decision_url(quoted["decision"].pk)).content.decode()
    briefing = client.get(reverse("feedback_briefing", args=[quoted["page"].pk])).content.decode()
    return {"public log": public, "decision page": decision, "briefing": briefing}


@pytest.mark.django_db(transaction=True)
def test_a_worrying_quote_is_held_everywhere_until_released(
    client, staff_login, quoted, log_page, run_tasks, make_user
):
    run_tasks()
    staff_login(DECISION_MAKERS)
    quote = FeedbackQuote.objects.get(text=WORRYING)
    case = Case.objects.get()
    assert (case.source_kind, case.source_id) == ("feedback_loop.quote", quote.pk)
    assert case.source_label == "Quote: Parents look to schools first."
    for where, html in _shown(client, quoted, log_page).items():
        assert SAFE in html, where
        assert "Dad hits us" not in html, where

    workflow.close_case(
        case, CaseOutcome.NO_CONCERN, make_user(email="l@example.org", groups=[SAFEGUARDING_LEADS])
    )
    for where, html in _shown(client, quoted, log_page).items():
        assert "Dad hits us" in html, where


@pytest.mark.django_db
def test_who_can_flag_a_quote(quoted, make_user):
    quote = FeedbackQuote.objects.get(text=SAFE)
    can_flag = get_source("feedback_loop.quote").can_flag
    officer = make_user(email="o@example.org", groups=[CONSULTATION_OFFICERS])
    coordinator = make_user(email="c@example.org", groups=[FORUM_COORDINATORS])
    assert can_flag(officer, quote.pk)
    assert not can_flag(coordinator, quote.pk)
    flag_by_hand("feedback_loop.quote", quote.pk, officer, "identifies a family")
    assert Case.objects.get().flagged_by == "hand"
    # The lead is given a link to the item, and no contact: a quote names nobody.
    details = get_source("feedback_loop.quote").details(quote.pk)
    assert details.contact == [] and f"/{quoted['item'].pk}/" in details.admin_url
