"""A session store whose save can be made to fail, as when the database goes away for a moment after the
response is committed (tests/surveys/test_submission_key.py)."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import OperationalError


class SessionStore(DatabaseSessionStore):
    failing = False

    def save(self, must_create=False):
        if SessionStore.failing:
            raise OperationalError("the session could not be saved")
        super().save(must_create=must_create)
