"""'You said, we did' in a real browser: axe on the log, a filtered log, a decision and a closed
consultation's pages (all from the demo), and the filters used by keyboard."""

import pytest
from playwright.sync_api import expect

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
