"""The public 'How we are doing' page: the action plan by priority, each action's status in words with
the reason for red and amber, a priority's own page with its report history and the decisions behind
each action, and the decision page's link back to the plan. Nothing personal, a fixed query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback_loop.models import ProgressPage
from feedback_loop.progress_views import plan_totals, summary_line
from feedback_loop.services import priority_summaries
from parentvoice.models import District
from tests.factories import ActionFactory, PriorityFactory, ProgressReportFactory

from .conftest import evidence

pytestmark = pytest.mark.django_db

REPORTER = {"email": "jane.reporter@example.org", "first_name": "Jane", "last_name": "Reporterson"}
RED_REASON = "The venue closed and we are looking for another one."
AMBER_REASON = "Two of the four health visitor posts are vacant."
GREEN_NOTE = "Going to plan: twelve sessions run so far."


@pytest.fixture
def progress_page(home_page):
    page = ProgressPage(title="How we are doing", slug="how-we-are-doing")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return ProgressPage.objects.get(pk=page.pk)


def _days_ago(n):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def plan(make_user):
    """Priority 1 with five actions, one of each status and one never reported; priority 2 empty."""
    reporter = make_user(**REPORTER)
    poverty = PriorityFactory(
        number=1,
        title="Reducing poverty",
        lead_job_title="Head of Early Intervention",
        outcomes="Fewer children in poverty\nMore parents in work",
        indicators="NI 116 Proportion of children in poverty",
    )
    PriorityFactory(number=2, title="Good information for parents")
    red = ActionFactory(priority=poverty, number=1, text="Run money advice sessions in children's centres.")
    amber = ActionFactory(priority=poverty, number=2, text="Health visitors talk to every new parent.")
    green = ActionFactory(priority=poverty, number=3, text="Jobcentre Plus advisers in every centre.")
    done = ActionFactory(priority=poverty, number=4, text="Publish a guide to benefits.")
    ActionFactory(
        priority=poverty, number=5, text="Train staff to spot debt problems.", due_on=_days_ago(-90)
    )
    ProgressReportFactory(
        action=red,
        status="green",
        commentary="Started well.",
        reported_on=_days_ago(40),
        reported_by=reporter,
    )
    ProgressReportFactory(action=red, status="red", commentary=RED_REASON, reported_by=reporter)
    ProgressReportFactory(action=amber, status="amber", commentary=AMBER_REASON, reported_by=reporter)
    ProgressReportFactory(action=green, status="green", commentary=GREEN_NOTE, reported_by=reporter)
    ProgressReportFactory(action=done, status="complete", commentary="", reported_by=reporter)
    return {"priority": poverty, "red": red, "amber": amber, "green": green, "done": done}


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def _priority_url(progress_page, number):
    return progress_page.url + progress_page.reverse_subpage("priority", args=[number])


# --- The plan page ---------------------------------------------------------------------------------


def test_the_plan_page_shows_each_priority_and_action_with_status_in_words(client, progress_page, plan):
    html = _html(client.get(progress_page.url))
    assert progress_page.introduction in html
    for words in ("Red: off track", "Amber: at risk", "Green: on track", "Complete", "No report yet"):
        assert words in html
    assert "Reducing poverty" in html and "Led by Head of Early Intervention" in html
    assert "Priority 2" in html and "Good information for parents" in html
    for reference in ("1.1", "1.2", "1.3", "1.4", "1.5"):
        assert f'<th scope="row" class="govuk-table__header">{reference}</th>' in html
    assert "Run money advice sessions in children&#x27;s centres." in html
    # The summary line and the overall progress are in words, not only a bar.
    assert (
        "1 of 5 actions complete; 1 off track (red), 1 at risk (amber), 1 on track (green), "
        "1 with no report yet. 20% complete." in html
    )
    assert "1 of 5 actions complete: 20% of the plan." in html
    assert '<progress class="govuk-!-margin-bottom-6" max="100" value="20"' in html
    # Tables have captions and headers with scope.
    assert "Actions by status, across all 2 priorities" in html
    assert "Actions under priority 1: Reducing poverty" in html
    assert html.count("<caption") == 2  # the summary and priority 1's actions: priority 2 has none
    # Each priority links to its own page.
    assert f'href="{_priority_url(progress_page, 1)}"' in html
    assert f'href="{_priority_url(progress_page, 2)}"' in html


def test_red_and_amber_show_their_reason_and_green_commentary_is_left_for_the_priority_page(
    client, progress_page, plan
):
    html = _html(client.get(progress_page.url))
    assert RED_REASON in html and AMBER_REASON in html
    assert GREEN_NOTE not in html
    assert "Started well." not in html  # an earlier report: the priority page's history has it


def test_a_green_report_needs_no_commentary(client, progress_page):
    action = ActionFactory(priority=PriorityFactory(number=3, title="Fathers"))
    ProgressReportFactory(action=action, status="green", commentary="")
    html = _html(client.get(progress_page.url))
    assert "Green: on track" in html and "Why:" not in html
    assert "Green: on track" in _html(client.get(_priority_url(progress_page, 3)))


def test_the_plan_totals_count_every_status(plan):
    totals = plan_totals(priority_summaries())
    assert (totals.total, totals.complete, totals.percent_complete) == (5, 1, 20)
    assert [(row.status, row.count, row.percent) for row in totals.rows] == [
        ("red", 1, 20),
        ("amber", 1, 20),
        ("green", 1, 20),
        ("complete", 1, 20),
        ("not_reported", 1, 20),
    ]
    assert [summary_line(s) for s in priority_summaries()][1] == "No actions yet."


def test_an_empty_plan_says_so(client, progress_page):
    html = _html(client.get(progress_page.url))
    assert "The action plan has not been published yet." in html
    assert "<progress" not in html and "The plan at a glance" not in html


def test_an_overdue_update_is_said_in_words(client, progress_page, settings):
    settings.ACTION_REPORT_INTERVAL_MONTHS = 3
    action = ActionFactory(priority=PriorityFactory(number=4, title="Housing"))
    ProgressReportFactory(action=action, status="green", reported_on=_days_ago(200))
    assert "An update was due" in _html(client.get(progress_page.url))
    assert "Overdue: it was due" in _html(client.get(_priority_url(progress_page, 4)))


# --- A priority's page -----------------------------------------------------------------------------


def test_a_priority_page_shows_outcomes_indicators_and_each_actions_history_newest_first(
    client, progress_page, plan
):
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    plan["amber"].districts.set([dover])
    plan["amber"].save()  # a parental relation is saved with its object
    html = _html(client.get(_priority_url(progress_page, 1)))
    assert '<h1 class="govuk-heading-l">Reducing poverty</h1>' in html
    assert "<li>Fewer children in poverty</li>" in html and "<li>More parents in work</li>" in html
    assert "<li>NI 116 Proportion of children in poverty</li>" in html
    for reference in ("1.1", "1.2", "1.3", "1.4", "1.5"):
        assert f"Action {reference}</h3>" in html
    # The full history, newest first, green commentary included (staff write it to be published).
    assert html.index(RED_REASON) < html.index("Started well.")
    assert GREEN_NOTE in html and AMBER_REASON in html
    assert "Dover" in html and "County-wide" in html
    assert "Back to How we are doing" in html


def test_an_unknown_priority_is_not_found(client, progress_page, plan):
    assert client.get(_priority_url(progress_page, 99)).status_code == 404
    assert client.get(progress_page.url + "priorities/abc/").status_code == 404
    assert client.get(progress_page.url + "priorities/-1/").status_code == 404


def test_nobody_who_reported_is_named(client, progress_page, plan):
    for url in (progress_page.url, _priority_url(progress_page, 1)):
        html = _html(client.get(url))
        for words in ("Jane", "Reporterson", "jane.reporter", "example.org"):
            assert words not in html, (url, words)


def test_commentary_is_escaped(client, progress_page):
    action = ActionFactory(priority=PriorityFactory(number=5, title="Safety"))
    ProgressReportFactory(action=action, status="red", commentary="<script>alert(1)</script> late")
    for url in (progress_page.url, _priority_url(progress_page, 5)):
        html = _html(client.get(url))
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; late" in html


# --- Decisions and items behind an action ------------------------------------------------------------


@pytest.fixture
def behind(log_page, closed_consultation, answer, make_item, make_decision, plan):
    page = closed_consultation
    for _ in range(5):
        answer(page, first_place="school")
    item = make_item(
        summary="Parents want advice about money where they already go.",
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        quotes=[("My private worry about my debts.", False)],
    )
    draft_item = make_item(
        summary="A draft item nobody should see.",
        consultation=page,
        evidence=evidence(page, "first-place", "school"),
        publish=False,
    )
    live = make_decision([item], summary="Money advice in every children's centre.")
    draft = make_decision([item], summary="A draft decision nobody should see.", publish=False)
    for obj in (item, draft_item, live, draft):
        obj.actions.add(plan["red"])
        obj.save()  # a parental relation is saved with its object
    return {"item": item, "live": live, "draft": draft}


def test_an_action_links_to_its_published_decisions_and_items_only(client, progress_page, log_page, behind):
    html = _html(client.get(_priority_url(progress_page, 1)))
    assert "Decisions behind this action" in html
    assert f'href="{log_page.decision_url(behind["live"].pk)}"' in html
    assert "Money advice in every children&#x27;s centre." in html
    assert "A draft decision nobody should see." not in html
    assert log_page.decision_url(behind["draft"].pk) not in html
    assert "Parents want advice about money where they already go." in html
    assert "A draft item nobody should see." not in html
    assert "My private worry" not in html  # quotes are never shown here


def test_a_decision_on_a_private_consultation_is_not_linked(client, progress_page, behind):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=behind["item"].consultation, restriction_type="password", password="secret"
    )
    html = _html(client.get(_priority_url(progress_page, 1)))
    assert "Money advice in every children&#x27;s centre." not in html
    assert "Parents want advice about money" not in html


def test_the_decision_page_says_which_action_it_is_part_of(client, progress_page, log_page, behind):
    html = _html(client.get(log_page.decision_url(behind["live"].pk)))
    assert "Part of the action plan" in html
    red = behind["live"].actions.get()
    assert f'href="{_priority_url(progress_page, 1)}#action-{red.pk}"' in html
    assert ">Action 1.1</a>" in html


def test_without_a_progress_page_the_decision_page_names_the_action_without_a_link(client, log_page, behind):
    html = _html(client.get(log_page.decision_url(behind["live"].pk)))
    assert "Part of the action plan" in html and "Action 1.1:" in html
    assert "priorities/1/" not in html


def test_an_unpublished_progress_page_is_not_linked(client, progress_page, log_page, behind):
    progress_page.unpublish()
    html = _html(client.get(log_page.decision_url(behind["live"].pk)))
    assert "priorities/1/" not in html


# --- Queries -------------------------------------------------------------------------------------


def _grow(priorities, actions_each):
    for priority in priorities:
        for _ in range(actions_each):
            action = ActionFactory(priority=priority)
            ProgressReportFactory(action=action, status="amber", commentary="Short of staff.")
            ProgressReportFactory(action=action, status="green", reported_on=_days_ago(100))


def _count(client, url):
    client.get(url)  # the first request fills caches (the site, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_page_takes_a_fixed_number_of_queries(client, progress_page, django_assert_num_queries):
    priorities = [PriorityFactory(number=n) for n in range(1, 10)]
    _grow(priorities, 1)
    baseline = _count(client, progress_page.url)
    _grow(priorities, 6)  # 9 priorities x 7 actions, two reports each
    with django_assert_num_queries(baseline):
        html = _html(client.get(progress_page.url))
    assert html.count("Amber: at risk</strong>") == 63 + 1  # each action, and the plan summary


def test_a_priority_page_takes_a_fixed_number_of_queries(
    client, progress_page, behind, django_assert_num_queries
):
    priority = behind["live"].actions.get().priority
    url = _priority_url(progress_page, priority.number)
    baseline = _count(client, url)
    _grow([priority], 10)
    dover = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    for action in priority.actions.all():
        action.districts.add(dover)
        action.save()
        behind["live"].actions.add(action)
        behind["item"].actions.add(action)
    behind["live"].save()
    behind["item"].save()
    with django_assert_num_queries(baseline):
        html = _html(client.get(url))
    assert html.count("Money advice in every children&#x27;s centre.") == 15


# --- The page in the admin -------------------------------------------------------------------------


def test_an_officer_can_add_the_page_under_the_home_page(client, home_page, staff_login):
    from parentvoice.accounts.roles import CONSULTATION_OFFICERS

    staff_login(CONSULTATION_OFFICERS)
    assert ProgressPage.can_create_at(home_page)
    response = client.get(f"/admin/pages/{home_page.pk}/add_subpage/")
    assert "&#x27;How we are doing&#x27; page" in response.content.decode()
    response = client.get(f"/admin/pages/add/feedback_loop/progresspage/{home_page.pk}/")
    assert response.status_code == 200


def test_a_huge_priority_number_is_not_found_not_an_error(client, progress_page, plan):
    for number in ("32768", "99999999999999999999999"):
        assert client.get(f"{progress_page.url}priorities/{number}/").status_code == 404
