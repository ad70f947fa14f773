"""Local development and `make demo`: SQLite, console email, the database task queue."""

from .base import *

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-parent-voice")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Demo logins work straight away; set STAFF_MFA_REQUIRED=true to try the enforced authenticator flow.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)

# The demo's outbox provider signs its simulated webhooks with this token.
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", "demo-twilio-auth-token")
SMS_SIMULATOR_ENABLED = env_bool("SMS_SIMULATOR_ENABLED", True)
SMS_SIMULATOR_ANY_NUMBER = True  # the demo only: elsewhere the simulator uses drama numbers only
SMS_SERVICE_NUMBER = env("SMS_SERVICE_NUMBER", "+447700900000")  # a drama number: the simulator stands in
# Off, so template and code changes show at once; PAGE_CACHE=true to try it (X-Cache: hit or miss).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", False)

try:
    from .local import *
except ImportError:
    pass
