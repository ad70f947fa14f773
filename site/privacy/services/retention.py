"""Retention: every app's rules (registered in its `retention.py`) run daily by `apply_retention`.

Each rule deletes or anonymises what is past its period and returns how many records that was. A run
is recorded as a RetentionRun with counts only, and logged with counts only: never a name, address
or text. Rules work in chunks of CHUNK ids, each chunk in its own transaction, so a large first run
never holds one long lock; and each rule selects only records not yet removed or anonymised, so a
second run finds nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import RetentionRun
from ..registry import retention_rules

logger = logging.getLogger(__name__)

CHUNK = 1000


def days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def in_words(days: int, after: str) -> str:
    """'8 weeks after the event', '1 year after it was received': a period for people to read."""
    if days % 365 == 0:
        n, unit = days // 365, "year"
    elif days % 7 == 0:
        n, unit = days // 7, "week"
    else:
        n, unit = days, "day"
    return f"{n} {unit}{'' if n == 1 else 's'} after {after}"


def in_chunks(
    queryset: QuerySet, action: Callable[[QuerySet], object], *, dry_run: bool, chunk: int = CHUNK
) -> int:
    """Apply `action` (delete, or an update that anonymises) to the records `queryset` selects, CHUNK
    ids at a time, each chunk in a transaction. Returns how many records (would) change."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            # The rule's own filter again, not just the ids: a record that stopped being due while
            # earlier chunks ran (a safeguarding case opened on it, new activity) is left alone.
            action(queryset.order_by().filter(pk__in=ids[start : start + chunk]))
    return len(ids)


def delete(queryset: QuerySet) -> None:
    queryset.delete()


def run_retention(now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Run every registered rule; returns {rule name: records deleted or anonymised (or that would be)}."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=timezone.now(), dry_run=dry_run)
    counts: dict[str, int] = {}
    for rule in retention_rules():
        counts[rule.name] = rule.apply(now, dry_run)
        logger.info(
            "Retention %s: %s %s", rule.name, counts[rule.name], "would change" if dry_run else "changed"
        )
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    return counts
