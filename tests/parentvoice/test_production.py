"""Production fails closed: `check --deploy` refuses a configuration missing any secret or leaving a demo
switch on, and production forces staff two-factor sign-in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from messaging import checks as messaging_checks
from parentvoice import checks as site_checks
from parentvoice.accounts import checks as accounts_checks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_ready(settings):
    """Test settings changed to what a complete production configuration gives the checks."""
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "a-real-token"
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "0" * 32
    settings.TWILIO_FROM_NUMBER = ""
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": "user:password"}
    settings.SMS_SIMULATOR_ENABLED = False
    settings.SMS_SIMULATOR_ANY_NUMBER = False
    settings.STAFF_MFA_REQUIRED = True
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


CHECKS = [
    messaging_checks.check_sms_provider,
    messaging_checks.check_twilio_credentials,
    messaging_checks.check_email_webhook_secret,
    messaging_checks.check_phone_simulator,
    accounts_checks.check_staff_mfa,
    site_checks.check_trusted_proxy_count,
]


def _errors():
    return [error for check in CHECKS for error in check(None)]


def test_a_complete_production_configuration_passes(production_ready):
    assert _errors() == []


def test_zero_proxies_is_a_valid_explicit_count(production_ready):
    production_ready.TRUSTED_PROXY_COUNT = 0
    assert _errors() == []


def test_a_sender_number_instead_of_a_messaging_service_will_do(production_ready):
    production_ready.TWILIO_MESSAGING_SERVICE_SID = ""
    production_ready.TWILIO_FROM_NUMBER = "+447400000001"
    assert _errors() == []


@pytest.mark.parametrize(
    ("setting", "value", "error_id"),
    [
        ("SMS_PROVIDER", "outbox", "messaging.E001"),
        ("TWILIO_ACCOUNT_SID", "", "messaging.E002"),
        ("TWILIO_AUTH_TOKEN", "", "messaging.E002"),
        ("TWILIO_MESSAGING_SERVICE_SID", "", "messaging.E003"),  # and no TWILIO_FROM_NUMBER either
        ("ANYMAIL", {"POSTMARK_SERVER_TOKEN": "token"}, "messaging.E004"),
        ("ANYMAIL", {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": ""}, "messaging.E004"),
        ("SMS_SIMULATOR_ENABLED", True, "messaging.E005"),
        ("SMS_SIMULATOR_ANY_NUMBER", True, "messaging.E006"),
        ("STAFF_MFA_REQUIRED", False, "accounts.E001"),
        ("TRUSTED_PROXY_COUNT", None, "parentvoice.E001"),
        ("TRUSTED_PROXY_COUNT", -1, "parentvoice.E002"),
    ],
)
def test_each_missing_secret_or_demo_switch_is_an_error(production_ready, setting, value, error_id):
    setattr(production_ready, setting, value)
    errors = _errors()
    assert [error.id for error in errors] == [error_id]
    assert errors[0].is_serious()  # an error, not a warning: `check --deploy` exits non-zero


def test_the_checks_are_registered_as_deploy_checks_only(production_ready):
    from django.core.checks import registry

    deploy_only = registry.registry.get_checks(include_deployment_checks=True)
    always = registry.registry.get_checks(include_deployment_checks=False)
    for check in CHECKS:
        assert check in deploy_only and check not in always, check.__name__


# --- The real command, under the production settings ------------------------------------------


def _production_env(**overrides):
    names = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "PUBLIC_BASE_URL",
        "DEFAULT_FROM_EMAIL",
        "EMAIL_BACKEND",
        "SMS_PROVIDER",
        "SMS_SIMULATOR_ENABLED",
        "STAFF_MFA_REQUIRED",
        "TRUSTED_PROXY_COUNT",
    }
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in names and not k.startswith(("TWILIO_", "ANYMAIL_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="parentvoice.settings.production",
        SECRET_KEY="check-deploy-placeholder-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
        ALLOWED_HOSTS="parentvoice.example.org",
        DATABASE_URL="sqlite:///:memory:",
        PUBLIC_BASE_URL="https://parentvoice.example.org",
        DEFAULT_FROM_EMAIL="parentvoice@example.org",
        SMS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="placeholder",
        TWILIO_MESSAGING_SERVICE_SID="MG" + "0" * 32,
        ANYMAIL_WEBHOOK_SECRET="user:password",
        TRUSTED_PROXY_COUNT="1",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _run(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_with_every_production_variable_and_fails_without_the_webhook_secret():
    complete = _run(_production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert complete.returncode == 0, complete.stderr
    missing = _run(_production_env(ANYMAIL_WEBHOOK_SECRET=None), "check", "--deploy")
    assert missing.returncode != 0
    assert "messaging.E004" in missing.stderr and "ANYMAIL_WEBHOOK_SECRET" in missing.stderr


def test_production_forces_staff_mfa_whatever_the_environment_says():
    result = _run(
        _production_env(STAFF_MFA_REQUIRED="false"),
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


# --- Staff two-factor sign-in covers every admin, and no email hashes go to Gravatar -----------

MFA_SET_UP = "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
@pytest.mark.parametrize("admin", ["/django-admin/", "/django-admin/accounts/user/", "/admin/"])
def test_is_staff_alone_must_set_up_an_authenticator_app_for_any_admin(client, settings, make_user, admin):
    settings.STAFF_MFA_REQUIRED = True
    staff = make_user(email="staff-only@example.org", is_staff=True)  # no Wagtail role, not a superuser
    assert staff.can_access_admin
    client.force_login(staff)
    response = client.get(admin)
    assert response.status_code == 302 and response["Location"] == MFA_SET_UP


@pytest.mark.django_db
def test_is_staff_cannot_remove_their_only_authenticator_app(settings, make_user):
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    settings.STAFF_MFA_REQUIRED = True
    staff = make_user(email="staff-only@example.org", is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    assert get_adapter().can_delete_authenticator(Authenticator.objects.get(user=staff)) is False


@pytest.mark.django_db
def test_parents_are_not_asked_for_an_authenticator_app(make_user):
    assert not make_user(email="parent@example.org").can_access_admin
    assert not make_user(email="gone@example.org", is_staff=True, is_active=False).can_access_admin


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/admin/", "/admin/account/", "/admin/users/"])
def test_admin_pages_send_no_email_hash_to_gravatar(client, staff_login, page):
    staff_login(is_superuser=True, is_staff=True)
    response = client.get(page)
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()


def test_every_environment_variable_the_settings_read_is_documented():
    import re

    names = set()
    for path in (ROOT / "site" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:_bool|_list)?\(\s*\"([A-Z0-9_]+)\"", path.read_text()))
    assert {"SECRET_KEY", "TWILIO_AUTH_TOKEN", "SMS_PROVIDER"} <= names
    documented = (ROOT / "docs" / "configuration.md").read_text()
    assert sorted(name for name in names if f"| `{name}` |" not in documented) == []
    assert "| `ANYMAIL_WEBHOOK_SECRET` | yes |" in documented
