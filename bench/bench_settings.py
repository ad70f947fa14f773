"""Settings for bench/ scripts: the test settings with a real database from BENCH_DATABASE_URL."""

import os

import dj_database_url

from parentvoice.settings.test import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": dj_database_url.parse(os.environ["BENCH_DATABASE_URL"], conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {  # as in the base settings
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Another SQLite backend to compare against Django's own (sms_bench.py's before-and-after runs):
    # the dotted name of a backend package on PYTHONPATH, kept outside the repository.
    DATABASES["default"]["ENGINE"] = os.environ.get("BENCH_SQLITE_ENGINE", DATABASES["default"]["ENGINE"])
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
WHITENOISE_USE_FINDERS = True
ROOT_URLCONF = os.environ.get("BENCH_URLCONF", "parentvoice.urls")
