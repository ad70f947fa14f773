"""A case's life: due times in working days, actions, closing with an outcome, emails to leads.
(Filled in by the safeguarding queue work; these are the entry points services.py calls.)"""

from __future__ import annotations

from datetime import datetime, timedelta


def review_due_at(opened_at: datetime) -> datetime:
    return opened_at + timedelta(days=1)


def case_opened(case) -> None:
    """Email the leads (a link only, never the text)."""


def reopen(case, user, note: str = "") -> None:
    case.released = False
    case.status = "reviewing"
    case.save(update_fields=["released", "status"])
