"""The demo's action plan: Kent's nine priorities word for word, a mix of RAG statuses with reasons,
actions overdue for a report, the demo action lead's actions, decisions and items linked to actions,
one decision past its due date, and the 'How we are doing' page.

Loading the whole demo takes a while, so one test loads it once and checks everything."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from feedback_loop import demo_action_plan, services
from feedback_loop.choices import RAG_NEEDS_COMMENTARY, DecisionStatus, RagStatus
from feedback_loop.kent_action_plan import PRIORITIES
from feedback_loop.models import Action, Decision, FeedbackItem, Priority, ProgressPage, ProgressReport
from feedback_loop.services.action_plan import actions_with_status
from messaging.models import Campaign

pytestmark = pytest.mark.django_db

TEXT_MESSAGES = "Each district will send one text message"


def test_the_demo_action_plan(demo, client):
    check_the_plan_is_word_for_word_with_a_revision_each()
    check_partners_districts_and_dates()
    check_a_mix_of_statuses_with_reasons()
    check_report_histories_follow_the_rules()
    check_some_actions_are_overdue_for_a_report()
    check_the_action_lead_reports_on_their_own_actions()
    check_the_progress_page_is_published_in_the_menu()
    check_loading_again_changes_nothing()
    # The demo's decisions serve actions:
    check_decisions_and_items_are_linked_and_stay_published(client)
    check_one_agreed_decision_is_past_its_due_date()
    check_linking_a_decision_to_actions_tells_nobody_again()


def check_the_plan_is_word_for_word_with_a_revision_each():
    assert Priority.objects.count() == 9
    assert Action.objects.count() == sum(len(p["actions"]) for p in PRIORITIES) == 78
    for spec in PRIORITIES:
        priority = Priority.objects.get(number=spec["number"])
        assert priority.title == spec["title"]
        assert priority.outcome_lines == spec["outcomes"]
        assert priority.indicator_lines == spec["indicators"]
        assert priority.lead_job_title  # illustrative
        texts = list(priority.actions.order_by("number").values_list("text", flat=True))
        assert texts == spec["actions"]
    assert not Priority.objects.filter(latest_revision__isnull=True).exists()
    assert not Action.objects.filter(latest_revision__isnull=True).exists()
    swale = Action.objects.get(priority__number=2, number=8)
    assert {d.name for d in swale.latest_revision.as_object().districts.all()} == {"Swale"}  # in the revision


def check_partners_districts_and_dates():
    assert [d.name for d in Action.objects.get(priority__number=2, number=8).districts.all()] == ["Swale"]
    assert [d.name for d in Action.objects.get(priority__number=8, number=2).districts.all()] == ["Thanet"]
    assert Action.objects.filter(districts__isnull=False).distinct().count() == 2  # the rest county-wide
    assert Action.objects.get(priority__number=1, number=6).partners == "St Giles Trust"
    assert Action.objects.get(priority__number=8, number=5).partners == "Kent-Can"
    for action in Action.objects.all():
        assert action.starts_on and action.due_on and action.due_on > action.starts_on
        assert (action.due_on.month, action.due_on.day) == (3, 31)  # the end of a plan year


def check_a_mix_of_statuses_with_reasons():
    counts = Counter(action.latest_status for action in actions_with_status())
    assert counts[RagStatus.GREEN] > sum(counts.values()) / 2
    assert counts[RagStatus.AMBER] >= 5 and counts[RagStatus.RED] >= 2 and counts[RagStatus.COMPLETE] >= 3
    assert counts[None] >= 3  # not started, or never reported
    for report in ProgressReport.objects.all():
        if report.status in RAG_NEEDS_COMMENTARY:
            assert report.commentary.strip(), report.action


def check_report_histories_follow_the_rules():
    for action in Action.objects.prefetch_related("reports"):
        reports = sorted(action.reports.all(), key=lambda r: r.reported_on)
        dates = [r.reported_on for r in reports]
        assert len(dates) == len(set(dates))
        assert all(action.starts_on <= day for day in dates)
        # Nothing after "complete": it stays complete.
        assert RagStatus.COMPLETE not in [r.status for r in reports[:-1]]


def check_some_actions_are_overdue_for_a_report():
    overdue = services.actions_overdue_for_report()
    assert len(overdue) >= 5
    keys = {(a.priority.number, a.number) for a in overdue}
    assert (4, 1) in keys  # started long ago, never reported
    assert (9, 6) in keys  # last reported more than a quarter ago
    not_started = Action.objects.get(priority__number=1, number=10)
    assert not_started.starts_on > not_started.created_at.date()
    assert (1, 10) not in keys  # not started yet: no report due


def check_the_action_lead_reports_on_their_own_actions():
    lead = get_user_model().objects.get(email="actionlead@example.org")
    mine = list(services.reportable_actions(lead))
    in_nine = [a for a in mine if a.priority.number == 9]
    assert 3 <= len(in_nine) <= 4 and len(mine) == len(in_nine) + 1
    assert services.can_report_on(lead, in_nine[0])
    assert not services.can_report_on(lead, Action.objects.exclude(lead_users=lead).first())
    overdue = {a.pk for a in services.actions_overdue_for_report()}
    assert any(a.pk in overdue for a in mine)  # something for the lead to do
    assert ProgressReport.objects.filter(action__lead_users=lead, reported_by=lead).exists()


def check_the_progress_page_is_published_in_the_menu():
    page = ProgressPage.objects.get()
    assert page.live and page.show_in_menus and page.slug == "how-we-are-doing"
    assert page.title == "How we are doing"


def check_loading_again_changes_nothing():
    before = (Priority.objects.count(), Action.objects.count(), ProgressReport.objects.count())
    said = []
    home = ProgressPage.objects.get().get_parent().specific
    demo_action_plan.load_action_plan_demo(said.append, home=home, decisions=[], items=[])
    assert said == []
    assert (Priority.objects.count(), Action.objects.count(), ProgressReport.objects.count()) == before
    assert ProgressPage.objects.count() == 1


def check_decisions_and_items_are_linked_and_stay_published(client):
    linked = Decision.objects.filter(actions__isnull=False).distinct()
    assert linked.count() >= 3
    text_messages = Decision.objects.get(summary__startswith=TEXT_MESSAGES)
    assert {a.reference for a in text_messages.actions.all()} == {"9.3", "9.6"}
    for decision in linked:
        assert decision.live and not decision.has_unpublished_changes
        editors_copy = decision.latest_revision.as_object()  # what the editor opens
        assert {a.pk for a in editors_copy.actions.all()} == {a.pk for a in decision.actions.all()}
    assert FeedbackItem.objects.filter(actions__isnull=False, live=True).distinct().count() >= 5
    assert set(services.public_decisions()) >= set(linked)
    assert TEXT_MESSAGES in client.get("/you-said-we-did/").content.decode()


def check_one_agreed_decision_is_past_its_due_date():
    overdue = list(services.overdue_decisions())
    assert [d.summary[: len(TEXT_MESSAGES)] for d in overdue] == [TEXT_MESSAGES]
    assert overdue[0].status == DecisionStatus.AGREED
    assert overdue[0].decided_on <= overdue[0].due_on


def check_linking_a_decision_to_actions_tells_nobody_again():
    decision = Decision.objects.get(summary__startswith=TEXT_MESSAGES)
    campaigns = Campaign.objects.count()
    services.set_status(decision, decision.status, actions=list(Action.objects.filter(priority__number=9)))
    assert Campaign.objects.count() == campaigns
    assert Decision.objects.get(pk=decision.pk).actions.count() == 6
