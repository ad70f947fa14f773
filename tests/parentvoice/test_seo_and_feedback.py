"""sitemap.xml, robots.txt and the beta banner's website feedback form, on an empty site."""

import pytest
from wagtail.models import PageViewRestriction

from parentvoice.models import SiteFeedback, StandardPage

pytestmark = pytest.mark.django_db


def _page(parent, slug, live=True):
    page = StandardPage(title=slug.title(), slug=slug, body=[], live=live)
    parent.add_child(instance=page)
    return page


def test_sitemap_lists_live_public_pages_only(client, home_page):
    _page(home_page, "about")
    _page(home_page, "draft-plans", live=False)
    secret = _page(home_page, "staff-only")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="pw")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://testserver/</loc>" in xml
    assert "<loc>http://testserver/about/</loc>" in xml
    assert "draft-plans" not in xml and "staff-only" not in xml
    for private in ("/admin/", "/accounts/", "/preferences/", "/confirm/", "/fora/bookings/", "invitation"):
        assert private not in xml


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_personal_links(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in (
        "/admin/",
        "/django-admin/",
        "/accounts/",
        "/fora/membership/",
        "/fora/bookings/",
        "/confirm/",
        "/preferences/",
        "/unsubscribe/",
        "/consultations/*/invitation/",
    ):
        assert f"Disallow: {path}" in lines, path
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the public pages stay open


def test_every_page_has_the_feedback_link_in_the_beta_banner(client, home_page):
    for path in ("/", "/keep-me-informed/"):
        html = client.get(path).content.decode()
        banner = html[html.index("govuk-phase-banner") :]
        assert 'href="/website-feedback/">give your feedback</a>' in banner[: banner.index("</div>")]


def test_feedback_is_stored_without_personal_details(client, home_page):
    response = client.post(
        "/website-feedback/",
        {"trying_to_do": "Book\x00 a place\x07", "ease": "difficult", "improve": "", "email": ""},
    )
    # A NUL is refused with a plain error; other control characters are dropped.
    assert response.status_code == 200 and not SiteFeedback.objects.exists()
    response = client.post(
        "/website-feedback/", {"trying_to_do": "Book a place\x07", "ease": "difficult", "email": ""}
    )
    assert response["Location"] == "/website-feedback/sent/"
    feedback = SiteFeedback.objects.get()
    assert feedback.trying_to_do == "Book a place" and feedback.email == "" and feedback.ease == "difficult"
    assert "Thank you for your feedback" in client.get(response["Location"]).content.decode()


def test_feedback_errors_come_together_and_huge_input_is_refused(client, home_page):
    html = client.post(
        "/website-feedback/", {"trying_to_do": "x" * 100_000, "email": "nope"}
    ).content.decode()
    assert "What you were trying to do must be 1200 characters or fewer" in html
    assert "Select how easy it was" in html
    assert "Enter an email address in the right format" in html
    assert "<title>Error: Give feedback on this website" in html
    assert html.index("govuk-error-summary") < html.index("<h1")
    assert not SiteFeedback.objects.exists()


def test_a_bot_filling_the_honeypot_is_refused(client, home_page):
    data = {"trying_to_do": "Spam", "ease": "easy", "extra_details": "http://spam.example"}
    assert client.post("/website-feedback/", data).status_code == 200
    assert not SiteFeedback.objects.exists()


def test_feedback_is_rate_limited(client, home_page, settings):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "site_feedback": "2/h/ip"}
    data = {"trying_to_do": "Find a meeting", "ease": "easy"}
    assert [client.post("/website-feedback/", data).status_code for _ in range(3)] == [302, 302, 429]
    assert SiteFeedback.objects.count() == 2


def test_only_staff_with_the_permission_read_feedback_in_the_admin(client, home_page, make_user, settings):
    from parentvoice.accounts import roles

    settings.STAFF_MFA_REQUIRED = False
    SiteFeedback.objects.create(trying_to_do="Find the charter", ease="easy", email="reply@example.org")
    client.force_login(make_user(email="coordinator@example.org", groups=[roles.FORUM_COORDINATORS]))
    assert client.get("/admin/site_feedback/").status_code in (302, 403)
    client.force_login(make_user(email="officer@example.org", groups=[roles.CONSULTATION_OFFICERS]))
    listing = client.get("/admin/site_feedback/")
    assert listing.status_code == 200 and "Find the charter" in listing.content.decode()
    received = SiteFeedback.objects.get().get_created_at_display()  # "3:20pm on Tuesday 1 December 2026"
    assert received in listing.content.decode()
    inspect = client.get(f"/admin/site_feedback/inspect/{SiteFeedback.objects.get().pk}/")
    assert inspect.status_code == 200
    assert "reply@example.org" in inspect.content.decode() and received in inspect.content.decode()
    assert client.get("/admin/site_feedback/add/").status_code == 404
