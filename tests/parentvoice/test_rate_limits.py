"""The one limiter on public POSTs (parentvoice.ratelimit): per client, per target, behind a proxy."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from twilio.request_validator import RequestValidator

from messaging.choices import Channel, MessageStatus
from messaging.models import Contact, Message
from messaging.services import preferences_token
from parentvoice import ratelimit

pytestmark = pytest.mark.django_db

SIGN_UP = "/keep-me-informed/"
PROXY = "10.0.0.1"  # our load balancer: REMOTE_ADDR of every request behind it
ALICE, BOB = "203.0.113.5", "203.0.113.66"


def _limits(settings, **rates):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, **rates}


def _behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _via_proxy(client, real_client, *, claimed=None, data=None):
    """A POST through our proxy, which appends the address it was connected from to whatever
    X-Forwarded-For the client sent."""
    forwarded = f"{claimed}, {real_client}" if claimed else real_client
    return client.post(SIGN_UP, data or {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_a_post_over_the_limit_gets_a_plain_429_page_and_looking_is_never_limited(
    client, home_page, settings
):
    _limits(settings, keep_me_informed="2/h/ip")
    assert [client.post(SIGN_UP, {}).status_code for _ in range(2)] == [200, 200]  # form errors, counted
    refused = client.post(SIGN_UP, {})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "You have tried too many times. Try again in an hour." in html
    assert 'class="govuk-heading-l"' in html and f'href="{SIGN_UP}"' in html  # the way back
    assert all(client.get(SIGN_UP).status_code == 200 for _ in range(5))


def test_the_wait_named_on_the_page_follows_the_limit(client, home_page, settings):
    _limits(settings, keep_me_informed="0/10m/ip")
    assert "Try again in 10 minutes." in client.post(SIGN_UP, {}).content.decode()
    _limits(settings, keep_me_informed="0/d/ip")
    assert "Try again tomorrow." in client.post(SIGN_UP, {}).content.decode()


def test_each_client_has_its_own_limit(client, home_page, settings):
    _limits(settings, keep_me_informed="1/h/ip")
    assert client.post(SIGN_UP, {}, REMOTE_ADDR=ALICE).status_code == 200
    assert client.post(SIGN_UP, {}, REMOTE_ADDR=ALICE).status_code == 429
    assert client.post(SIGN_UP, {}, REMOTE_ADDR=BOB).status_code == 200


def test_behind_the_proxy_each_real_client_has_its_own_limit(client, home_page, settings):
    _behind_proxy(settings)
    _limits(settings, keep_me_informed="1/h/ip")
    assert _via_proxy(client, ALICE).status_code == 200
    assert _via_proxy(client, ALICE).status_code == 429
    assert _via_proxy(client, BOB).status_code == 200  # not the proxy's shared limit


def test_a_made_up_forwarded_for_cannot_evade_a_limit(client, home_page, settings):
    _behind_proxy(settings)
    _limits(settings, keep_me_informed="3/h/ip")
    statuses = [_via_proxy(client, ALICE, claimed=f"198.51.100.{n}").status_code for n in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_a_forwarded_for_naming_someone_else_cannot_use_up_their_limit(client, home_page, settings):
    _behind_proxy(settings)
    _limits(settings, keep_me_informed="2/h/ip")
    statuses = [_via_proxy(client, BOB, claimed=ALICE).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]  # Bob is limited as Bob
    assert _via_proxy(client, ALICE).status_code == 200  # Alice's limit is untouched


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT = None, 0
    _limits(settings, keep_me_informed="1/h/ip")
    assert client.post(SIGN_UP, {}, REMOTE_ADDR=BOB, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.post(SIGN_UP, {}, REMOTE_ADDR=BOB, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_sign_in_limits_and_ours_see_the_same_client(settings):
    from allauth.account.adapter import get_adapter

    _behind_proxy(settings)
    request = RequestFactory().post(SIGN_UP, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.9, {ALICE}")
    assert ratelimit.client_ip(request) == get_adapter().get_client_ip(request) == ALICE


def test_trusted_proxy_count_comes_from_the_environment_and_feeds_allauth(monkeypatch):
    from parentvoice.settings import base

    try:
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
        reloaded = importlib.reload(base)
        assert (reloaded.TRUSTED_PROXY_COUNT, reloaded.ALLAUTH_TRUSTED_PROXY_COUNT) == (2, 2)
        monkeypatch.delenv("TRUSTED_PROXY_COUNT")
        reloaded = importlib.reload(base)
        assert (reloaded.TRUSTED_PROXY_COUNT, reloaded.ALLAUTH_TRUSTED_PROXY_COUNT) == (None, 0)
        monkeypatch.setenv("RATE_LIMIT_BOOK", "3/h/ip")
        assert importlib.reload(base).PUBLIC_RATE_LIMITS["book"] == "3/h/ip"
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_one_recipient_is_limited_across_clients_and_a_refused_attempt_costs_the_client_nothing(
    client, home_page, settings
):
    _limits(settings, keep_me_informed="2/h/ip", recipient="1/h/key")
    assert client.post(SIGN_UP, {"mobile": "07700 900123"}, REMOTE_ADDR=BOB).status_code == 200
    # The same number, spelled another way, from another client: the recipient's limit refuses it.
    assert client.post(SIGN_UP, {"mobile": "+447700900123"}, REMOTE_ADDR=ALICE).status_code == 429
    assert client.post(SIGN_UP, {"email": "Pat@Example.org"}, REMOTE_ADDR=ALICE).status_code == 200
    assert client.post(SIGN_UP, {"email": "pat@example.org"}, REMOTE_ADDR=BOB).status_code == 429
    # Alice's refused attempt was given back, so she has one left of her two.
    assert client.post(SIGN_UP, {"email": "sam@example.org"}, REMOTE_ADDR=ALICE).status_code == 200
    assert client.post(SIGN_UP, {"email": "kim@example.org"}, REMOTE_ADDR=ALICE).status_code == 429


def test_hidden_characters_in_an_address_do_not_make_it_a_new_recipient(client, home_page, settings):
    _limits(settings, keep_me_informed="", recipient="1/h/key")
    assert client.post(SIGN_UP, {"email": "pat@example.org"}, REMOTE_ADDR=BOB).status_code == 200
    for spelling in ("pa\x01t@example.org", "pat@exa\u202emple.org", " PAT@example.org "):
        assert client.post(SIGN_UP, {"email": spelling}, REMOTE_ADDR=ALICE).status_code == 429
    assert client.post(SIGN_UP, {"mobile": "07700 900123"}, REMOTE_ADDR=BOB).status_code == 200
    assert client.post(SIGN_UP, {"mobile": "07700\u202e900123"}, REMOTE_ADDR=ALICE).status_code == 429


def test_unsubscribe_is_limited_per_link_not_per_client(client, home_page, settings):
    """One-click unsubscribes arrive from mail providers' shared servers: one address, many people."""
    _limits(settings, unsubscribe="1/h/key")
    tokens = [preferences_token(Contact.objects.create(email=f"p{n}@example.org").pk) for n in range(3)]
    one_click = {"List-Unsubscribe": "One-Click"}
    assert [client.post(f"/unsubscribe/{t}/", one_click).status_code for t in tokens] == [200, 200, 200]
    assert client.post(f"/unsubscribe/{tokens[0]}/", one_click).status_code == 429
    assert client.get(f"/unsubscribe/{tokens[0]}/").status_code == 200


