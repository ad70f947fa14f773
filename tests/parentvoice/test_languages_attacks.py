"""Attack review of pages in other languages (#18): a page is served only at its own language's
address, a translation is as private as the English page it translates (and the pages above it), and
it goes when its English page is unpublished. Wagtail's page password form is limited under every
language's prefix."""

import pytest
from django.test import Client
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

from parentvoice.models import StandardPage
from tests.factories import translate_page

pytestmark = pytest.mark.django_db

PASSWORD = "not-guessable-at-all"


@pytest.fixture
def about(home_page):
    """An English page with a Polish translation (its parent, the home page, translated first)."""
    page = StandardPage(title="About us", slug="about", body=[])
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def polish_about(about):
    return translate_page(about, "pl", title="O nas")


def _restrict(page, restriction_type=PageViewRestriction.PASSWORD):
    return PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password=PASSWORD if restriction_type == "password" else "",
    )


def test_the_english_pages_are_not_served_again_under_a_language_nobody_has_translated_into(
    client, about, polish_about
):
    # Wagtail falls back to the English tree for a language with no home page of its own.
    assert client.get("/about/").status_code == 200
    assert client.get("/pl/about/").status_code == 200
    for path in ("/ro/", "/ro/about/", "/ar/about/", "/ne/about/"):
        assert client.get(path).status_code == 404, path


def test_the_english_pages_are_not_served_under_a_language_whose_home_page_is_a_draft(client, about):
    translate_page(about, "pl", title="O nas", publish=False)
    assert client.get("/pl/").status_code == 404
    assert client.get("/pl/about/").status_code == 404
    assert client.get("/about/").status_code == 200


def test_english_and_odd_language_prefixes_do_not_duplicate_the_english_pages(client, about, polish_about):
    for path in ("/en-gb/about/", "/en/about/", "/PL/about/", "/pl-pl/about/", "/xx/about/", "/pl/pl/about/"):
        assert client.get(path).status_code == 404, path


def test_a_translation_of_a_password_protected_page_asks_for_the_english_pages_password(
    client, about, polish_about
):
    restriction = _restrict(about)
    refused = client.get("/pl/about/")
    assert refused.status_code == 200
    assert "O nas" not in refused.content.decode()
    assert 'name="password"' in refused.content.decode()
    action = f"/pl/_util/authenticate_with_password/{restriction.pk}/{polish_about.pk}/"
    assert action in refused.content.decode()

    client.post(action, {"password": PASSWORD, "return_url": "/pl/about/"})
    allowed = client.get("/pl/about/")
    assert "O nas" in allowed.content.decode()
    assert "no-cache" in allowed["Cache-Control"]  # a private page is never kept by a shared cache


def test_a_translation_under_an_english_section_for_signed_in_people_is_for_them_only(
    client, home_page, about, polish_about
):
    _restrict(home_page, PageViewRestriction.LOGIN)
    for path in ("/pl/", "/pl/about/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/accounts/login/" in response["Location"]


def test_a_restriction_on_another_translation_does_not_apply_to_this_one(client, about, polish_about):
    nepali = translate_page(about, "ne", title="हाम्रो बारेमा")
    _restrict(nepali)
    assert "O nas" in client.get("/pl/about/").content.decode()


def test_a_translation_goes_when_its_english_page_is_unpublished(client, about, polish_about):
    UnpublishPageAction(about).execute(skip_permission_checks=True)
    assert client.get("/about/").status_code == 404
    assert client.get("/pl/about/").status_code == 404


def test_guessing_a_page_password_is_limited_under_every_language_prefix(
    settings, home_page, about, polish_about
):
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "page_password": "100/h/ip,3/h/key"}
    restriction = _restrict(about)
    guess = {"password": "guess", "return_url": "/"}
    statuses = [
        Client()
        .post(f"{prefix}/_util/authenticate_with_password/{restriction.pk}/{about.pk}/", guess)
        .status_code
        for prefix in ("/pl", "/ne", "/ur", "")
    ]
    # One limit per restriction, however the form is reached.
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("prefix", ["", "/pl", "/ur"])
def test_wagtails_own_sign_in_form_is_not_a_way_round_two_factor_sign_in(make_user, home_page, prefix):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    officer = make_user(email="officer@example.org", groups=["Consultation officers"])
    TOTP.activate(officer, generate_totp_secret())
    client = Client()
    shown = client.get(f"{prefix}/_util/login/?next=/admin/")
    assert shown.status_code == 302
    assert shown["Location"] == "/accounts/login/?next=/admin/"
    client.post(f"{prefix}/_util/login/", {"username": officer.email, "password": "a-long-test-password"})
    assert client.get("/admin/").status_code == 302  # still to sign in, with the authenticator code


def test_the_language_switcher_offers_only_live_public_translations_never_aliases(about, polish_about):
    from wagtail.models import Locale

    from parentvoice.languages import page_alternates

    translate_page(about, "ne", title="हाम्रो बारेमा", publish=False)  # a draft
    _restrict(translate_page(about, "ur", title="ہمارے بارے میں"))  # private
    romanian, _ = Locale.objects.get_or_create(language_code="ro")
    about.copy_for_translation(romanian, copy_parents=True, alias=True)  # the English words under /ro/
    assert [(a.code, a.url) for a in page_alternates(about)] == [("en-gb", "/about/"), ("pl", "/pl/about/")]
