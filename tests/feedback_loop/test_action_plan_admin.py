"""The action plan in the admin: the Priorities and Actions snippets, "My actions", the report form,
deleting a mistaken report, the dashboard's overdue sections and the home panel."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback_loop.choices import RagStatus
from feedback_loop.models import Decision, ProgressReport
from parentvoice.accounts.roles import ACTION_LEADS, CONSULTATION_OFFICERS, DECISION_MAKERS
from tests.factories import ActionFactory, PriorityFactory, ProgressReportFactory

from .conftest import decision_form, evidence

pytestmark = pytest.mark.django_db

MY_ACTIONS = reverse("action_plan_my_actions")
ACTIONS = reverse("wagtailsnippets_feedback_loop_action:list")
PRIORITIES = reverse("wagtailsnippets_feedback_loop_priority:list")
TODAY = timezone.localdate


def refused(response) -> bool:
    """PermissionDenied: Wagtail's admin turns it into a redirect to the dashboard with a message."""
    if response.status_code == 403:
        return True
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    return (
        response.status_code == 302
        and response["Location"] == "/admin/"
        and any("permission" in note for note in notes)
    )


def report_url(action):
    return reverse("action_plan_report", args=[action.pk])


def post_report(client, action, **fields):
    data = {"status": "green", "commentary": "", "reported_on": TODAY().isoformat(), **fields}
    return client.post(report_url(action), data)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- Permissions ---------------------------------------------------------------------------------


def test_a_lead_reports_on_their_own_action_only(client, staff_login, make_user):
    lead = staff_login(ACTION_LEADS)
    other = make_user(email="other-lead@example.org", groups=[ACTION_LEADS])
    mine = ActionFactory(lead_users=[lead], text="Run parenting courses in every district.")
    theirs = ActionFactory(lead_users=[other], text="Someone else's action.")
    html = client.get(MY_ACTIONS).content.decode()
    assert "Run parenting courses" in html and "Someone else" not in html
    assert refused(client.get(report_url(theirs)))
    assert refused(post_report(client, theirs))
    assert not ProgressReport.objects.exists()
    response = post_report(client, mine)
    assert response.status_code == 302 and response.url == MY_ACTIONS
    banner = client.get(MY_ACTIONS).content.decode()
    assert f"Progress on action {mine.reference} reported: Green: on track." in banner
    assert ProgressReport.objects.get().action == mine


def test_a_lead_cannot_edit_or_list_action_snippets(client, staff_login):
    lead = staff_login(ACTION_LEADS)
    action = ActionFactory(lead_users=[lead])
    assert refused(client.get(reverse("wagtailsnippets_feedback_loop_action:edit", args=[action.pk])))
    assert refused(client.get(ACTIONS))
    assert refused(client.get(reverse("wagtailsnippets_feedback_loop_action:add")))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "My actions" in menu


def test_a_decision_maker_cannot_report(client, staff_login):
    staff_login(DECISION_MAKERS)
    action = ActionFactory()
    assert refused(client.get(MY_ACTIONS))
    assert refused(client.get(report_url(action)))
    assert refused(post_report(client, action))
    assert "My actions" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(ACTIONS).status_code == 200  # they may read the plan