def test_preferences_are_limited_per_link(client, home_page, settings):
    _limits(settings, preferences="100/h/ip,1/h/key")
    first, second = (
        preferences_token(Contact.objects.create(email=f"p{n}@example.org").pk) for n in range(2)
    )
    assert client.post(f"/preferences/{first}/", {}).status_code != 429
    assert client.post(f"/preferences/{first}/", {}, REMOTE_ADDR=BOB).status_code == 429
    assert client.post(f"/preferences/{second}/", {}).status_code != 429
    assert client.get(f"/preferences/{first}/").status_code == 200


def test_confirming_an_address_is_limited_per_client_and_per_link(client, home_page, settings):
    _limits(settings, confirm="2/h/ip,1/h/key")
    assert client.post("/confirm/not-a-real-link/").status_code != 429
    assert client.post("/confirm/not-a-real-link/", REMOTE_ADDR=BOB).status_code == 429
    assert client.post("/confirm/another-link/").status_code != 429
    assert client.post("/confirm/a-third-link/").status_code == 429


def _twilio_post(client, settings, path, params):
    url = settings.WAGTAILADMIN_BASE_URL + path
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_twilio_webhooks_never_answer_429(client, settings):
    settings.PUBLIC_RATE_LIMITS = dict.fromkeys(settings.PUBLIC_RATE_LIMITS, "0/h/ip,0/h/key")
    settings.PUBLIC_RATE_LIMITS.update(sms_help="0/h/key", service_sms="0/d/key", service_email="0/d/key")
    message = Message.objects.create(
        channel=Channel.SMS, recipient="+447400123456", body="Hi", status=MessageStatus.SENDING,
        idempotency_key="k", provider_ref="SM" + "a" * 32,
    )  # fmt: skip
    for n in range(3):
        status = {"MessageSid": message.provider_ref, "MessageStatus": "delivered", "AccountSid": "AC1"}
        assert (
            _twilio_post(client, settings, f"/messaging/twilio/status/?m={message.pk}", status).status_code
            < 300
        )
        text = {"MessageSid": f"SM{n:032d}", "From": "+447400123456", "To": "+447400000001", "Body": "HELP"}
        assert _twilio_post(client, settings, "/messaging/twilio/inbound/", text).status_code == 200


def test_a_limit_must_count_per_client_or_per_target(rf, settings):
    _limits(settings, keep_me_informed="5/h/user")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.consume(rf.post(SIGN_UP), ("keep_me_informed", []))


def test_an_action_with_no_limit_is_not_limited(rf, settings):
    _limits(settings, keep_me_informed="")
    assert all(ratelimit.consume(rf.post(SIGN_UP), ("keep_me_informed", ["x"])) for _ in range(50))


def test_an_action_missing_from_the_setting_is_an_error_not_unlimited(rf, settings):
    settings.PUBLIC_RATE_LIMITS = {k: v for k, v in settings.PUBLIC_RATE_LIMITS.items() if k != "book"}
    with pytest.raises(ImproperlyConfigured, match="'book'"):
        ratelimit.consume(rf.post(SIGN_UP), ("book", ["1"]))


def test_guessing_a_password_protected_pages_password_is_limited(client, home_page, settings):
    from wagtail.models import PageViewRestriction

    _limits(settings, page_password="2/h/ip,3/h/key")
    restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.PASSWORD, password="not-guessable"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{home_page.pk}/"
    guess = {"password": "guess", "return_url": "/"}
    assert [client.post(url, guess, REMOTE_ADDR=ALICE).status_code for _ in range(3)] == [200, 200, 429]
    # Per restriction too: guesses from many addresses run out.
    assert client.post(url, guess, REMOTE_ADDR=BOB).status_code == 200
    assert client.post(url, guess, REMOTE_ADDR="198.51.100.7").status_code == 429
