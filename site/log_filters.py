"""Keep the tokens in personal links out of logs.

A signed token in a path (a booking, a membership, preferences, unsubscribe, a confirmation, an
invitation, allauth's password-reset and email-confirmation keys) is as good as the person's
password for that page. Django's request and server logs and gunicorn's access log would write the
path; `RedactTokens` replaces the token part with "[token]". It is wired in LOGGING (settings/base.py)
on those loggers and on the console handler."""

import logging
import re

# Each entry is the path up to the token, which runs to the next "/", space, quote or query string.
TOKEN_PATHS = (
    r"fora/membership",
    r"fora/bookings",
    r"my-page/open",
    r"confirm",
    r"preferences",
    r"unsubscribe",
    r"consultations/\d+/invitation",
    r"consultations/\d+/resume",
    r"accounts/password/reset/key",
    r"accounts/confirm-email",
)
TOKEN_IN_PATH = re.compile(r"(/(?:" + "|".join(TOKEN_PATHS) + r")/)[^/\s\"'?#]+")
REDACTED = "[token]"


def redact(text):
    return TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message with every token in a path replaced (keeps the record)."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the handler's to report
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