def test_an_officer_reports_on_any_action_and_a_missing_one_is_404(client, staff_login):
    staff_login(CONSULTATION_OFFICERS)
    action = ActionFactory()
    assert client.get(report_url(action)).status_code == 200
    assert post_report(client, action, status="amber", commentary="Venue problems.").status_code == 302
    missing = reverse("action_plan_report", args=[action.pk + 1000])
    assert client.get(missing).status_code == 404
    assert client.post(missing, {"status": "green"}).status_code == 404
    gone = reverse("action_plan_delete_report", args=[99999])
    assert client.get(gone).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    action = ActionFactory()
    for url in (MY_ACTIONS, report_url(action)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    assert client.post(report_url(action), {"status": "green"}).status_code == 302
    assert not ProgressReport.objects.exists()


def test_reporting_needs_the_csrf_token(staff_login):
    lead = staff_login(ACTION_LEADS)
    action = ActionFactory(lead_users=[lead])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(lead)
    response = strict.post(report_url(action), {"status": "green", "reported_on": TODAY().isoformat()})
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


# --- The form ------------------------------------------------------------------------------------


def test_red_without_a_reason_is_refused_with_a_clear_error(client, staff_login):
    lead = staff_login(ACTION_LEADS)
    action = ActionFactory(lead_users=[lead])
    response = post_report(client, action, status="red", commentary="  ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Say what is wrong and what is being done" in html
    assert 'value="red" ' in html and "checked" in html  # their choice is kept
    assert not ProgressReport.objects.exists()


def test_a_future_date_and_a_nonsense_date_are_refused(client, staff_login):
    lead = staff_login(ACTION_LEADS)
    action = ActionFactory(lead_users=[lead])
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    assert "cannot be in the future" in post_report(client, action, reported_on=tomorrow).content.decode()
    html = post_report(client, action, reported_on="31/02/2026").content.decode()
    assert "Enter the date as day, month and year" in html
    assert "Choose red, amber, green or complete" in post_report(client, action, status="").content.decode()
    assert post_report(client, action, status="<script>").status_code == 400
    assert not ProgressReport.objects.exists()
    assert post_report(client, action, reported_on=TODAY().strftime("%d/%m/%Y")).status_code == 302


def test_odd_characters_are_cleaned_nul_and_10k_characters_refused(client, staff_login):
    lead = staff_login(ACTION_LEADS)
    action = ActionFactory(lead_users=[lead])
    response = post_report(client, action, status="red", commentary="x" * 10_000)
    assert response.status_code == 400
    assert "1500 characters or fewer (it has 10000)" in response.content.decode()
    response = post_report(client, action, status="red", commentary="Late\x00 again")
    assert "hidden character" in response.content.decode()
    assert not ProgressReport.objects.exists()
    post_report(client, action, status="red", commentary="\u202eLate\x1b again <b>")
    assert ProgressReport.objects.get().commentary == "Late again <b>"
    html = client.get(report_url(action)).content.decode()
    assert "Late again &lt;b&gt;" in html


def test_a_complete_action_shows_no_form_and_an_officer_can_undo_it(client, staff_login, make_user):
    lead = make_user(email="lead@example.org", groups=[ACTION_LEADS])
    action = ActionFactory(lead_users=[lead])
    ProgressReportFactory(action=action, status=RagStatus.GREEN, reported_on=TODAY() - timedelta(days=9))
    complete = ProgressReportFactory(action=action, status=RagStatus.COMPLETE, commentary="")
    TOTP.activate(lead, generate_totp_secret())
    client.force_login(lead)
    html = client.get(report_url(action)).content.decode()
    assert "This action is complete" in html and "Send report" not in html
    assert "Delete" not in html
    assert post_report(client, action).status_code == 400  # the rule holds even without the form
    delete_url = reverse("action_plan_delete_report", args=[complete.pk])
    assert refused(client.get(delete_url))
    assert refused(client.post(delete_url))

    staff_login(CONSULTATION_OFFICERS)
    html = client.get(report_url(action)).content.decode()
    assert delete_url in html
    assert "Yes, delete this report" in client.get(delete_url).content.decode()
    assert ProgressReport.objects.filter(pk=complete.pk).exists()  # GET only asks
    response = client.post(delete_url)
    assert response.status_code == 302 and response.url == report_url(action)
    assert not ProgressReport.objects.filter(pk=complete.pk).exists()
    assert "Send report" in client.get(report_url(action)).content.decode()


def test_each_report_is_in_the_action_history(client, staff_login):
    staff_login(CONSULTATION_OFFICERS)
    action = ActionFactory()
    post_report(client, action, status="amber", commentary="Venue problems.")
    history = reverse("wagtailsnippets_feedback_loop_action:history", args=[action.pk])
    html = client.get(history).content.decode()
    assert "Progress reported: Amber: at risk, dated" in html


# --- Lists and their query counts ----------------------------------------------------------------


def test_the_actions_list_shows_status_in_words_and_filters(client, staff_login, settings):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 3
    staff_login(CONSULTATION_OFFICERS)
    priority = PriorityFactory(number=1, title="Addressing poverty")
    late = ActionFactory(
        priority=priority,
        number=3,
        text="Benefit checks at children's centres.",
        starts_on=TODAY() - relativedelta(months=5),
    )
    red = ActionFactory(priority=priority, number=4, text="Debt advice for parents.")
    ProgressReportFactory(action=red, status=RagStatus.RED, commentary="No adviser yet")
    html = client.get(ACTIONS).content.decode()
    assert "1.3" in html and "Red: off track" in html and "No report yet" in html
    assert "Overdue: due" in html
    red_only = client.get(ACTIONS, {"status": "red"}).content.decode()
    assert "Debt advice" in red_only and "Benefit checks" not in red_only
    unreported = client.get(ACTIONS, {"status": "not_reported"}).content.decode()
    assert "Benefit checks" in unreported and "Debt advice" not in unreported
    by_reference = client.get(ACTIONS, {"q": "1.3"}).content.decode()
    assert "Benefit checks" in by_reference and "Debt advice" not in by_reference
    by_text = client.get(ACTIONS, {"q": "debt"}).content.decode()
    assert "Debt advice" in by_text and "Benefit checks" not in by_text
    assert client.get(ACTIONS, {"status": "nonsense", "priority": "x"}).status_code == 200
    assert reverse("wagtailsnippets_feedback_loop_action:edit", args=[late.pk]) in html
    priorities = client.get(PRIORITIES).content.decode()
    assert "Addressing poverty" in priorities
    assert reverse("wagtailsnippets_feedback_loop_priority:edit", args=[priority.pk]) in priorities


LISTS = [ACTIONS, PRIORITIES, MY_ACTIONS, reverse("feedback_dashboard"), reverse("wagtailadmin_home")]


@pytest.mark.parametrize("url", LISTS)
def test_list_query_counts_do_not_grow(client, staff_login, url, django_assert_num_queries):
    staff_login(CONSULTATION_OFFICERS)
    ActionFactory()
    ProgressReportFactory(status=RagStatus.AMBER, commentary="Late")
    client.get(url)  # warm caches (content types, permissions)
    few = queries(client, url)
    for _ in range(10):
        priority = PriorityFactory()
        action = ActionFactory(priority=priority, starts_on=TODAY() - relativedelta(months=6))
        ProgressReportFactory(
            action=action, status=RagStatus.GREEN, reported_on=TODAY() - relativedelta(months=5)
        )
        ActionFactory(priority=priority)
    with django_assert_num_queries(few):
        client.get(url)


def test_a_lead_s_my_actions_query_count_does_not_grow(client, staff_login, django_assert_num_queries):
    lead = staff_login(ACTION_LEADS)
    ActionFactory(lead_users=[lead])
    client.get(MY_ACTIONS)
    few = queries(client, MY_ACTIONS)
    for _ in range(10):
        action = ActionFactory(lead_users=[lead])
        ProgressReportFactory(action=action, status=RagStatus.RED, commentary="Late")
        ActionFactory()
    with django_assert_num_queries(few):
        assert client.get(MY_ACTIONS).content.decode().count("Report progress<span") == 11


def test_my_actions_marks_overdue_reports_in_words(client, staff_login, settings):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 3
    lead = staff_login(ACTION_LEADS)
    ActionFactory(lead_users=[lead], starts_on=TODAY() - relativedelta(months=4))
    ActionFactory(lead_users=[lead])
    html = client.get(MY_ACTIONS).content.decode()
    assert "1 action is overdue for a report." in html
    assert "<strong>Overdue: due" in html and "Report progress" in html


# --- The dashboard and home panel ----------------------------------------------------------------


def test_the_dashboard_flags_overdue_decisions_and_reports(
    client, staff_login, settings, closed_consultation, make_item, make_decision
):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 3
    page = closed_consultation
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    decided = TODAY() - timedelta(days=60)
    late = make_decision([item], summary="Evening meetings every term.", decided_on=decided, due_on=decided)
    make_decision([item], summary="Already done.", status="done", decided_on=decided, due_on=decided)
    action = ActionFactory(text="Overdue for a report.", starts_on=TODAY() - relativedelta(months=4))
    ProgressReportFactory(status=RagStatus.RED, commentary="Stuck")
    staff_login(CONSULTATION_OFFICERS)
    html = client.get(reverse("feedback_dashboard")).content.decode()
    assert "Decisions past their due date" in html
    assert "Evening meetings every term." in html and "Already done." not in html
    assert reverse("wagtailsnippets_feedback_loop_decision:edit", args=[late.pk]) in html
    assert "Actions overdue for a progress report" in html and "Overdue for a report." in html
    assert report_url(action) in html
    assert "Red: off track</span></th><td>1</td>" in html
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1</strong> agreed decision is past its due date" in home
    assert "1</strong> action in the action plan is overdue for a progress report" in home


def test_decision_makers_see_the_plan_on_the_dashboard_without_report_links(client, staff_login):
    action = ActionFactory(starts_on=TODAY() - relativedelta(months=12))
    staff_login(DECISION_MAKERS)
    html = client.get(reverse("feedback_dashboard")).content.decode()
    assert "Actions overdue for a progress report" in html and report_url(action) not in html


# --- Linking decisions and items to actions ------------------------------------------------------


def test_a_decision_links_to_actions_ticked_under_their_priority(
    client, staff_login, closed_consultation, make_item
):
    page = closed_consultation
    item = make_item(consultation=page, evidence=evidence(page, "first-place", "school"))
    priority = PriorityFactory(number=2, title="Early help")
    action = ActionFactory(priority=priority, number=1, text="Family support workers in schools.")
    for n in range(2, 30):
        ActionFactory(priority=priority, number=n)
    staff_login(CONSULTATION_OFFICERS)
    add = reverse("wagtailsnippets_feedback_loop_decision:add")
    html = client.get(add).content.decode()
    assert "<details" in html and "2. Early help" in html and "2.1 Family support workers" in html
    response = client.post(add, decision_form([item], actions=[action.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert list(decision.actions.all()) == [action]
    edit = client.get(reverse("wagtailsnippets_feedback_loop_decision:edit", args=[decision.pk])).content
    assert "(1 ticked)" in edit.decode()


def test_an_officer_adds_an_action_with_its_lead_and_it_keeps_revisions(client, staff_login, make_user):
    lead = make_user(email="courses-lead@example.org", groups=[ACTION_LEADS])
    make_user(email="board-member@example.org", groups=[DECISION_MAKERS])
    priority = PriorityFactory(number=5, title="Parenting support")
    staff_login(CONSULTATION_OFFICERS)
    add = reverse("wagtailsnippets_feedback_loop_action:add")
    html = client.get(add).content.decode()
    assert "courses-lead@example.org" in html and "board-member@example.org" not in html
    data = {
        "priority": priority.pk,
        "number": 2,
        "text": "Parenting courses in every district.",
        "lead_job_title": "Parenting Strategy Manager",
        "partners": "Children's centres",
        "lead_users": [lead.pk],
        "starts_on": "",
        "due_on": "",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    action = priority.actions.get()
    assert list(action.lead_users.all()) == [lead]
    edit = reverse("wagtailsnippets_feedback_loop_action:edit", args=[action.pk])
    assert client.post(edit, {**data, "text": "Parenting courses everywhere."}).status_code == 302
    assert action.revisions.count() == 2
    history = client.get(reverse("wagtailsnippets_feedback_loop_action:history", args=[action.pk]))
    assert history.status_code == 200
    priority_edit = reverse("wagtailsnippets_feedback_loop_priority:edit", args=[priority.pk])
    response = client.post(
        priority_edit,
        {"number": 5, "title": "Supporting parents", "lead_job_title": "", "outcomes": "", "indicators": ""},
    )
    assert response.status_code == 302
    assert priority.revisions.count() == 1
    TOTP.activate(lead, generate_totp_secret())
    client.force_login(lead)
    assert "Parenting courses everywhere." in client.get(MY_ACTIONS).content.decode()


def test_a_you_said_item_offers_the_actions_grouped_by_priority(client, staff_login):
    ActionFactory(priority=PriorityFactory(number=3, title="Health"), number=7, text="Health visitor checks.")
    staff_login(CONSULTATION_OFFICERS)
    html = client.get(reverse("wagtailsnippets_feedback_loop_feedbackitem:add")).content.decode()
    assert "<details" in html and "3. Health" in html and "3.7 Health visitor checks." in html
