"""District, theme and board reports: what each holds, small numbers and held quotes, who may see them,
the PDF task and its email, the board report command, and a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback_loop import services
from feedback_loop.models import Report
from parentvoice.accounts import roles
from parentvoice.models import District
from surveys import services as surveys
from surveys.choices import ResponseChannel
from tests.factories import ActionFactory, CaseFactory, PriorityFactory, ProgressReportFactory, ReportFactory
from tests.feedback_loop.conftest import evidence, question

TODAY = timezone.localdate()
PERIOD = {"period_start": TODAY - timedelta(days=60), "period_end": TODAY}


@pytest.fixture
def districts(db):
    dover, _ = District.objects.get_or_create(
        name="Dover", defaults={"slug": "dover", "ons_code": "E07000108"}
    )
    thanet, _ = District.objects.get_or_create(
        name="Thanet", defaults={"slug": "thanet", "ons_code": "E07000114"}
    )
    return dover, thanet


@pytest.fixture
def meeting(make_forum, make_event, districts):
    def make(district_name, title="Meeting"):
        forum = make_forum(f"{district_name} parent forum", district=district_name)
        return make_event(forum, title, days=-5, parents_said=[("said", {"text": "Evening meetings please"})])

    return make


def respond(page, district, first_place, n):
    for _ in range(n):
        surveys.submit_response(
            page,
            {question(page, "first-place").id: first_place},
            channel=ResponseChannel.WEB,
            default_district=district,
        )


def district_report(district, **fields):
    return ReportFactory(kind="district", district=district, **{**PERIOD, **fields})


# --- Content ------------------------------------------------------------------------------------


def test_district_report_holds_only_that_district_and_marks_county_wide_actions(
    districts, meeting, make_item, make_decision
):
    dover, thanet = districts
    dover_event, thanet_event = meeting("Dover"), meeting("Thanet")
    ours = make_item(
        summary="Dover parents want evening meetings.",
        event=dover_event,
        point_id=dover_event.parents_said[0].id,
    )
    make_decision([ours], summary="Dover forum meets in the evening.", due_on=TODAY - timedelta(days=2))
    make_item(
        summary="Thanet parents want a creche.", event=thanet_event, point_id=thanet_event.parents_said[0].id
    )
    local = ActionFactory(text="Dover family hub opens.", districts=[dover])
    ActionFactory(text="Thanet family hub opens.", districts=[thanet])
    county = ActionFactory(text="A county-wide parenting offer.")
    ProgressReportFactory(action=local, status="amber", commentary="Building work is late.")

    context = services.report_context(district_report(dover))

    assert [item.summary for item in context["items"]] == ["Dover parents want evening meetings."]
    rows = {row.status.action.pk: row.county_wide for row in context["actions"]}
    assert rows == {local.pk: False, county.pk: True}
    assert [d.summary for d in context["decisions_due"]] == ["Dover forum meets in the evening."]
    assert context["decisions_due"][0].overdue
    html = services.report_html(district_report(dover), for_pdf=True)
    assert "Dover parents want evening meetings." in html
    assert "Thanet" not in html
    assert "County-wide" in html and "Amber: at risk" in html and "Building work is late." in html


def test_district_results_hide_small_numbers_and_count_only_that_district(districts, make_consultation):
    dover, thanet = districts
    page = make_consultation(
        opens_at=timezone.now() - timedelta(days=20), closes_at=timezone.now() - timedelta(days=2)
    )
    respond(page, dover, "school", 6)
    respond(page, dover, "online", 1)
    respond(page, thanet, "health", 9)

    [entry] = services.report_context(district_report(dover))["consultations"]

    assert entry["responses"] == 7
    [first_place] = [q for q in entry["questions"] if q["label"].startswith("Where do you go first")]
    shown = {row["label"]: row["display"] for row in first_place["rows"]}
    assert shown["The internet or social media"] == "fewer than 5"
    assert shown["My child's school or nursery"] == "not shown"  # it would give the 1 away
    assert shown["A health visitor, GP or midwife"] == "0 (0%)"  # Thanet's 9 are not counted here


def test_a_district_with_fewer_than_5_responses_shows_no_results(districts, make_consultation):
    dover, _ = districts
    page = make_consultation(
        opens_at=timezone.now() - timedelta(days=20), closes_at=timezone.now() - timedelta(days=2)
    )
    respond(page, dover, "school", 3)

    [entry] = services.report_context(district_report(dover))["consultations"]

    assert entry["responses"] == "fewer than 5" and entry["too_few"] and entry["questions"] == []


def test_held_and_unapproved_quotes_never_appear(districts, meeting, make_item, theme):
    dover, _ = districts
    event = meeting("Dover")
    item = make_item(
        event=event,
        point_id=event.parents_said[0].id,
        districts=[dover],
        quotes=[
            ("Evenings are easier for working parents.", True),
            ("Held words here.", True),
            ("Not approved yet.", False),
        ],
    )
    held = item.quotes.get(text="Held words here.")
    CaseFactory(source_kind="feedback_loop.quote", source_id=held.pk)

    for report in (district_report(dover), ReportFactory(kind="theme", theme=theme, **PERIOD)):
        html = services.report_html(report, for_pdf=True)
        assert "Evenings are easier for working parents." in html
        assert "Held words here." not in html
        assert "Not approved yet." not in html


def test_theme_report_holds_its_items_their_consultation_and_linked_actions(
    closed_consultation, answer, make_item, make_decision, theme
):
    from feedback_loop.models import Theme

    other = Theme.objects.create(name="Childcare", slug="childcare")
    linked = ActionFactory(text="Text parents what is on.")
    ActionFactory(text="Something else entirely.")
    answer(closed_consultation, first_place="online")
    item = make_item(
        consultation=closed_consultation, evidence=evidence(closed_consultation, "first-place", "online")
    )
    decision = make_decision([item])
    decision.actions.add(linked)
    decision.save()  # a cluster's relations are written on save
    make_item(
        summary="Childcare costs too much.",
        theme=other,
        consultation=closed_consultation,
        evidence=evidence(closed_consultation, "first-place", "school"),
    )

    context = services.report_context(ReportFactory(kind="theme", theme=theme, **PERIOD))

    assert [i.pk for i in context["items"]] == [item.pk]
    assert [page.pk for page in context["consultations"]] == [closed_consultation.pk]
    assert context["consultations"][0].responses_shown == "fewer than 5"
    assert [row.status.action.pk for row in context["actions"]] == [linked.pk]


def test_board_report_shows_exceptions_overdue_reports_and_decisions_since_the_last_board_report(
    closed_consultation, answer, make_item, make_decision
):
    red = ActionFactory(text="Open more family hubs.")
    ProgressReportFactory(action=red, status="red", commentary="No building found.")
    late = ActionFactory(text="Train staff.", starts_on=TODAY - timedelta(days=200))
    answer(closed_consultation, first_place="online")
    item = make_item(
        consultation=closed_consultation, evidence=evidence(closed_consultation, "first-place", "online")
    )
    old = make_decision([item], summary="An old decision.")
    from feedback_loop.models import Decision

    Decision.objects.filter(pk=old.pk).update(last_published_at=timezone.now() - timedelta(days=40))
    make_decision([item], summary="A new decision.", due_on=TODAY - timedelta(days=1))
    ReportFactory(
        status="ready", period_start=TODAY - timedelta(days=120), period_end=TODAY - timedelta(days=30)
    )

    context = services.board_report_context(ReportFactory(**PERIOD))

    assert [s.action.pk for s in context["exceptions"]] == [red.pk]
    assert late.pk in [s.action.pk for s in context["overdue_reports"]]
    assert context["since_last_report"] and context["since"] == TODAY - timedelta(days=29)
    assert [d.summary for d in context["decisions"]] == ["A new decision."]
    assert [d.summary for d in context["overdue_decisions"]] == ["A new decision."]
    html = services.report_html(ReportFactory(**PERIOD), for_pdf=True)
    assert "No building found." in html and "Red: off track" in html


def test_last_full_quarter():
    assert services.last_full_quarter(date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert services.last_full_quarter(date(2026, 3, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert services.last_full_quarter(date(2026, 12, 15)) == (date(2026, 7, 1), date(2026, 9, 30))


# --- Queries ----------------------------------------------------------------------------------


def _grow(n, dover, meeting, make_item, make_decision, theme, closed_consultation):
    for i in range(n):
        priority = PriorityFactory()
        action = ActionFactory(priority=priority, districts=[dover] if i % 2 else [])
        ProgressReportFactory(action=action, status="amber", commentary="Late.")
        item = make_item(
            summary=f"Point {i}",
            districts=[dover],
            consultation=closed_consultation,
            evidence=evidence(closed_consultation, "first-place", "online"),
            quotes=[(f"Quote {i}", True)],
        )
        decision = make_decision([item], summary=f"Decision {i}", due_on=TODAY - timedelta(days=1))
        decision.actions.add(action)
        decision.save()
    respond(closed_consultation, dover, "school", 3)


@pytest.mark.parametrize("kind", ["board", "district", "theme"])
def test_report_context_takes_a_fixed_number_of_queries(
    kind, districts, meeting, make_item, make_decision, theme, closed_consultation, django_assert_num_queries
):
    dover, _ = districts
    args = (dover, meeting, make_item, make_decision, theme, closed_consultation)
    subject = {"district": {"district": dover}, "theme": {"theme": theme}}.get(kind, {})
    report = ReportFactory(kind=kind, **subject, **PERIOD)
    _grow(1, *args)
    with CaptureQueriesContext(connection) as few:
        services.report_html(report, for_pdf=True)
    _grow(4, *args)
    with django_assert_num_queries(len(few.captured_queries)):
        html = services.report_html(report, for_pdf=True)
    assert "Decision 3" in html


# --- The admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [roles.FORUM_COORDINATORS, roles.ACTION_LEADS])
def test_coordinators_and_action_leads_may_not_see_reports(client, staff_login, group):
    staff_login(group)
    report = ReportFactory(status="ready", pdf=b"%PDF-1.7 secret")
    for url in (
        reverse("feedback_reports"),
        reverse("feedback_report_create"),
        reverse("feedback_report", args=[report.pk]),
        reverse("feedback_report_pdf", args=[report.pk]),
    ):
        response = client.get(url)
        # Wagtail turns the refusal into a redirect to the dashboard with "Sorry, you do not have permission".
        assert response.status_code == 302 and b"PDF" not in response.content, url
    assert client.post(reverse("feedback_report_retry", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == "ready"


def test_decision_makers_see_reports_and_download_the_pdf(client, staff_login):
    staff_login(roles.DECISION_MAKERS)
    report = ReportFactory(status="ready", pdf=b"%PDF-1.7 made")
    listing = client.get(reverse("feedback_reports"))
    assert listing.status_code == 200 and "Board report" in listing.text and "Ready" in listing.text
    assert reverse("feedback_report_create") in listing.text  # decision makers may ask for one too
    page = client.get(reverse("feedback_report", args=[report.pk]))
    assert page.status_code == 200 and "Download PDF" in page.text
    pdf = client.get(reverse("feedback_report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 made"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert "no-store" in pdf["Cache-Control"]
    assert client.get(reverse("feedback_report_create")).status_code == 200


def test_a_pdf_not_ready_is_not_served(client, staff_login):
    staff_login(roles.CONSULTATION_OFFICERS)
    report = ReportFactory()
    assert client.get(reverse("feedback_report_pdf", args=[report.pk])).status_code == 404
    assert "being made" in client.get(reverse("feedback_report", args=[report.pk])).text


def test_an_officer_makes_a_district_report_and_bad_input_is_explained(
    client, staff_login, districts, django_capture_on_commit_callbacks
):
    officer = staff_login(roles.CONSULTATION_OFFICERS)
    url = reverse("feedback_report_create")
    form = client.get(url)
    start, end = services.last_full_quarter()
    assert form.status_code == 200 and start.isoformat() in form.text and end.isoformat() in form.text

    missing = client.post(url, {"kind": "district", "period_start": "2026-01-01", "period_end": "2025-12-01"})
    assert missing.status_code == 200
    assert "Choose the district the report is about." in missing.text
    assert "The end of the period must be on or after its start." in missing.text
    assert not Report.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            url,
            {
                "kind": "district",
                "district": districts[0].pk,
                "period_start": "2025-10-01",
                "period_end": "2025-12-31",
            },
        )
    report = Report.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("feedback_report", args=[report.pk])
    assert (report.kind, report.district, report.requested_by, report.status) == (
        "district",
        districts[0],
        officer,
        "queued",
    )
    queued = DBTaskResult.objects.filter(task_path="feedback_loop.tasks.build_report_pdf")
    assert [result.args_kwargs["args"] for result in queued] == [[report.pk]]  # the PDF task is queued


# --- The PDF task -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_task_makes_the_pdf_and_emails_a_link_without_figures(run_tasks, make_user):
    officer = make_user(email="officer@example.org", groups=[roles.CONSULTATION_OFFICERS])
    make_user(email="board@example.org", groups=[roles.DECISION_MAKERS])
    make_user(email="coordinator@example.org", groups=[roles.FORUM_COORDINATORS])
    make_user(email="gone@example.org", groups=[roles.DECISION_MAKERS], is_active=False)
    action = ActionFactory(text="Open more family hubs.")
    ProgressReportFactory(action=action, status="red", commentary="No building found.")

    report = services.create_report(kind="board", user=officer, **PERIOD)
    assert "FAILED" not in run_tasks()

    report.refresh_from_db()
    assert report.status == "ready" and bytes(report.pdf).startswith(b"%PDF") and report.finished_at
    assert sorted(m.to[0] for m in mail.outbox) == ["board@example.org", "officer@example.org"]
    body = mail.outbox[0].body
    assert services.report_url(report) in body
    assert "No building found" not in body and "Red" not in body and "officer" not in body


def test_a_failure_is_recorded_and_can_be_queued_again(db, monkeypatch, django_capture_on_commit_callbacks):
    import weasyprint

    report = ReportFactory(**PERIOD)

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    assert services.build_report(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == "failed" and "fonts missing" in report.error and not report.pdf
    assert not mail.outbox
    assert services.build_report(report.pk) is None  # only a queued report is made

    monkeypatch.undo()
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.retry_report(report)
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert (report.status, report.error) == ("queued", "")
    assert services.build_report(report.pk) == "ready"
    assert not services.retry_report(report)


def test_an_officer_retries_a_failed_report_from_its_page(client, staff_login):
    staff_login(roles.CONSULTATION_OFFICERS)
    report = ReportFactory(status="failed", error="boom")
    page = client.get(reverse("feedback_report", args=[report.pk]))
    assert "Try making the PDF again" in page.text and "boom" not in page.text
    client.post(reverse("feedback_report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "queued"


# --- The board report command -------------------------------------------------------------------


def test_make_board_report_is_idempotent(db):
    start, end = services.last_full_quarter()
    call_command("make_board_report")
    call_command("make_board_report")
    report = Report.objects.get()
    assert (report.kind, report.period_start, report.period_end) == ("board", start, end)

    Report.objects.update(status="failed")
    call_command("make_board_report", "--period-start", start.isoformat(), "--period-end", end.isoformat())
    assert Report.objects.count() == 2  # a failed one does not count


def test_make_board_report_rejects_half_a_period(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("make_board_report", "--period-start", "2026-01-01")
