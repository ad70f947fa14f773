import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError

from parentvoice.accounts import roles

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _code_from(message):
    """The one-time code allauth puts on a line of its own."""
    return re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{4,})?)\s*$", message.body, re.M).group(1)


def _totp_code(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_user_signs_in_by_email_which_is_unique_whatever_the_case(make_user):
    make_user(email="Pat.Parent@Example.org")
    user = get_user_model().objects.get()
    assert user.email == "pat.parent@example.org"
    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user(email="PAT.PARENT@example.org", password=PASSWORD)


def test_sign_up_sends_a_verification_code_and_the_code_verifies_the_email(client, demo):
    response = client.post(
        "/accounts/signup/", {"email": "new.parent@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.parent@example.org"]
    assert message.subject.startswith("Parent Voice: ")
    code = _code_from(message)

    confirm_url = response["Location"]
    wrong = client.post(confirm_url, {"code": "WRONG1"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()

    response = client.post(confirm_url, {"code": code})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.parent@example.org")
    assert user.emailaddress_set.get().verified
    assert client.get("/").wsgi_request.user == user


def test_sign_up_errors_are_shown_per_field_with_a_summary_and_keep_the_email(client, demo):
    response = client.post(
        "/accounts/signup/", {"email": "someone@example.org", "password1": "short", "password2": "other"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert 'href="#id_password1"' in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'value="someone@example.org"' in html
    assert get_user_model().objects.count() == len(__import__("parentvoice.demo").demo.DEMO_USERS)


def test_password_login_for_a_verified_user(client, demo, make_user):
    user = make_user(email="verified@example.org")
    response = client.post("/accounts/login/", {"login": "verified@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user


def test_wrong_password_gives_a_clear_error_without_saying_which_part_was_wrong(client, demo, make_user):
    make_user(email="verified@example.org")
    response = client.post("/accounts/login/", {"login": "verified@example.org", "password": "not-it"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert not response.wsgi_request.user.is_authenticated


def test_login_by_emailed_code(client, demo, make_user):
    user = make_user(email="codes@example.org")
    response = client.post("/accounts/login/code/", {"email": "codes@example.org"})
    assert response.status_code == 302
    code = _code_from(mail.outbox[-1])
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user


def test_unverified_user_must_verify_before_signing_in(client, demo, make_user):
    make_user(email="unverified@example.org", verified=False)
    response = client.post("/accounts/login/", {"login": "unverified@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert "unverified@example.org" in mail.outbox[-1].to


def test_wagtail_admin_login_goes_through_allauth(client, demo):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, demo, make_user):
    officer = make_user(email="officer2@example.org", groups=[roles.CONSULTATION_OFFICERS])
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_parents_with_accounts_cannot_reach_the_admin(client, demo, make_user):
    parent = make_user(email="parent2@example.org")
    client.force_login(parent)
    response = client.get("/admin/")
    assert response.status_code == 403  # the "for council staff" page, never the set-up of an app
    assert "This area is for council staff" in response.content.decode()


def test_staff_with_an_authenticator_sign_in_with_password_then_code(client, demo, make_user):
    officer = make_user(email="officer3@example.org", groups=[roles.CONSULTATION_OFFICERS])
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)

    response = client.post("/accounts/login/", {"login": "officer3@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not client.get("/admin/").wsgi_request.user.is_authenticated

    response = client.post("/accounts/2fa/authenticate/", {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_remove_their_only_authenticator(client, demo, make_user):
    from allauth.mfa.adapter import get_adapter

    officer = make_user(email="officer4@example.org", groups=[roles.CONSULTATION_OFFICERS])
    TOTP.activate(officer, generate_totp_secret())
    authenticator = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    assert get_adapter().can_delete_authenticator(authenticator) is False

    parent = make_user(email="parent3@example.org")
    TOTP.activate(parent, generate_totp_secret())
    assert get_adapter().can_delete_authenticator(Authenticator.objects.get(user=parent)) is True


def test_wagtail_admin_editors_render_with_the_govuk_form_renderer_in_place(client, demo, staff_login):
    staff_login(is_superuser=True)
    home = demo
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get("/admin/snippets/parentvoice/district/add/").status_code == 200
    assert client.get("/admin/settings/parentvoice/sitesettings/").status_code in (200, 302)


def test_officer_adds_a_district_in_the_admin_and_bad_codes_are_refused(client, demo, staff_login):
    from parentvoice.models import District

    staff_login(roles.CONSULTATION_OFFICERS)
    url = "/admin/snippets/parentvoice/district/add/"
    bad = client.post(url, {"name": "Nowhere", "slug": "nowhere", "ons_code": "123"})
    assert bad.status_code == 200
    assert "Enter a 9-character ONS code" in bad.content.decode()
    good = client.post(url, {"name": "Bexley", "slug": "bexley", "ons_code": "E09000004"})
    assert good.status_code == 302
    assert District.objects.filter(ons_code="E09000004").exists()


def test_decision_makers_cannot_add_districts(client, demo, staff_login):
    staff_login(roles.DECISION_MAKERS)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/snippets/parentvoice/district/add/").status_code == 302


@pytest.mark.parametrize("admin", ["/admin/", "/django-admin/"])
def test_admin_logins_cannot_skip_two_factor_sign_in(client, demo, make_user, admin):
    officer = make_user(email="mfa@example.org", groups=[roles.CONSULTATION_OFFICERS])
    TOTP.activate(officer, generate_totp_secret())
    response = client.get(f"{admin}login/?next={admin}")
    assert response["Location"] == f"/accounts/login/?next={admin}"
    posted = client.post(f"{admin}login/", {"username": "mfa@example.org", "password": PASSWORD})
    assert posted["Location"].startswith("/accounts/login/")
    assert not client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_a_signed_in_parent_opening_the_admin_gets_a_page_not_a_redirect_loop(
    client, home_page, make_user, path
):
    client.force_login(make_user(email="parent@example.org"))
    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This area is for council staff" in html
    assert 'href="/accounts/email/"' in html and 'href="/"' in html
    assert client.get("/accounts/logout/").status_code == 200  # signing out still works


def test_staff_still_reach_the_admin(client, home_page, make_user, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(make_user(email="officer@example.org", groups=[roles.CONSULTATION_OFFICERS]))
    assert client.get("/admin/").status_code == 200
    # Django's admin is for is_staff only: an officer without it gets the page, not a loop either.
    assert client.get("/django-admin/").status_code == 403


@pytest.mark.parametrize(
    ("path", "heading", "not_wanted"),
    [
        ("/accounts/email/", "Your email addresses", ["Make Primary", "Re-send Verification"]),
        ("/accounts/logout/", "Sign out", ["Sign Out"]),
        ("/accounts/password/change/", "Change your password", ["Change Password", "New Password"]),
    ],
)
def test_account_pages_use_the_service_design_and_plain_english(
    client, home_page, make_user, path, heading, not_wanted
):
    client.force_login(make_user(email="parent@example.org"))
    html = client.get(path).content.decode()
    assert re.search(rf"<title>{heading} – Parent Voice</title>", html)
    assert re.search(rf'<h1 class="govuk-heading-l">\s*{heading}\s*</h1>', html)
    assert "govuk-service-navigation" in html and "govuk-footer" in html
    assert "placeholder=" not in html
    for wording in not_wanted:
        assert wording not in html


def test_the_sign_in_page_promises_only_what_exists(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    assert "bookings and answers in one place" not in html
    assert "Accounts are for council staff" in html
    assert 'href="/keep-me-informed/"' in html
    main = html[html.index("<main") : html.index("</main>")]
    assert "/accounts/password/reset/" in main
    assert not re.search(r"<a (?![^>]*class=)", main)  # allauth's hint links are GOV.UK links too
