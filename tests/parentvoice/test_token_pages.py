"""Pages reached by a personal link: never cached or indexed, booking links expire some weeks after
the event, and the tokens never reach a log."""

import logging

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from forums import services as forums
from messaging import services as messaging
from parentvoice.log_filters import REDACTED, RedactTokens, redact
from surveys import services as surveys
from tests.factories import BookingFactory, ContactFactory, MembershipFactory
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - shared fixtures
from tests.surveys.conftest import make_consultation  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(make_forum):  # noqa: F811 - the imported fixture
    return make_forum("Dover Parents Forum", "Dover")


def _booking_url(booking):
    return f"/fora/bookings/{forums.booking_token(booking.pk)}/"


@pytest.fixture
def token_urls(forum, make_event, make_consultation):  # noqa: F811 - the imported fixtures
    event = make_event(forum, "Meeting", days=5, booking_required=True, capacity=10)
    booking = BookingFactory(event=event)
    membership = MembershipFactory(forum=forum)
    contact = ContactFactory()
    page = make_consultation()
    preferences = messaging.preferences_token(contact.pk)
    return {
        "booking": _booking_url(booking),
        "booking calendar": _booking_url(booking) + "event.ics",
        "membership": f"/fora/membership/{forums.membership_token(membership.pk)}/",
        "preferences": f"/preferences/{preferences}/",
        "unsubscribe": f"/unsubscribe/{preferences}/",
        "invitation": f"/consultations/{page.pk}/invitation/{surveys.invitation_token(page.pk, contact.pk)}/",
        "bad booking link": "/fora/bookings/not-a-token/",
        "bad preferences link": "/preferences/not-a-token/",
    }


def test_token_pages_are_not_stored_or_indexed(client, token_urls):
    for name, url in token_urls.items():
        response = client.get(url)
        assert response.status_code in (200, 302, 404), name
        assert "no-store" in response["Cache-Control"], name
        assert "noindex" in response["X-Robots-Tag"], name


def test_public_pages_may_still_be_cached_and_indexed(client, forum):
    response = client.get(forum.url)
    assert "X-Robots-Tag" not in response


@pytest.mark.parametrize(("days_after", "works"), [(27, True), (29, False)])
def test_booking_links_stop_working_some_weeks_after_the_event(
    client,
    forum,
    make_event,  # noqa: F811 - the imported fixture
    settings,
    days_after,
    works,
):
    settings.BOOKING_LINK_DAYS_AFTER_EVENT = 28
    event = make_event(forum, "Long ago", days=-days_after - 1, hours=24)  # ended `days_after` days ago
    url = _booking_url(BookingFactory(event=event, name="Sam Booker"))
    for path in (url, url + "event.ics"):
        response = client.get(path)
        assert (response.status_code == 200) is works, path
    if not works:
        html = client.get(url).content.decode()
        assert "This link does not work" in html and "Sam Booker" not in html


def test_a_404_on_a_token_url_logs_no_token(client, caplog, token_urls):
    token = "ABCsecret123:xyz"
    caplog.set_level(logging.WARNING, logger="django.request")
    assert client.get(f"/fora/bookings/{token}/").status_code == 404
    assert client.get(f"/preferences/{token}/").status_code == 404
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found" in logged and "/fora/bookings/[token]/" in logged
    assert "ABCsecret" not in logged and "xyz" not in logged


def test_server_and_gunicorn_access_lines_are_redacted():
    server = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /unsubscribe/abc:def/ HTTP/1.1", 200, 5),
        None,
    )
    access = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        "%(r)s %(s)s",
        ({"r": "GET /confirm/tok-1/ HTTP/1.1", "s": 200},),
        None,
    )
    for record in (server, access):
        assert RedactTokens().filter(record)
        assert "abc:def" not in record.getMessage() and "tok-1" not in record.getMessage()
        assert REDACTED in record.getMessage()
    assert redact("/fora/bookings/t0k3n/event.ics?x=1") == f"/fora/bookings/{REDACTED}/event.ics?x=1"
    assert redact("/consultations/12/invitation/ffee/") == f"/consultations/12/invitation/{REDACTED}/"
    assert redact("/fora/12/join/") == "/fora/12/join/"  # no token, nothing changed


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_route_with_a_token_is_redacted():
    """A new personal-link page must be added to log_filters.TOKEN_PATHS: this finds any that is not."""
    token_routes = [r for r in _routes(get_resolver().url_patterns) if "<str:token>" in r]
    assert token_routes
    for route in token_routes:
        path = "/" + route.replace("<str:token>", "SECRET").replace("<int:page_id>", "12").replace(
            "<id:page_id>", "12"
        )
        assert "SECRET" not in redact(path), route
