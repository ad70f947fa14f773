"""The edges: scheduled and unpublished decisions, private pages, failures while telling parents,
and small numbers in briefings."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from feedback_loop import services
from feedback_loop.choices import DecisionStatus
from feedback_loop.models import Decision, FeedbackItem, OutcomeNotice
from messaging.services import CampaignError
from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS

from .conftest import evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(closed_consultation, make_item):
    page = closed_consultation
    return make_item(consultation=page, evidence=evidence(page, "first-place", "school"))


def test_a_decision_scheduled_to_publish_later_tells_nobody_yet(item, make_decision):
    decision = make_decision([item], publish=False)
    decision.go_live_at = timezone.now() + timedelta(days=2)
    decision.save_revision().publish()
    assert not Decision.objects.get().live
    assert not OutcomeNotice.objects.exists()


def test_unpublishing_does_not_let_a_status_move_backwards(item, make_decision):
    decision = make_decision([item], status="done")
    decision.unpublish()
    decision = Decision.objects.get()
    decision.status = DecisionStatus.UNDER_CONSIDERATION
    with pytest.raises(ValidationError, match="cannot become under consideration"):
        decision.full_clean(exclude=["feedback_items"])


def test_a_draft_item_cannot_join_a_consultation_closed_with_feedback(
    closed_consultation, item, make_item, make_decision
):
    page = closed_consultation
    draft = make_item(consultation=page, evidence=evidence(page, "first-place", "health"), publish=False)
    make_decision([item])
    services.close_with_feedback(page)
    with pytest.raises(ValidationError, match="closed with feedback"):
        draft.full_clean()
    item.summary = "Corrected wording of a published item"
    item.full_clean()  # still editable


def test_the_closed_with_feedback_line_is_shown_only_while_true(
    client, log_page, closed_consultation, item, make_decision
):
    decision = make_decision([item])
    services.close_with_feedback(closed_consultation)
    assert "Every point below has a decision" in client.get(closed_consultation.url).content.decode()
    decision.unpublish()
    html = client.get(closed_consultation.url).content.decode()
    assert "Every point below has a decision" not in html and "Waiting for a decision" in html


def test_what_parents_said_on_private_pages_stays_private(
    client, log_page, closed_consultation, item, make_decision
):
    make_decision([item], summary="A decision about a private consultation.")
    PageViewRestriction.objects.create(
        page=closed_consultation, restriction_type="password", password="secret"
    )
    for url in (log_page.url, f"{log_page.url}feed/", "/"):
        assert "A decision about a private consultation." not in client.get(url).content.decode(), url


def test_decisions_on_draft_items_are_not_listed(
    client, log_page, closed_consultation, make_item, make_decision
):
    page = closed_consultation
    draft = make_item(consultation=page, evidence=evidence(page, "first-place", "school"), publish=False)
    decision = make_decision([draft], summary="Only about a draft.")
    assert list(services.latest_decisions()) == []
    assert "Only about a draft." not in client.get(f"{log_page.url}feed/").content.decode()
    assert client.get(f"{log_page.url}decisions/{decision.pk}/").status_code == 404


def test_a_long_consultation_title_still_makes_a_valid_email_subject(
    log_page, make_consultation, make_item, make_decision
):
    now = timezone.now()
    page = make_consultation(
        title="A" * 250, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2)
    )
    decision = make_decision([make_item(consultation=page, evidence=evidence(page, "first-place", "school"))])
    subject = OutcomeNotice.objects.get(decision=decision).campaign.email_subject
    assert subject.startswith("You said, we did: AAA") and len(subject) == 150


def test_if_telling_parents_fails_the_dashboard_offers_to_try_again(
    monkeypatch, client, staff_login, item, make_decision
):
    def fail(campaign, user=None):
        raise CampaignError("The provider is down")

    monkeypatch.setattr(services.messaging, "start_campaign", fail)  # fault injection
    decision = make_decision([item])
    assert decision.live and not OutcomeNotice.objects.exists()
    assert list(services.untold_decisions()) == [decision]
    monkeypatch.undo()
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_dashboard")).content.decode()
    assert "Published, parents not told yet" in html and "Tell parents now" in html
    client.post(reverse("feedback_tell", args=[decision.pk]))
    assert OutcomeNotice.objects.filter(decision=decision, status="agreed").exists()
    assert list(services.untold_decisions()) == []


def test_two_items_on_one_point_both_link_their_decisions(
    log_page, make_forum, make_event, make_item, make_decision
):
    forum = make_forum("Dover forum", district="Dover")
    event = make_event(
        forum, "Meeting", days=-3, parents_said=[("said", {"text": "Evening meetings please"})]
    )
    point = event.parents_said[0].id
    first = make_decision([make_item(event=event, point_id=point)], summary="First")
    second = make_decision([make_item(event=event, point_id=point, summary="Same point")], summary="Second")
    outcomes = services.point_outcomes([{"event": event}])
    assert sorted(d.pk for d in outcomes[(event.pk, point)]) == [first.pk, second.pk]


def test_briefings_hide_small_totals(client, staff_login, closed_consultation, answer, make_item):
    page = closed_consultation
    for _ in range(3):
        answer(page, first_place="school")
    make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    staff_login(CONSULTATION_OFFICERS)
    html = client.get(reverse("feedback_briefing", args=[page.pk])).content.decode()
    assert "<strong>fewer than 5</strong> responses" in html
    assert ">3<" not in html
    assert FeedbackItem.objects.get().response_count == 3
