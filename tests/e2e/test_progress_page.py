"""The public 'How we are doing' page in a real browser, from an empty site: an officer creates the page
under the home page in the admin, adds a priority and an action as snippets and reports the action red
with a reason; the public page shows "Red: off track" and the reason, in words as well as colour, and
both the plan and the priority's page are axe clean and fit a 320px-wide screen."""

import re

import pytest
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS

pytestmark = pytest.mark.e2e

REASON = "The venue closed in March; sessions move to the library from June."
ACTION = "Run money advice sessions in every children's centre."


def _no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.conftest import WCAG_TAGS

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _fits(page, width=320):
    page.set_viewport_size({"width": width, "height": 800})
    page.reload()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at {width}px"


def test_an_officer_builds_the_plan_and_the_public_sees_red_with_its_reason(
    page, live_server, transactional_db, home_page, client, staff_login
):
    from feedback_loop.models import Action, ProgressPage

    site = live_server.url
    staff_login(CONSULTATION_OFFICERS, email="officer@example.org")
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])

    # 1. The page, under the home page of an empty site.
    page.goto(f"{site}/admin/pages/{home_page.pk}/add_subpage/")
    page.get_by_role("link", name="'How we are doing' page", exact=True).click()
    page.locator("#id_title").fill("How we are doing")
    page.locator("#id_title").blur()  # the slug follows the title
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")
    progress = ProgressPage.objects.get()

    # 2. A priority and an action, as snippets.
    page.goto(f"{site}/admin/snippets/feedback_loop/priority/add/")
    page.locator("#id_number").fill("1")
    page.locator("#id_title").fill("Reducing poverty")
    page.locator("#id_lead_job_title").fill("Head of Early Intervention")
    page.locator("#id_outcomes").fill("Fewer children in poverty\nMore parents in work")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("created")

    page.goto(f"{site}/admin/snippets/feedback_loop/action/add/")
    page.locator("[data-contentpath='priority']").get_by_role("button", name=re.compile("Choose")).click()
    page.locator(".modal").get_by_role("link", name=re.compile("Reducing poverty")).click()
    expect(page.locator("[data-contentpath='priority']")).to_contain_text("Reducing poverty")
    page.locator("#id_number").fill("3")
    page.locator("#id_text").fill(ACTION)
    page.locator("#id_lead_job_title").fill("Parenting Strategy Manager")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("created")
    action = Action.objects.get()

    # 3. The officer reports it red, with the reason.
    page.goto(f"{site}/admin/action-plan/actions/{action.pk}/report/")
    page.get_by_label("Red: off track").check()
    page.get_by_label("Commentary").fill(REASON)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".messages")).to_be_visible()
    assert action.reports.get().status == "red"

    # 4. The public page (signed out): the status in words and the reason beside it.
    page.context.clear_cookies()
    page.goto(site + progress.url)
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("How we are doing")
    expect(main).to_contain_text("Red: off track")
    expect(main).to_contain_text(REASON)
    expect(main).to_contain_text("0 of 1 action complete; 1 off track (red).")
    expect(main.get_by_role("table", name=re.compile("Actions under priority 1"))).to_contain_text("1.3")
    expect(main).not_to_contain_text("officer@example.org")
    _no_axe_violations(page)
    _fits(page)

    # 5. The priority's own page: the action, its history and outcomes.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + progress.url)
    page.get_by_role("link", name=re.compile("Priority 1 in full")).click()
    expect(page).to_have_url(re.compile(r"/priorities/1/$"))
    expect(page.locator("h1")).to_have_text("Reducing poverty")
    main = page.locator("main")
    expect(main).to_contain_text("Action 1.3")
    expect(main).to_contain_text(ACTION)
    expect(main).to_contain_text("Fewer children in poverty")
    expect(main).to_contain_text(REASON)
    expect(main.locator("strong.govuk-tag", has_text="Red: off track").first).to_be_visible()
    _no_axe_violations(page)
    _fits(page)
