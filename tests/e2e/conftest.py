"""Browser tests: pytest-playwright driving Debian's Chromium (apt install chromium), never a
downloaded browser. Run with `make test-e2e`; `make test` leaves them out."""

import os
import threading
import time
import warnings
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: `apt-get install chromium` to run browser tests"
    )
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _live_server_quiet_before_the_flush(request):
    """The test database is one in-memory SQLite connection that the live server's threads share, and
    the flush after each test fails ("table is locked") if a request is still running on it: the next
    test then starts on this one's rows. Wagtail's editor sends requests of its own (an autosave 500 ms
    after each change, editing-session pings), so they are turned off (tests press Save and Publish
    themselves), and the teardown waits for requests already under way, after the browser has closed
    and before the flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Set up after the database, so torn down before its flush; `page` and the contexts close first.
    request.getfixturevalue("transactional_db")
    settings = request.getfixturevalue("settings")
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000

    from django.core.signals import request_finished, request_started

    # By thread: the live server handles each request in a thread of its own, from request_started to
    # the response's close (request_finished); a request left from an earlier test is not counted.
    under_way = set()

    def started(**kwargs):
        under_way.add(threading.get_ident())

    def finished(**kwargs):
        under_way.discard(threading.get_ident())

    request_started.connect(started, dispatch_uid="e2e-under-way-started")
    request_finished.connect(finished, dispatch_uid="e2e-under-way-finished")
    try:
        yield
        # Quiet for a moment, not only now: a page's last beacon (Wagtail's editing session is released
        # as the page goes) can arrive just after the browser has closed it.
        deadline, quiet_since = time.monotonic() + 30, None
        while time.monotonic() < deadline:
            if under_way:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= 0.2:
                break
            time.sleep(0.02)
        else:
            warnings.warn(
                "The live server was still answering 30 s after the test: the flush may fail", stacklevel=1
            )
    finally:
        request_started.disconnect(dispatch_uid="e2e-under-way-started")
        request_finished.disconnect(dispatch_uid="e2e-under-way-finished")


@pytest.fixture
def site_url(live_server, transactional_db):
    from parentvoice.demo import load_demo_content

    load_demo_content()
    return live_server.url


@pytest.fixture
def new_browser(browser):
    """`new_browser(**options)`: a page in a fresh browser context (no cookies), closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def no_axe_violations(page):
    """Assert axe finds nothing at WCAG 2.2 AA on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def fits_320(page):
    """Assert the page has no sideways scroll on a 320px-wide screen, then widen it again."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def axe_violations():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        return results.violations_count, results.generate_report()

    return run


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def docs_screenshot():
    """Save a screenshot for docs/screenshots/ when PARENTVOICE_SCREENSHOTS=1 (`make screenshots`);
    an ordinary run, CI included, leaves the docs as they are."""

    def take(page, name, **options):
        if os.environ.get("PARENTVOICE_SCREENSHOTS") == "1":
            page.screenshot(path=str(SCREENSHOTS / name), **options)

    return take


@pytest.fixture
def signed_in(browser, live_server, make_user):
    """`signed_in(group, email)`: a new browser page signed in as staff in that role, with an
    authenticator app set up as the admin requires (each person in their own browser context)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    contexts = []

    def sign_in(group, email):
        user = make_user(email=email, groups=[group])
        TOTP.activate(user, generate_totp_secret())
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        contexts.append(context)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        return context.new_page()

    yield sign_in
    for context in contexts:
        context.close()
