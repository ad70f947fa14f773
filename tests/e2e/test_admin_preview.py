"""The page editor's live preview in a real browser: the preview is framed by the editor (same origin),
which the site's anti-framing headers allow for preview views only. On an empty site: a home page and
one page to edit."""

import pytest
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS

pytestmark = pytest.mark.e2e


@pytest.fixture
def about_page(transactional_db, home_page):
    from parentvoice.models import StandardPage

    about = StandardPage(
        title="About the parent forum",
        slug="about",
        introduction="Parents meet every month.",
        body=[("paragraph", "<p>Everyone is welcome.</p>")],
    )
    home_page.add_child(instance=about)
    about.save_revision().publish()
    return about


def test_the_preview_panel_shows_the_page_being_edited(page, live_server, client, staff_login, about_page):
    staff_login(CONSULTATION_OFFICERS)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    response = page.goto(f"{live_server.url}/admin/pages/{about_page.pk}/edit/")
    assert response.headers["x-frame-options"] == "DENY"
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("About the parent forum")
    expect(preview.get_by_text("Everyone is welcome.")).to_be_visible()
    # Leave the editor before the test's database is emptied: its preview requests still running on
    # the live server would hold the in-memory database's table lock ("table is locked").
    page.goto("about:blank")
