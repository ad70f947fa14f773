"""Settings shared by every environment.

Anything secret or deployment-specific is read from the environment; `production.py` refuses to start
without the values it needs. See docs/configuration.md for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # Our apps first so their templates override allauth's, Django's form templates and Wagtail's.
    "parentvoice",
    "parentvoice.accounts",
    "parentvoice.safeguarding",
    "parentvoice.privacy",
    "messaging",
    "surveys",
    "forums",
    "feedback_loop",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.locales",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Provider webhooks (Twilio, the email provider) are answered here, skipping everything below.
    "messaging.webhooks.WebhookMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a cached public page skips everything below (docs/deployment.md).
    "parentvoice.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address only (/pl/...; English has no prefix), never from the browser,
    # so a page's address always gives the same page (docs/languages.md).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "parentvoice.http.FramingMiddleware",  # after the two above: see its docstring
    "allauth.account.middleware.AccountMiddleware",
    # Staff set up an authenticator app first; only then is "this area is not for you" shown.
    "parentvoice.accounts.middleware.StaffMFAMiddleware",
    "parentvoice.accounts.middleware.StaffOnlyAdminMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "parentvoice.urls"
WSGI_APPLICATION = "parentvoice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Every form (ours, allauth's) renders GOV.UK Frontend markup through these templates.
FORM_RENDERER = "parentvoice.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: web server and db_worker share the file, so every transaction takes the
    # write lock up front (BEGIN IMMEDIATE: a transaction that read first and then wanted to write
    # could not wait, it would fail at once with "database is locked"), waiting up to `timeout`
    # seconds for it, and readers run beside the writer (WAL). All Django's own options (docs/configuration.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every process: allauth's rate limits live here. Redis when configured,
# otherwise a database table (`manage.py createcachetable`, run by `make demo` and the deploy steps).
if env("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "parentvoice_cache",
        }
    }

# --- Public pages from a cache (parentvoice.page_cache, docs/deployment.md#public-pages-from-a-cache) ---
# Anonymous visitors' GETs of public pages, in a cache of their own (so filling it never pushes out the
# rate limits above): Redis when configured (recommended), otherwise another database table.
if env("REDIS_URL"):
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "parentvoice_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
# The longest a page is kept. Publishing anything purges the cache at once; this bounds only what
# changes without a publish (answers arriving while a published results page is up).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))
# The only query parameters a cached page may have (the public lists' filters and page numbers);
# an address with any other is served fresh.
PAGE_CACHE_QUERY_PARAMS = {
    "page", "district", "theme", "status", "year", "start_date", "end_date", "mode", "kind", "audience",
}  # fmt: skip

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # A forum's people (members, bookings) for its own coordinators only: forums/permissions.py.
    "forums.permissions.ForumPeopleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "parentvoice.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "parentvoice.accounts.mfa_adapter.MFAAdapter"
MFA_TOTP_ISSUER = env("SITE_NAME", "Parent Voice")
# Anyone who can reach the Wagtail admin must have an authenticator app set up first.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Abuse limits (docs/security.md) ---------------------------------------------------------
# How many proxies we run in front of the site (load balancer, nginx ...): each appends the address it
# was connected from to X-Forwarded-For, so the real client is that many entries from the end, and
# anything a client wrote in the header itself is ignored. Unset (None) trusts no proxy and counts
# REMOTE_ADDR, which behind a proxy is the proxy's own address. Required in production.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT")) if env("TRUSTED_PROXY_COUNT", "").strip() else None
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT or 0  # sign-in limits and ours see the same client

# Per action, allauth's rate format: "<amount>/<period>/<per>" rules joined by commas; per "ip" counts
# the client, per "key" the target named beside each action. RATE_LIMIT_<ACTION> overrides one, and
# an empty value turns that limit off. See parentvoice.ratelimit.
PUBLIC_RATE_LIMITS = {
    action: env(f"RATE_LIMIT_{action.upper()}", default)
    for action, default in {
        "answer": "30/h/ip",  # sending a consultation response from an open link
        "answer_step": "600/h/ip",  # each question page of an answer (kept in the session)
        "keep_me_informed": "10/h/ip",
        "answers_copy": "10/h/ip",  # emailing someone the answers they just sent (2 per response at most)
        "preferences": "20/h/ip,10/h/key",  # key: the person's preferences link
        "unsubscribe": "20/h/key",  # key: the link; not per ip, as one-click comes from mail providers
        "confirm": "20/h/ip,10/h/key",  # confirming an address from the link we sent; key: the link
        "join": "10/h/ip,100/h/key",  # key: the forum
        "book": "10/h/ip,100/h/key",  # key: the event
        "cancel": "10/h/ip,10/h/key",  # cancelling a booking or leaving a forum; key: the personal link
        "contact_forum": "5/h/ip,30/h/key",  # key: the forum
        "recipient": "5/h/key",  # key: an email address or mobile number entered in any public form
        "service_sms": "10/d/key",  # service texts (booking confirmations, codes) to one number a day
        "service_email": "20/d/key",  # service emails to one address a day
        "sms_help": "1/h/key",  # replies to HELP or INFO, per number
        "page_password": "10/h/ip,50/h/key",  # a password-protected page or document; key: its restriction
        "site_feedback": "5/h/ip",  # the beta banner's "Give feedback on this website" form
        "parent_page": "10/h/ip,3/h/key",  # a link to one's own page (/my-page/); key: the address
        "resume_link": "10/h/ip",  # "save and come back later": asking for a link, and using one
        "tell_us": "5/h/ip",  # the 'Tell us' form (/tell-us/)
    }.items()
}
# The most places (adults and children) one booking can take, and the most bookings an event's
# waiting list holds before further bookings are refused.
BOOKING_MAX_PLACES = int(env("BOOKING_MAX_PLACES", "10"))
BOOKING_WAITING_LIST_MAX = int(env("BOOKING_WAITING_LIST_MAX", "30"))
# A booking's personal link (see it, cancel it, add it to a calendar) stops working this many days
# after the event ends: after that it shows "This link does not work".
BOOKING_LINK_DAYS_AFTER_EVENT = int(env("BOOKING_LINK_DAYS_AFTER_EVENT", "28"))
# A link to a parent's own page (/my-page/) works once, for this many minutes after it was asked for.
PARENT_PAGE_LINK_MINUTES = int(env("PARENT_PAGE_LINK_MINUTES", "60"))

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("SITE_NAME", "Parent Voice")
WAGTAILADMIN_BASE_URL = env("PUBLIC_BASE_URL", "http://localhost:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # allauth owns passwords
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # staff email hashes are not sent to Gravatar

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        # `service`: messages someone is waiting for, ahead of campaign batches (messaging/tasks.py).
        "QUEUES": ["default", "sms", "email", "service"],
    }
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Parent Voice <parentvoice@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"], so any ESP is configured from the
# environment: ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_MAILGUN_API_KEY, ANYMAIL_WEBHOOK_SECRET ...
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")
}

# --- Text messages --------------------------------------------------------------------------
# "outbox" keeps every text on this machine (the demo); "twilio" sends through Twilio.
SMS_PROVIDER = env("SMS_PROVIDER", "outbox")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", "")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", "")
# The number parents text to answer consultations, shown on consultation pages (E.164).
SMS_SERVICE_NUMBER = env("SMS_SERVICE_NUMBER", TWILIO_FROM_NUMBER)
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", "")  # only to point the client at a local fake
TWILIO_TIMEOUT_SECONDS = float(env("TWILIO_TIMEOUT_SECONDS", "10"))
# Every text starts with this and every email is signed with it (PECR: sender identity).
MESSAGING_SENDER_NAME = env("MESSAGING_SENDER_NAME", "Kent Parent Voice")
# Inbound texts that arrive while the database is down are kept here until `process_inbound_spool`
# handles them (docs/messaging.md): on persistent disk, private to the app's user.
INBOUND_SPOOL_DIR = Path(env("INBOUND_SPOOL_DIR", str(BASE_DIR / "var" / "inbound-spool")))
# "TELL <message>" by text is an open feedback entry ('Tell us', docs/tell-us.md).
TELL_US_KEYWORD = env("TELL_US_KEYWORD", "TELL").upper()
# How long the link that confirms an email address or mobile number works (double opt-in).
CONFIRMATION_LINK_HOURS = int(env("CONFIRMATION_LINK_HOURS", "72"))
# Requests to be told what was decided about an anonymous consultation are held and released together,
# in random order, at the next boundary of this many minutes (so no time pairs one with a response).
FOLLOW_RELEASE_MINUTES = int(env("FOLLOW_RELEASE_MINUTES", "30"))
# A staff-only page that texts the service through the real, signed inbound webhook (demo, staging).
SMS_SIMULATOR_ENABLED = env_bool("SMS_SIMULATOR_ENABLED", False)
# Only in the demo (dev settings) may the simulator use any number; otherwise only Ofcom's drama numbers.
SMS_SIMULATOR_ANY_NUMBER = False

# --- You said, we did -----------------------------------------------------------------------
# A 'You said' item with no published decision this many weeks after its consultation closed (or its
# meeting was held) is flagged as overdue on the feedback dashboard and in the weekly digest.
FEEDBACK_DECISION_DUE_WEEKS = int(env("FEEDBACK_DECISION_DUE_WEEKS", "12"))
# A consultation closed this long without its results published is flagged to officers.
RESULTS_DUE_WEEKS = int(env("RESULTS_DUE_WEEKS", "4"))

# --- The action plan, reach and reports (docs/action-plan.md, docs/reach.md, docs/reports.md) ---
# Every action not yet complete owes a progress report this many months after its last one (or after it
# started); past that it is flagged as overdue for a report.
ACTION_REPORT_INTERVAL_MONTHS = int(env("ACTION_REPORT_INTERVAL_MONTHS", "3"))
# A group is flagged as under-represented when its share of the people reached is below this fraction
# of its benchmark share (0.8: fewer than four in five of the people you would expect).
REACH_UNDER_REPRESENTED_RATIO = float(env("REACH_UNDER_REPRESENTED_RATIO", "0.8"))
# The open data API and CSV downloads (docs/open-data.md): requests each client may make, in the abuse
# limits' format (GETs count here, unlike the forms' limits); "" turns the limit off.
PUBLIC_RATE_LIMITS["open_data"] = env("RATE_LIMIT_OPEN_DATA", "300/h/ip")

# --- Safeguarding ---------------------------------------------------------------------------
# A new case must be reviewed within this many working days (weekends and England and Wales bank
# holidays do not count); past that it is escalated by email and shown as overdue.
SAFEGUARDING_REVIEW_WORKING_DAYS = int(env("SAFEGUARDING_REVIEW_WORKING_DAYS", "1"))
# Told to parents before they write free text: the children's services front door (Kent's by default).
SAFEGUARDING_FRONT_DOOR_PHONE = env("SAFEGUARDING_FRONT_DOOR_PHONE", "03000 41 11 11")
# Besides the leads, these addresses (comma-separated) are told when a new case is not reviewed in time.
SAFEGUARDING_ESCALATION_EMAILS = env("SAFEGUARDING_ESCALATION_EMAILS", "")

# --- Retention (docs/data-protection.md) ----------------------------------------------------
# A 'Tell us' entry sent by text loses its link to the sender's contact this many days after it came in.
RETAIN_OPEN_FEEDBACK_CONTACT_DAYS = int(env("RETAIN_OPEN_FEEDBACK_CONTACT_DAYS", "90"))
# Bookings (names, addresses, access needs) are anonymised this many days after the event.
RETAIN_BOOKINGS_DAYS = int(env("RETAIN_BOOKINGS_DAYS", "56"))
# Forum enquiries are deleted this many days after they arrived (the reply goes outside Parent Voice).
RETAIN_ENQUIRIES_DAYS = int(env("RETAIN_ENQUIRIES_DAYS", "56"))
# Texts received and text conversations: deleted this many days after a consultation's feedback is
# closed, and in any case this many days after they arrived.
RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED = int(env("RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED", "30"))
RETAIN_SMS_MAX_DAYS = int(env("RETAIN_SMS_MAX_DAYS", "365"))
# Responses lose their link to a contact this many days after the consultation's feedback is closed.
RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED = int(
    env("RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED", "90")
)
# Messages sent: the body and the address are wiped after this many days; status counts stay.
RETAIN_MESSAGE_DAYS = int(env("RETAIN_MESSAGE_DAYS", "180"))
# Contacts with no consent and no activity for this many days are erased.
RETAIN_INACTIVE_CONTACT_DAYS = int(env("RETAIN_INACTIVE_CONTACT_DAYS", str(3 * 365)))
# Website feedback: the email address for a reply is wiped after this many days.
RETAIN_SITE_FEEDBACK_EMAIL_DAYS = int(env("RETAIN_SITE_FEEDBACK_EMAIL_DAYS", "90"))
# Safeguarding cases: closed with no concern, deleted after this many days; any other outcome, the
# text and contact details are wiped after this many days (the referral itself is kept by the front door).
RETAIN_CASES_NO_CONCERN_DAYS = int(env("RETAIN_CASES_NO_CONCERN_DAYS", "365"))
RETAIN_CASES_DAYS = int(env("RETAIN_CASES_DAYS", str(6 * 365)))
# Unconfirmed address confirmations this long after they expired, and contact-import previews never
# imported this long after upload, are deleted.
RETAIN_ADDRESS_CONFIRMATIONS_DAYS = int(env("RETAIN_ADDRESS_CONFIRMATIONS_DAYS", "30"))
RETAIN_IMPORT_PREVIEWS_DAYS = int(env("RETAIN_IMPORT_PREVIEWS_DAYS", "30"))
# Subject access: the statutory deadline is one month from receipt.
SUBJECT_ACCESS_DUE_MONTHS = 1

# --- Phone numbers --------------------------------------------------------------------------
PHONENUMBER_DEFAULT_REGION = "GB"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# The languages pages can be translated into (docs/languages.md). Officers add the ones they publish in as
# locales in the admin (Settings > Locales); a council adds a language here, with its own name as people
# who read it write it. Urdu and Arabic are written right to left: pages in them are laid out that way.
LANGUAGES = [
    ("en-gb", "English"),
    ("pl", "Polski"),
    ("ne", "नेपाली"),
    ("ro", "Română"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("ur", "اردو"),
    ("ar", "العربية"),
]
# The one catalog per language of the service's own words (docs/languages.md); named here so that
# makemessages, run from the project root, writes every app's words into it.
LOCALE_PATHS = [BASE_DIR / "site" / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security headers -----------------------------------------------------------------------
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    # The Wagtail admin still uses inline scripts and styles, so it is left out of the strict policy.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        # The one inline script (base.html: GOV.UK's js-enabled class) by its hash, not a nonce, so a
        # cached page is the same for everyone and still runs it (tests/parentvoice/test_security.py).
        "script-src": [SELF, "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='", NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Logging: never personal data (no request bodies, no recipient addresses) ---------------
# Tokens in personal links never reach a log: the filter redacts them from request paths on the
# loggers that write paths (Django's request and runserver logs, gunicorn's access log when
# --access-logfile is on: it is written by the console handler) and on the console handler itself.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "parentvoice.log_filters.RedactTokens"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR", "filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "gunicorn.access": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "django_tasks": {"level": "WARNING"},
        # Its INFO lines are one per page laid out; its warnings (CSS it ignores) are not ours to fix.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
