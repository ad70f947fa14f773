"""Public pages from a cache (parentvoice.page_cache): what is stored, for whom, and that a change shows
at once."""

# The fixtures imported below are used as arguments, which ruff reads as redefinitions.
# ruff: noqa: F811

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from parentvoice import page_cache
from parentvoice.models import SiteSettings
from surveys.models import ConsultationPage, Response
from tests.factories import translate_page
from tests.feedback_loop.conftest import evidence, log_page, make_decision, make_item, theme  # noqa: F401 - fixtures
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - fixtures
from tests.surveys.conftest import make_consultation  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["pages"].clear()


@pytest.fixture
def home(home_page):
    """The home page with the site's settings saved, as on any running site: the first page rendered
    would otherwise create them, and so purge the cache once."""
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return home_page


@pytest.fixture
def site(
    home,
    make_consultation,
    fora_index,
    make_forum,
    make_event,
    log_page,
    make_item,
    make_decision,
):
    """Home, a consultation (with its results published), a forum with an event, the public log with a
    decision."""
    consultation = make_consultation(results_published=True)
    forum = make_forum("Dover Parents Forum", "Dover")
    event = make_event(forum, "Summer meeting", days=7)
    decision = make_decision(
        [make_item(consultation=consultation, evidence=evidence(consultation, "first-place", "school"))]
    )
    return {"home": home, "consultation": consultation, "event": event, "decision": decision}


PUBLIC_PAGES = [
    "/",
    "/have-your-say/",
    "/have-your-say/support/",
    "/have-your-say/support/results/",
    "/parent-fora/",
    "/parent-fora/whats-on/",
    "/parent-fora/dover-parents-forum/",
    "/you-said-we-did/",
]


def _twice(client, path, **extra):
    return client.get(path, **extra), client.get(path, **extra)


def test_an_anonymous_visitor_gets_public_pages_from_the_cache(site, client):
    for path in [*PUBLIC_PAGES, site["event"].url]:
        first, second = _twice(client, path)
        assert first.status_code == 200, path
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit"), path
        assert second.content == first.content
        # The headers go with the page: its strict CSP (naming the inline script by hash) among them.
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert "nonce" not in second["Content-Security-Policy"]
        assert second["X-Frame-Options"] == "DENY"


def test_the_language_is_the_address_alone(home, client):
    translate_page(home, "pl", title="Głos rodziców", introduction="Powiedz nam, co myślisz.")
    english = client.get("/")
    polish, polish_again = _twice(client, "/pl/")
    assert "Powiedz nam" in polish.content.decode()
    assert polish_again["X-Cache"] == "hit"
    # A browser asking for Polish at the English address gets the English page, as it would uncached.
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="pl")
    assert again["X-Cache"] == "hit"
    assert again.content == english.content


def test_signed_in_people_never_get_or_fill_the_cache(home, client, make_user):
    client.get("/")  # stored for anonymous visitors
    client.force_login(make_user(email="someone@example.org"))
    signed_in = client.get("/")
    assert signed_in.status_code == 200
    assert "X-Cache" not in signed_in
    caches["pages"].clear()
    client.get("/")
    # What a signed-in person was sent was not stored for anyone.
    assert Client().get("/")["X-Cache"] == "miss"


def test_any_cookie_but_the_csrf_one_skips_the_cache(home, client):
    client.get("/")
    for name in ["sessionid", "messages", "anything"]:
        client.cookies[name] = "x"
        assert "X-Cache" not in client.get("/"), name
        del client.cookies[name]
    client.cookies["csrftoken"] = "a" * 32
    assert client.get("/")["X-Cache"] == "hit"


def test_password_pages_are_never_stored(site, client):
    page = site["consultation"]
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="open-sesame")
    for response in _twice(client, page.url):
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "X-Cache" not in response


def test_private_pages_are_never_stored(site, client, make_user):
    page = site["consultation"]
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    for response in _twice(client, page.url):
        assert response.status_code == 302
        assert "X-Cache" not in response


