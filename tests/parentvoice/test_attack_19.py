# The fixture imported below is used as an argument, which ruff reads as a redefinition.
# ruff: noqa: F811

"""#19 attack review: the public page cache (parentvoice.page_cache).

Each test here is a bug found by trying to break what #19 added (fixed with it), or a door tried and
found shut."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from parentvoice.models import SiteSettings
from surveys import services
from surveys.choices import ResponseChannel
from surveys.models import Response
from tests.surveys.conftest import make_consultation  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["pages"].clear()


@pytest.fixture
def home(home_page):
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return home_page


def test_clearing_expired_sessions_is_one_delete_however_many(django_assert_num_queries):
    """The cache listens for deletes only of what pages show: a receiver for every model stopped Django
    deleting any model with one DELETE, so clearing sessions, pruning tasks and retention loaded every
    row (and each Answer deleted wrote the cache once)."""
    expired = timezone.now() - dt.timedelta(days=1)
    Session.objects.bulk_create(
        Session(session_key=f"{n:032d}", session_data="", expire_date=expired) for n in range(250)
    )
    with django_assert_num_queries(1):  # DELETE ... WHERE expire_date < now, as before the page cache
        call_command("clearsessions")
    assert not Session.objects.exists()


def test_a_deleted_response_and_its_answers_still_purge_at_once(home, make_consultation, client):
    consultation = make_consultation(results_published=True)
    services.submit_response(consultation, {}, channel=ResponseChannel.PAPER)  # a paper entry purges
    results = consultation.url + "results/"
    assert client.get(results)["X-Cache"] == "miss"
    assert client.get(results)["X-Cache"] == "hit"
    services.delete_responses(Response.objects.filter(consultation=consultation))
    assert client.get(results)["X-Cache"] == "miss"


# --- Doors tried and found shut ---------------------------------------------------------------------


def test_head_requests_neither_fill_nor_read_the_cache(home, client):
    assert "X-Cache" not in client.head("/")
    assert client.get("/")["X-Cache"] == "miss"
    assert "X-Cache" not in client.head("/")


def test_a_forwarded_host_header_cannot_poison_the_cache(home, client):
    poisoned = client.get("/", HTTP_X_FORWARDED_HOST="evil.example")
    assert b"evil.example" not in poisoned.content
    clean = client.get("/")
    assert clean["X-Cache"] == "hit"
    assert b"evil.example" not in clean.content
    # Another (allowed) host is another page: never the one stored for the first.
    assert client.get("/", HTTP_HOST="localhost")["X-Cache"] == "miss"


def test_a_disallowed_host_is_refused_before_the_cache(home, client):
    client.get("/")
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_a_forwarded_proto_header_is_not_trusted_outside_production(home, client):
    client.get("/")
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https")["X-Cache"] == "hit"  # the same http page
