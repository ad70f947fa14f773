"""Issue 19, public pages from a cache, in a real browser from an empty site (no demo content): an officer
makes the fora in the page editor; a parent's second visit is served from the cache; the officer's edit,
published in the editor, shows to the parent at once, and so does unpublishing a forum; the signed-in
officer is never served a cached page, nor is a form with its token."""

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from parentvoice.accounts.roles import CONSULTATION_OFFICERS
from parentvoice.page_cache import HEADER
from tests.e2e import editor

pytestmark = pytest.mark.e2e

SUMMARY = "Dover parents and carers: we meet once a term at the family hub."
NEW_SUMMARY = "Dover parents and carers: we now meet on Saturday mornings."


def _visit(page, url):
    """Open `url` and return where it came from: "hit", "miss" (rendered and stored) or None (not stored)."""
    response = page.goto(url)
    assert response.status == 200, url
    return response.headers.get(HEADER.lower())


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["pages"].clear()


def test_a_change_published_in_the_editor_shows_to_a_parent_at_once(
    live_server, transactional_db, home_page, signed_in, new_browser, page_cache_on
):
    from forums.models import ForumIndexPage, ForumPage

    site_url = live_server.url
    fora = f"{site_url}/parent-fora/"
    officer = signed_in(CONSULTATION_OFFICERS, "officer@example.org")
    editor.add_page(officer, site_url, "forumindexpage", home_page.pk, "Parent fora")
    editor.publish(officer)
    index = ForumIndexPage.objects.get()
    editor.add_forum(officer, site_url, index.pk, "Dover Parents Forum", "Topic forum")
    forum = ForumPage.objects.get()
    officer.goto(f"{site_url}/admin/pages/{forum.pk}/edit/")
    officer.locator("#id_summary").fill(SUMMARY)
    editor.publish(officer)

    parent = new_browser()
    # The first page a new site renders also creates its settings, with the defaults it showed: kept.
    assert _visit(parent, fora) == "miss"
    assert _visit(parent, fora) == "hit"
    expect(parent.locator("main")).to_contain_text(SUMMARY)
    assert _visit(parent, site_url + forum.url) == "miss"
    assert _visit(parent, site_url + forum.url) == "hit"

    # Signed in, the officer always gets the page rendered for them (Wagtail's user bar and all).
    assert _visit(officer, fora) is None
    assert _visit(officer, fora) is None

    officer.goto(f"{site_url}/admin/pages/{forum.pk}/edit/")
    officer.locator("#id_summary").fill(NEW_SUMMARY)
    editor.publish(officer)
    assert _visit(parent, fora) == "miss"
    main = parent.locator("main")
    expect(main).to_contain_text(NEW_SUMMARY)
    expect(main).not_to_contain_text(SUMMARY)
    assert _visit(parent, fora) == "hit"

    # The join form carries this visitor's form token: never stored, so never given to the next one.
    joiner = new_browser()
    joiner.goto(site_url + forum.url)
    joiner.get_by_role("button", name="Join this forum").click()
    expect(joiner.get_by_role("button", name="Join the forum")).to_be_visible()
    assert _visit(joiner, joiner.url) is None

    officer.goto(f"{site_url}/admin/pages/{forum.pk}/unpublish/")
    officer.get_by_role("button", name="Yes, unpublish it").click()
    expect(officer.locator(".messages")).to_contain_text("unpublished")
    assert _visit(parent, fora) == "miss"
    expect(parent.locator("main")).not_to_contain_text("Dover Parents Forum")
    response = parent.goto(site_url + forum.url)
    assert response.status == 404
