"""Production: PostgreSQL, gunicorn behind a TLS-terminating proxy, an anymail ESP, Twilio.

Fails loudly at start-up when a required variable is missing.
"""

from .base import *

REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PUBLIC_BASE_URL", "DEFAULT_FROM_EMAIL"]
missing = [name for name in REQUIRED if not env(name)]
if missing:
    raise ImproperlyConfigured(
        "Missing required environment variable(s): " + ", ".join(missing) + ". See docs/configuration.md."
    )
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")

DEBUG = False
# Always on in production, whatever the environment says: every user who can reach an admin signs in
# with an authenticator app. `check --deploy` also refuses the demo's SMS outbox, missing Twilio or
# webhook secrets, the phone simulator and an unset TRUSTED_PROXY_COUNT (see docs/security.md).
STAFF_MFA_REQUIRED = True
CSRF_TRUSTED_ORIGINS = [WAGTAILADMIN_BASE_URL]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# An anymail ESP backend, e.g. anymail.backends.postmark.EmailBackend with ANYMAIL_POSTMARK_SERVER_TOKEN.
EMAIL_BACKEND = env("EMAIL_BACKEND", "anymail.backends.postmark.EmailBackend")
