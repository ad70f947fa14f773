"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Cases are found by the person's address in their text or notes. The apps whose texts are screened add
"cases about these records" to their own rows with `case_summaries(kind, ids)` (a case only names its
source by kind and id). Erasure keeps a case (a safeguarding record is kept for its own period, see
RETAIN_CASES_DAYS) and replaces the address in its text, reason and notes by "[removed]"."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import json_ready, redact_field, rows, text_q

from .models import Case, CaseAction


def case_summaries(kind: str, ids: Iterable[int]) -> dict[int, dict]:
    """{source id: the state of its case} for the records of `kind` that have one."""
    cases = Case.objects.filter(source_kind=kind, source_id__in=list(ids))
    return {
        source_id: {"status": status, "outcome": outcome, "opened_at": json_ready(opened_at)}
        for source_id, status, outcome, opened_at in cases.values_list(
            "source_id", "status", "outcome", "opened_at"
        )
    }


def _cases(subject: Subject) -> QuerySet:
    noted = CaseAction.objects.filter(text_q("note", subject)).values("case_id")
    return Case.objects.filter(text_q("text", subject) | text_q("flag_reason", subject) | Q(pk__in=noted))


def find_cases(subject: Subject) -> list[dict]:
    return rows(
        _cases(subject).order_by("opened_at", "id"),
        "id",
        "source_label",
        "text",
        "flag_reason",
        "arrived_at",
        "status",
        "outcome",
        "opened_at",
        "closed_at",
    )


def erase_cases(subject: Subject) -> int:
    changed = redact_field(Case.objects.all(), "text", subject)
    changed += redact_field(Case.objects.all(), "flag_reason", subject)
    return changed + redact_field(CaseAction.objects.all(), "note", subject)


register_personal_data(
    "safeguarding.cases",
    label="Safeguarding reviews of what you wrote",
    find=find_cases,
    erase=erase_cases,
    order=30,
    models=[Case, CaseAction],
)
