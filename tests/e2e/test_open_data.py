"""The open data page in a browser: axe-clean, reachable from the footer, every link works."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_open_data_page_has_no_axe_violations_and_its_links_work(page, site_url, axe_violations):
    page.goto(site_url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    expect(page.locator("h1")).to_have_text("Open data")
    count, report = axe_violations(page)
    assert count == 0, report
    page.locator(".govuk-details__summary").first.click()
    count, report = axe_violations(page)
    assert count == 0, report
    for href in page.locator("main a[href^='/api/v1/'], main a[href$='.csv']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    ):
        response = page.request.get(site_url + href)
        assert response.status == 200, href