def test_a_restricted_page_is_refused_whoever_asks(site, rf):
    page = site["consultation"]
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    request = rf.get(page.url)
    page_cache.refuse_restricted_pages(page, request, [], {})
    assert request.page_cache_refused


def test_token_pages_forms_and_errors_are_never_stored(site, client):
    consultation = site["consultation"]
    paths = [
        f"/consultations/{consultation.pk}/invitation/not-a-real-token/",
        "/preferences/not-a-real-token/",
        "/keep-me-informed/",
        "/website-feedback/",
        f"/consultations/{consultation.pk}/start/",
        "/no-such-page/",
    ]
    for path in paths:
        for response in _twice(client, path):
            assert "X-Cache" not in response, path


def test_only_known_query_parameters_are_cached(site, client):
    first, second = _twice(client, "/parent-fora/whats-on/?page=1&kind=drop_in")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    # The same filters in another order are the same page.
    assert client.get("/parent-fora/whats-on/?kind=drop_in&page=1")["X-Cache"] == "hit"
    for response in _twice(client, "/parent-fora/whats-on/?utm_source=leaflet"):
        assert "X-Cache" not in response


def test_publishing_a_page_shows_at_once(home, client):
    client.get("/")
    home.introduction = "Our new introduction."
    home.save_revision().publish()
    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert "Our new introduction." in response.content.decode()


def test_unpublishing_a_page_shows_at_once(site, client):
    assert client.get("/have-your-say/support/").status_code == 200
    site["consultation"].unpublish()
    assert client.get("/have-your-say/support/").status_code == 404


def test_a_decision_saved_shows_at_once_on_the_log(site, client):
    client.get("/you-said-we-did/")
    decision = site["decision"]
    decision.summary = "We will open the family hubs on Saturdays."
    decision.save_revision().publish()
    response = client.get("/you-said-we-did/")
    assert response["X-Cache"] == "miss"
    assert "We will open the family hubs on Saturdays." in response.content.decode()


def test_an_event_changed_shows_at_once(site, client):
    event = site["event"]
    client.get(event.url)
    client.get("/parent-fora/whats-on/")
    event.title = "Moved to the library"
    event.save_revision().publish()
    assert "Moved to the library" in client.get(event.url).content.decode()
    assert "Moved to the library" in client.get("/parent-fora/whats-on/").content.decode()


def test_web_answers_leave_the_cache_but_a_paper_entry_purges_it(site, client):
    consultation = site["consultation"]
    client.get("/have-your-say/support/results/")
    Response.objects.create(consultation=consultation, channel="web")
    assert client.get("/have-your-say/support/results/")["X-Cache"] == "hit"
    Response.objects.create(consultation=consultation, channel="paper")
    assert client.get("/have-your-say/support/results/")["X-Cache"] == "miss"


def test_entries_never_outlive_the_next_opening_or_closing(site):
    now = timezone.now()
    assert page_cache.seconds_until_next_change(now) <= 24 * 60 * 60
    ConsultationPage.objects.update(closes_at=now + dt.timedelta(seconds=90))
    assert page_cache.seconds_until_next_change(now) == 90


def test_the_first_visit_to_a_new_site_is_stored_for_the_next(home_page, client):
    """On a new site the first page rendered creates the site's settings with their defaults, which is
    what that page showed: it must not purge the page it is storing."""
    assert not SiteSettings.objects.exists()
    assert client.get("/")["X-Cache"] == "miss"
    assert SiteSettings.objects.exists()
    assert client.get("/")["X-Cache"] == "hit"


def test_settings_changed_or_created_with_other_values_show_at_once(home, client):
    client.get("/")
    settings_row = SiteSettings.objects.get()
    settings_row.contact_phone = "03000 41 41 41"
    settings_row.save()
    assert client.get("/")["X-Cache"] == "miss"
    SiteSettings.objects.all().delete()
    client.get("/")  # creates them again with their defaults: quiet
    assert client.get("/")["X-Cache"] == "hit"
    SiteSettings.objects.all().delete()
    SiteSettings.objects.create(site=Site.objects.get(is_default_site=True), contact_phone="01622 000000")
    assert client.get("/")["X-Cache"] == "miss"
