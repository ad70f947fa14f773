"""Settings for the test suite (pytest). DATABASE_URL picks PostgreSQL; SQLite otherwise."""

import re
import tempfile
from pathlib import Path

from .base import *

# --- General
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
WAGTAILADMIN_BASE_URL = "http://testserver"
STAFF_MFA_REQUIRED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploads made by tests (the demo's pictures and papers) never land in the checkout's media folder.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "parentvoice-test-media"
LOGGING["root"]["level"] = "WARNING"

# --- Performance
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache is off unless a test turns it on (tests/parentvoice/test_page_cache.py), or PAGE_CACHE=true
# runs the whole suite with it on (every test that changes something and looks again checks its purging).
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", False)
# The database queue, as in production, so run_after (pacing, retries) behaves for real;
# tests drain it with the `run_tasks` fixture.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "sms", "email", "service"],
    }
}
TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000000"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"  # noqa: S105
TWILIO_FROM_NUMBER = "+447400000001"
SMS_SERVICE_NUMBER = TWILIO_FROM_NUMBER
MESSAGING_SENDER_NAME = "Kent Parent Voice"
SMS_SIMULATOR_ENABLED = True

# --- Abuse limits: on, but far above what any test does; tests of the limits tighten them with `settings`.
PUBLIC_RATE_LIMITS = {
    action: re.sub(r"(^|,)\d+/", r"\g<1>10000/", rates) for action, rates in PUBLIC_RATE_LIMITS.items()
}

# --- Database: SQLite tests run in memory, one database per xdist worker (pytest-django adds a
# suffix to any other name, which would be a file path here).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
