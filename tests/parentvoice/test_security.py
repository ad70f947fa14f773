import base64
import hashlib
import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def _csp(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_public_pages_send_a_strict_csp_naming_the_inline_script_by_its_hash(client, home_page):
    # By hash, not a nonce: a page from the public page cache is the same for everyone and must still
    # run it (parentvoice.page_cache).
    response = client.get("/")
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    scripts = re.findall(r"<script>(.*?)</script>", response.content.decode(), re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy["script-src"]
    assert "nonce" not in response["Content-Security-Policy"]
    assert "nonce=" not in response.content.decode()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_security_headers(client, demo):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_post_without_csrf_token_is_refused_with_a_plain_page(demo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Your session has ended" in response.content.decode()


def _production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    env.update(
        DJANGO_SETTINGS_MODULE="parentvoice.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="parentvoice.example.org",
        DATABASE_URL="sqlite:///:memory:",
        PUBLIC_BASE_URL="https://parentvoice.example.org",
        DEFAULT_FROM_EMAIL="parentvoice@example.org",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _load_settings(env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_load_with_every_required_variable():
    result = _load_settings(_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PUBLIC_BASE_URL"])
def test_production_settings_fail_loudly_on_a_missing_variable(missing):
    result = _load_settings(_production_env(**{missing: None}))
    assert result.returncode != 0
    assert f"Missing required environment variable(s): {missing}" in result.stderr


def test_production_settings_reject_a_short_secret_key():
    result = _load_settings(_production_env(SECRET_KEY="short"))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


def _staff_client(client, make_user, settings):
    from parentvoice.accounts import roles

    settings.STAFF_MFA_REQUIRED = False
    client.force_login(make_user(email="editor@example.org", groups=[roles.CONSULTATION_OFFICERS]))
    return client


def test_only_wagtail_preview_may_be_framed_and_only_by_the_site_itself(
    client, home_page, make_user, settings
):
    from parentvoice.models import StandardPage

    child = StandardPage(title="About us", slug="about-us", body=[])
    home_page.add_child(instance=child)
    staff = _staff_client(client, make_user, settings)
    edit_url = f"/admin/pages/{child.pk}/edit/"
    preview_url = f"{edit_url}preview/"
    posted = staff.post(
        preview_url,
        {"title": "About us, previewed", "slug": "about-us", "introduction": "", "body-count": "0"},
    )
    assert posted.json()["is_valid"] is True
    preview = staff.get(preview_url)
    assert preview.status_code == 200
    assert "About us, previewed" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert _csp(preview) == {"frame-ancestors": ["'self'"]}
    add_preview = staff.get(f"/admin/pages/add/parentvoice/standardpage/{home_page.pk}/preview/")
    assert add_preview["X-Frame-Options"] == "SAMEORIGIN"

    for response in (staff.get(edit_url), staff.get("/admin/"), staff.get("/")):
        assert response["X-Frame-Options"] == "DENY"
        assert _csp(response)["frame-ancestors"] == ["'none'"]


def test_a_path_that_only_looks_like_a_preview_is_not_framable(client, home_page):
    for path in ("/preview/", "/about-us/edit/preview/", "/admin/pages/1/edit/preview/extra/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY"
