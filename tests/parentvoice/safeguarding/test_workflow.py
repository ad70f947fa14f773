"""Screening opens one case; transitions in workflow.py; emails to leads only, never with the text;
escalation once, by working days."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from parentvoice.accounts.roles import (
    CONSULTATION_OFFICERS,
    DECISION_MAKERS,
    FORUM_COORDINATORS,
    SAFEGUARDING_LEADS,
)
from parentvoice.safeguarding import services, workflow
from parentvoice.safeguarding.choices import CaseActionKind, CaseOutcome, CaseStatus, FlaggedBy
from parentvoice.safeguarding.models import Case, CaseLogEntry, ConcernTerm

from .conftest import KIND

UK = ZoneInfo("Europe/London")
DISCLOSURE = "My dad hits me when he is angry. Call me on 07700 900123"


@pytest.fixture
def staff(make_user):
    return {
        "lead": make_user(email="lead@example.org", groups=[SAFEGUARDING_LEADS]),
        "officer": make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS]),
        "coordinator": make_user(email="coordinator@example.org", groups=[FORUM_COORDINATORS]),
        "maker": make_user(email="maker@example.org", groups=[DECISION_MAKERS]),
    }


@pytest.fixture
def term(db):
    ConcernTerm.objects.update_or_create(phrase="hits me", defaults={"match": "phrase", "active": True})


# --- Screening --------------------------------------------------------------------------------


def test_screening_opens_exactly_one_case(source, term, django_capture_on_commit_callbacks):
    source[1] = DISCLOSURE
    with django_capture_on_commit_callbacks():
        case = services.screen(KIND, 1)
        assert services.screen(KIND, 1) is None  # run twice
    assert Case.objects.filter(source_kind=KIND, source_id=1).count() == 1
    assert case.flagged_by == FlaggedBy.SCREEN
    assert case.matched_terms == ["hits me"]
    assert case.status == CaseStatus.NEW
    assert case.due_at == workflow.review_due_at(case.opened_at)
    assert services.is_held(KIND, 1)


def test_a_harmless_text_or_an_inactive_term_opens_nothing(source, term):
    source[1] = "The sessions were helpful"
    source[2] = DISCLOSURE
    ConcernTerm.objects.filter(phrase="hits me").update(active=False)
    assert services.screen(KIND, 1) is None
    assert services.screen(KIND, 2) is None
    assert services.screen(KIND, 3) is None  # gone
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_screen_in_a_task_opens_a_case_and_emails_only_the_leads_without_the_text(source, staff, run_tasks):
    ConcernTerm.objects.update_or_create(phrase="hits me", defaults={"match": "phrase", "active": True})
    source[7] = DISCLOSURE
    services.screen_in_a_task(KIND, 7)
    run_tasks()
    case = Case.objects.get(source_kind=KIND, source_id=7)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lead@example.org"]
    assert email.subject == "A new safeguarding case to review"
    assert f"Case {case.pk}" in email.body
    assert f"http://testserver/admin/safeguarding/cases/{case.pk}/" in email.body
    for secret in ("hits", "dad", "07700", "angry", "Support for parents"):
        assert secret not in email.body and secret not in email.subject


def test_no_leads_emails_the_active_superusers(make_user, make_case):
    make_user(email="root@example.org", is_superuser=True, is_staff=True)
    make_user(email="gone@example.org", is_superuser=True, is_active=False)
    make_user(email="officer@example.org", groups=[CONSULTATION_OFFICERS])
    case = make_case()
    assert workflow.send_case_opened_email(case.pk) == 1
    assert mail.outbox[0].to == ["root@example.org"]


def test_inactive_leads_are_not_emailed(make_user, make_case):
    make_user(email="lead@example.org", groups=[SAFEGUARDING_LEADS])
    make_user(email="left@example.org", groups=[SAFEGUARDING_LEADS], is_active=False)
    make_user(email="root@example.org", is_superuser=True)
    workflow.send_case_opened_email(make_case().pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.org"]


def test_opening_a_case_enqueues_the_email_after_commit(source, term, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    source[1] = DISCLOSURE
    with django_capture_on_commit_callbacks(execute=True):
        services.screen(KIND, 1)
    names = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert any(name.endswith("email_case_opened") for name in names)


# --- Transitions ------------------------------------------------------------------------------


def test_first_action_marks_the_case_reviewed(make_case, staff):
    case = make_case()
    action = workflow.record_action(case, CaseActionKind.CONTACTED_PARENT, staff["lead"], note="Rang mum")
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWING
    first = case.reviewed_at
    assert first is not None and action.by == staff["lead"]
    workflow.record_action(case, CaseActionKind.NOTE, staff["lead"], note="Later")
    case.refresh_from_db()
    assert case.reviewed_at == first
    assert list(case.actions.values_list("kind", flat=True)) == ["contacted_parent", "note"]


@pytest.mark.parametrize("outcome", CaseOutcome.values)
def test_close_releases_only_with_no_concern(make_case, staff, outcome):
    case = make_case()
    workflow.close_case(case, outcome, staff["lead"], note="done")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == outcome
    assert case.released is (outcome == CaseOutcome.NO_CONCERN)
    assert case.closed_by == staff["lead"] and case.closed_at and case.reviewed_at
    assert services.is_held(KIND, case.source_id) is (outcome != CaseOutcome.NO_CONCERN)
    last = case.actions.last()
    assert (last.kind, last.outcome) == (CaseActionKind.CLOSED, outcome)


def test_reopen_holds_the_text_again(make_case, staff):
    case = make_case()
    workflow.close_case(case, CaseOutcome.NO_CONCERN, staff["lead"])
    workflow.reopen(case, staff["lead"], note="Second look")
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWING and not case.released and case.outcome == ""
    assert case.actions.last().kind == CaseActionKind.REOPENED
    assert services.is_held(KIND, case.source_id)


def test_invalid_moves_raise(make_case, staff):
    lead = staff["lead"]
    case = make_case()
    with pytest.raises(ValueError, match="reopen"):
        workflow.reopen(case, lead)  # not closed
    for kind in (CaseActionKind.CLOSED, CaseActionKind.REOPENED, "nonsense"):
        with pytest.raises(ValueError):
            workflow.record_action(case, kind, lead)
    for outcome in ("", None, "maybe"):
        with pytest.raises(ValueError, match="outcome"):
            workflow.close_case(case, outcome, lead)
    workflow.close_case(case, CaseOutcome.REFERRED, lead)
    with pytest.raises(ValueError, match="closed"):
        workflow.close_case(case, CaseOutcome.NO_CONCERN, lead)
    for kind in (*workflow.REVIEW_KINDS, CaseActionKind.NOTE):
        with pytest.raises(ValueError, match="closed"):
            workflow.record_action(case, kind, lead)
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.REFERRED and not case.released


def test_a_stale_instance_cannot_close_twice(make_case, staff):
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    workflow.close_case(case, CaseOutcome.REFERRED, staff["lead"])
    with pytest.raises(ValueError):
        workflow.close_case(stale, CaseOutcome.NO_CONCERN, staff["lead"])
    case.refresh_from_db()
    assert not case.released


def test_log_entries_never_hold_the_text_or_notes(make_case, staff):
    case = make_case(text=DISCLOSURE)
    lead = staff["lead"]
    workflow.record_action(case, CaseActionKind.REFERRED, lead, note="Spoke to MASH about dad")
    workflow.close_case(case, CaseOutcome.REFERRED, lead, note="MASH ref 123")
    workflow.reopen(case, lead, note="more from dad")
    entries = CaseLogEntry.objects.filter(case_id=case.pk)
    assert sorted(entries.values_list("action", flat=True)) == [
        "safeguarding.action",
        "safeguarding.closed",
        "safeguarding.reopened",
    ]
    for entry in entries:
        dumped = f"{entry.label} {entry.data}"
        for secret in ("dad", "hits", "07700", "MASH ref", "Spoke"):
            assert secret not in dumped
        assert entry.user == lead


def test_flag_by_hand_reopens_a_released_case(source, make_case, staff):
    source[5] = DISCLOSURE
    case = make_case(source_id=5)
    workflow.close_case(case, CaseOutcome.NO_CONCERN, staff["lead"])
    assert services.flag_by_hand(KIND, 5, staff["officer"], "Look again").pk == case.pk
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWING and not case.released


# --- Escalation -------------------------------------------------------------------------------


def uk(*args):
    return datetime(*args, tzinfo=UK)


def test_a_friday_afternoon_case_escalates_after_monday_afternoon(make_case, staff, settings):
    settings.SAFEGUARDING_ESCALATION_EMAILS = "duty@example.org, manager@example.org"
    case = make_case(opened_at=uk(2026, 12, 4, 15, 0))  # Friday 3pm
    assert case.due_at == uk(2026, 12, 7, 15, 0)
    assert workflow.escalate_overdue(now=uk(2026, 12, 5, 12, 0)) == 0  # Saturday
    assert workflow.escalate_overdue(now=uk(2026, 12, 7, 9, 0)) == 0  # Monday morning
    assert not mail.outbox
    assert workflow.escalate_overdue(now=uk(2026, 12, 7, 15, 1)) == 1
    assert workflow.escalate_overdue(now=uk(2026, 12, 7, 15, 30)) == 0  # once only
    assert workflow.escalate_overdue(now=uk(2026, 12, 9, 9, 0)) == 0
    case.refresh_from_db()
    assert case.escalated_at == uk(2026, 12, 7, 15, 1)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "duty@example.org",
        "lead@example.org",
        "manager@example.org",
    ]
    for email in mail.outbox:
        assert email.subject == "A safeguarding case is overdue"
        assert f"/admin/safeguarding/cases/{case.pk}/" in email.body
        assert "hits" not in email.body and "dad" not in email.body
    assert CaseLogEntry.objects.filter(case_id=case.pk, action="safeguarding.escalated").count() == 1


def test_bank_holidays_are_honoured(make_case, staff):
    case = make_case(opened_at=uk(2026, 12, 24, 16, 0))  # Christmas Eve
    assert workflow.escalate_overdue(now=uk(2026, 12, 28, 17, 0)) == 0  # Boxing Day substitute
    assert workflow.escalate_overdue(now=uk(2026, 12, 29, 15, 59)) == 0
    assert workflow.escalate_overdue(now=uk(2026, 12, 29, 16, 1)) == 1
    case.refresh_from_db()
    assert case.escalated_at is not None


def test_a_reviewed_or_closed_case_is_not_escalated(make_case, staff):
    reviewed, closed = (
        make_case(opened_at=uk(2026, 12, 1, 10, 0)),
        make_case(opened_at=uk(2026, 12, 1, 10, 0)),
    )
    workflow.record_action(reviewed, CaseActionKind.NOTE, staff["lead"])
    workflow.close_case(closed, CaseOutcome.NO_CONCERN, staff["lead"])
    assert workflow.escalate_overdue(now=uk(2026, 12, 10, 10, 0)) == 0


def test_the_command_prints_how_many(make_case, staff, capsys):
    make_case(opened_at=uk(2020, 1, 6, 10, 0))
    call_command("escalate_safeguarding_cases")
    assert "Escalated 1 case." in capsys.readouterr().out
    call_command("escalate_safeguarding_cases")
    assert "Escalated 0 cases." in capsys.readouterr().out
