"""The action plan's rules, in the services: who may report, what a report needs, complete is final,
when a report is due, which decisions are overdue, and what the admin's odd input does."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from feedback_loop import services
from feedback_loop.choices import RagStatus, check_rag_transition
from feedback_loop.models import Action, ProgressReport
from parentvoice.accounts.roles import ACTION_LEADS, CONSULTATION_OFFICERS, DECISION_MAKERS
from tests.factories import ActionFactory, ProgressReportFactory

from .conftest import evidence

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def lead(make_user):
    return make_user(email="lead@example.org", groups=[ACTION_LEADS])


@pytest.fixture
def officer(make_user):
    return make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])


def _annotated(action):
    return services.actions_with_status(Action.objects.filter(pk=action.pk)).get()


# --- Who may report ------------------------------------------------------------------------------


def test_a_lead_reports_only_on_the_actions_they_lead(lead, make_user):
    other_lead = make_user(email="other@example.org", groups=[ACTION_LEADS])
    mine = ActionFactory(lead_users=[lead])
    theirs = ActionFactory(lead_users=[other_lead])
    assert services.can_report_on(lead, mine)
    assert not services.can_report_on(lead, theirs)
    assert list(services.reportable_actions(lead)) == [mine]
    with pytest.raises(PermissionDenied):
        services.report_progress(theirs, lead, status=RagStatus.GREEN)
    assert not ProgressReport.objects.exists()
    services.report_progress(mine, lead, status=RagStatus.GREEN)
    assert ProgressReport.objects.get().reported_by == lead


def test_an_officer_reports_on_any_action_and_a_decision_maker_on_none(officer, make_user):
    decision_maker = make_user(email="dm@example.org", groups=[DECISION_MAKERS])
    action = ActionFactory()
    assert services.can_report_on(officer, action)
    assert services.reportable_actions(officer).count() == 1
    assert not services.can_report_on(decision_maker, action)
    assert not services.reportable_actions(decision_maker).exists()
    with pytest.raises(PermissionDenied):
        services.report_progress(action, decision_maker, status=RagStatus.GREEN)


def test_a_lead_whose_login_is_turned_off_cannot_report(lead):
    action = ActionFactory(lead_users=[lead])
    lead.is_active = False
    lead.save()
    assert not services.can_report_on(lead, action)
    assert not services.reportable_actions(lead).exists()


def test_a_lead_left_out_of_the_role_cannot_report_even_when_named(make_user):
    """Being ticked under "Who reports on it" is not enough: the login needs the Action leads role."""
    person = make_user(email="nobody@example.org")
    action = ActionFactory(lead_users=[person])
    assert not services.can_report_on(person, action)


# --- What a report needs -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RagStatus.RED, RagStatus.AMBER])
def test_red_and_amber_need_a_commentary(officer, status):
    action = ActionFactory()
    for blank in ("", "   \n  "):
        with pytest.raises(ValidationError) as error:
            services.report_progress(action, officer, status=status, commentary=blank)
        assert "commentary" in error.value.message_dict
    assert not ProgressReport.objects.exists()
    services.report_progress(action, officer, status=status, commentary="Funding is late.")
    assert ProgressReport.objects.get().status == status


def test_green_and_complete_need_no_commentary(officer):
    action = ActionFactory()
    services.report_progress(action, officer, status=RagStatus.GREEN)
    services.report_progress(action, officer, status=RagStatus.COMPLETE)
    assert ProgressReport.objects.count() == 2


def test_a_report_cannot_be_dated_in_the_future_or_before_the_last_one(officer):
    action = ActionFactory()
    with pytest.raises(ValidationError) as error:
        services.report_progress(
            action, officer, status=RagStatus.GREEN, reported_on=TODAY() + timedelta(days=1)
        )
    assert "reported_on" in error.value.message_dict
    services.report_progress(action, officer, status=RagStatus.GREEN, reported_on=TODAY() - timedelta(days=5))
    with pytest.raises(ValidationError, match="before the last report"):
        services.report_progress(
            action, officer, status=RagStatus.GREEN, reported_on=TODAY() - timedelta(days=6)
        )
    services.report_progress(action, officer, status=RagStatus.AMBER, commentary="Slipping.")
    assert _annotated(action).latest_status == RagStatus.AMBER


def test_a_report_cannot_be_dated_before_the_action_starts_or_over_a_year_back(officer):
    """The date is published: a first report dated in year 1 (or before the work began) is refused."""
    started = ActionFactory(starts_on=TODAY() - timedelta(days=30))
    with pytest.raises(ValidationError, match="the action starts then"):
        services.report_progress(
            started, officer, status=RagStatus.GREEN, reported_on=TODAY() - timedelta(days=31)
        )
    services.report_progress(
        started, officer, status=RagStatus.GREEN, reported_on=TODAY() - timedelta(days=30)
    )
    undated = ActionFactory(starts_on=None)
    with pytest.raises(ValidationError, match="a year at most"):
        services.report_progress(undated, officer, status=RagStatus.GREEN, reported_on=date(1, 1, 1))
    services.report_progress(
        undated, officer, status=RagStatus.GREEN, reported_on=TODAY() - timedelta(days=300)
    )
    assert ProgressReport.objects.count() == 2


def test_an_unknown_status_is_refused(officer):
    with pytest.raises(ValidationError) as error:
        services.report_progress(ActionFactory(), officer, status="purple")
    assert "status" in error.value.message_dict


def test_complete_is_final_until_an_officer_deletes_that_report(officer, lead):
    action = ActionFactory(lead_users=[lead])
    services.report_progress(action, lead, status=RagStatus.GREEN)
    complete = services.report_progress(action, lead, status=RagStatus.COMPLETE)
    for status in RagStatus.values:
        with pytest.raises(ValidationError, match="already complete"):
            services.report_progress(action, lead, status=status, commentary="Oops")
    with pytest.raises(PermissionDenied):
        services.delete_progress_report(complete, lead)
    services.delete_progress_report(complete, officer)
    assert _annotated(action).latest_status == RagStatus.GREEN
    services.report_progress(action, lead, status=RagStatus.AMBER, commentary="Not done after all.")
    actions = set(ModelLogEntry.objects.filter(object_id=str(action.pk)).values_list("action", flat=True))
    assert {"feedback.progress_reported", "feedback.progress_report_deleted"} <= actions


@given(st.lists(st.sampled_from(RagStatus.values), max_size=12))
def test_check_rag_transition_over_any_sequence(statuses):
    """Whatever order reports come in, the sequence is accepted exactly up to the first "complete":
    after it, nothing more is (the status stays complete)."""
    latest = None
    for status in statuses:
        if latest == RagStatus.COMPLETE:
            with pytest.raises(ValidationError):
                check_rag_transition(latest, status)
        else:
            check_rag_transition(latest, status)
            latest = status
    assert latest is None or latest == next(
        (s for s in statuses if s == RagStatus.COMPLETE), statuses[-1] if statuses else None
    )


# --- Odd input -----------------------------------------------------------------------------------


def test_control_and_bidirectional_characters_are_removed_and_nul_refused(officer):
    action = ActionFactory()
    report = services.report_progress(
        action,
        officer,
        status=RagStatus.RED,
        commentary="\u202eFunding\x07 is late.\r\nWe asked again. 👩‍👧 café",
    )
    assert report.commentary == "Funding is late.\nWe asked again. 👩‍👧 café"
    with pytest.raises(ValidationError) as error:
        services.report_progress(action, officer, status=RagStatus.RED, commentary="Late\x00")
    assert "hidden character" in str(error.value.message_dict["commentary"])
    with pytest.raises(ValidationError) as error:
        services.report_progress(action, officer, status=RagStatus.RED, commentary="\x00\x07\u202e")
    assert "hidden character" in str(error.value.message_dict["commentary"])
    assert ProgressReport.objects.count() == 1


def test_a_very_long_commentary_is_refused_clearly(officer):
    with pytest.raises(ValidationError) as error:
        services.report_progress(ActionFactory(), officer, status=RagStatus.RED, commentary="x" * 10_000)
    assert "1500 characters or fewer (it has 10000)" in str(error.value.message_dict["commentary"])
    assert not ProgressReport.objects.exists()


# --- When a report is due ------------------------------------------------------------------------


def test_a_report_is_due_the_configured_months_after_the_last(settings):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 2
    started = TODAY() - timedelta(days=200)
    action = ActionFactory(starts_on=started)
    assert services.report_due_on(_annotated(action)) == started + relativedelta(months=2)
    reported = TODAY() - timedelta(days=10)
    ProgressReportFactory(action=action, reported_on=reported)
    assert services.report_due_on(_annotated(action)) == reported + relativedelta(months=2)
    settings.ACTION_REPORT_INTERVAL_MONTHS = 6
    assert services.report_due_on(_annotated(action)) == reported + relativedelta(months=6)


def test_without_a_start_date_the_interval_runs_from_when_it_was_added(settings):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 3
    action = ActionFactory(starts_on=None)
    added = timezone.localtime(action.created_at).date()
    assert services.report_due_on(_annotated(action)) == added + relativedelta(months=3)


def test_actions_overdue_for_a_report(settings):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 3
    long_ago = TODAY() - relativedelta(months=4)
    never_reported = ActionFactory(starts_on=long_ago)
    stale = ActionFactory(starts_on=long_ago)
    ProgressReportFactory(action=stale, reported_on=long_ago + timedelta(days=5))
    fresh = ActionFactory(starts_on=long_ago)
    ProgressReportFactory(action=fresh, reported_on=TODAY() - timedelta(days=5))
    done = ActionFactory(starts_on=long_ago)
    ProgressReportFactory(action=done, reported_on=long_ago, status=RagStatus.COMPLETE)
    exactly_due = ActionFactory(starts_on=TODAY() - relativedelta(months=3))
    overdue = services.actions_overdue_for_report()
    assert [a.pk for a in overdue] == [never_reported.pk, stale.pk]  # most overdue first
    assert overdue[0].report_due == long_ago + relativedelta(months=3)
    assert overdue[0].status_text == "No report yet"
    assert exactly_due.pk not in [a.pk for a in overdue]  # due today is not yet overdue


# --- Overdue decisions ---------------------------------------------------------------------------


def test_agreed_decisions_past_their_due_date_are_flagged(closed_consultation, make_item, make_decision):
    page = closed_consultation
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    past, future = TODAY() - timedelta(days=1), TODAY() + timedelta(days=1)
    decided = {"decided_on": TODAY() - timedelta(days=30)}
    agreed = make_decision([item], due_on=past, **decided)
    partly = make_decision([item], status="partly_agreed", due_on=past - timedelta(days=3), **decided)
    make_decision([item], status="done", due_on=past, **decided)
    make_decision([item], status="not_agreed", due_on=past, **decided)
    make_decision([item], status="under_consideration", due_on=past, decided_on=None)
    make_decision([item], due_on=past, publish=False, **decided)  # a draft
    make_decision([item], due_on=future, **decided)
    make_decision([item], due_on=TODAY(), **decided)  # due today: not late yet
    make_decision([item], due_on=None, **decided)
    assert list(services.overdue_decisions()) == [partly, agreed]


def test_rag_counts_cover_every_status_in_one_query(django_assert_num_queries):
    ProgressReportFactory(status=RagStatus.RED, commentary="Late")
    ProgressReportFactory(status=RagStatus.GREEN)
    ProgressReportFactory(status=RagStatus.GREEN)
    ActionFactory()
    with django_assert_num_queries(1):
        counts = {row["status"]: row["count"] for row in services.rag_counts()}
    assert counts == {"red": 1, "amber": 0, "green": 2, "complete": 0, "not_reported": 1}
