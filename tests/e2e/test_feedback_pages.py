"""'You said, we did' in a real browser: axe on the log, a filtered log, a decision and a closed
consultation's pages (all from the demo), and the filters used by keyboard."""

import pytest
from playwright.sync_api import expect

from tests.e2e import editor

pytestmark = pytest.mark.e2e

CLOSED = "/have-your-say/information-for-parents/"


@pytest.mark.parametrize(
    "path",
    [
        "/you-said-we-did/",
        "/you-said-we-did/?status=not_agreed",
        "/you-said-we-did/?year=1999",  # a value the form does not offer: an error summary
        CLOSED,
        CLOSED + "results/",
        "/parent-fora/dover/",
    ],
)
def test_feedback_pages_have_no_axe_violations(page, site_url, axe_violations, path):
    assert page.goto(site_url + path).status == 200
    count, report = axe_violations(page)
    assert count == 0, report


def test_decision_pages_have_no_axe_violations(page, site_url, axe_violations):
    from feedback_loop.models import Decision

    for decision in Decision.objects.filter(status__in=["not_agreed", "done"]):
        page.goto(f"{site_url}/you-said-we-did/decisions/{decision.pk}/")
        expect(page.locator("h1")).to_have_text(decision.summary)
        count, report = axe_violations(page)
        assert count == 0, report


def test_filtering_the_log_and_following_a_decision(page, site_url):
    page.goto(site_url + "/you-said-we-did/")
    page.get_by_label("What happened").select_option(label="Not agreed")
    page.get_by_label("What happened").press("Tab")
    page.keyboard.press("Tab")  # past the year
    page.get_by_role("button", name="Show").press("Enter")
    main = page.locator("main")
    expect(main).to_contain_text("Parents with nobody to look after the children cannot come to meetings.")
    expect(main).not_to_contain_text("Most parents want to hear about services by text message")
    page.get_by_role("link", name="More about this decision").first.click()
    expect(page.locator("h1")).to_have_text("We will not provide a creche at every forum meeting.")
    expect(main).to_contain_text("There is not enough money this year")


# --- From an empty site: the officer's and decision maker's screens ---------------------------------

from tests.feedback_loop.conftest import (  # noqa: E402, F401 - shared fixtures
    answer,
    closed_consultation,
    log_page,
    make_contact,
    make_item,
    theme,
)
from tests.surveys.conftest import make_consultation  # noqa: E402, F401 - shared fixture


def _sign_in(page, live_server, client, staff_login, group):
    staff_login(group)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def answered(request):
    """A closed consultation on an otherwise empty site (with the log page), answered by Ada, who
    hears by text, and Bea, by email."""
    request.getfixturevalue("log_page")
    consultation = request.getfixturevalue("closed_consultation")
    contact, submit = request.getfixturevalue("make_contact"), request.getfixturevalue("answer")
    submit(consultation, first_place="school", contact=contact("Ada", mobile="+447700900301"))
    submit(consultation, first_place="school", contact=contact("Bea", email="bea@example.org"))
    return consultation


def test_the_answers_to_choose_from_are_grouped_by_question(
    page, live_server, client, staff_login, axe_violations, answered, docs_screenshot
):
    from parentvoice.accounts.roles import CONSULTATION_OFFICERS

    _sign_in(page, live_server, client, staff_login, CONSULTATION_OFFICERS)
    page.goto(f"{live_server.url}/admin/snippets/feedback_loop/feedbackitem/add/?consultation={answered.pk}")
    question = page.get_by_role(
        "group", name="Where do you go first for information about bringing up children?"
    )
    question.get_by_label("My child's school or nursery (2)").check()
    expect(question.get_by_label("Family and friends (0)")).not_to_be_checked()
    question.scroll_into_view_if_needed()
    docs_screenshot(page, "you-said-item-answers-by-question.png")
    count, report = axe_violations(page)
    assert count == 0, report


def test_a_decision_is_published_after_seeing_who_it_tells(
    page, live_server, client, staff_login, axe_violations, answered, request, docs_screenshot
):
    from feedback_loop.models import Decision, OutcomeNotice
    from parentvoice.accounts.roles import DECISION_MAKERS
    from tests.feedback_loop.conftest import evidence

    request.getfixturevalue("make_item")(
        consultation=answered,
        summary="Schools are where parents look first.",
        evidence=evidence(answered, "first-place", "school"),
    )
    _sign_in(page, live_server, client, staff_login, DECISION_MAKERS)
    page.goto(f"{live_server.url}/admin/snippets/feedback_loop/decision/add/")
    page.get_by_label("Schools are where parents look first.").check()
    page.locator("#id_summary").fill("Every school will have a parents' noticeboard.")
    page.locator("#id_status").select_option(label="Agreed")
    page.locator("#id_decided_on").fill(answered.closes_at.strftime("%Y-%m-%d"))
    page.locator("#id_deciding_body").fill("Children's Trust Board")
    page.locator("#id_owner").fill("Head of Early Help")
    editor.more_actions(page)
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", name="This will tell 2 people")).to_be_visible()
    expect(page.locator("main")).to_contain_text("We agreed: Every school will have a parents' noticeboard.")
    docs_screenshot(page, "decision-check-who-this-tells.png", full_page=True)
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_role("button", name="Publish and tell 2 people").click()
    expect(page.locator(".messages")).to_contain_text("being told")
    decision = Decision.objects.get()
    assert decision.live and OutcomeNotice.objects.filter(decision=decision).exists()
