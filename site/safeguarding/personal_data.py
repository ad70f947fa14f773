"""What this app holds about a person, registered with parentvoice.privacy for subject access and erasure.

Cases are found by the person's address in their text or notes. They are listed for the officer on
screen but never put in the person's download (a case may be about them, written by someone else, and
telling them could put a child at risk), and the apps whose texts are screened show WITHHELD in
place of any held text in their rows (`withhold_held`). Erasure keeps a case (a safeguarding record is kept for its own period, see
RETAIN_CASES_DAYS) and replaces the address in its text, reason and notes by "[removed]"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parentvoice.privacy.registry import Subject, register_personal_data
from parentvoice.privacy.services.subjects import redact_field, rows, text_q

from .models import Case, CaseAction, HeldText

WITHHELD = "[withheld]"


def withhold_held(kind: str, found: list[dict], *text_fields: str) -> list[dict]:
    """`found` (rows with an "id" of `kind`) with each held record's free text replaced by WITHHELD:
    words under safeguarding review are for the safeguarding lead to disclose or not."""
    held = set(
        HeldText.objects.filter(
            source_kind=kind, source_id__in=[row["id"] for row in found], case__released=False
        ).values_list("source_id", flat=True)
    )
    for row in found:
        if row["id"] in held:
            row.update({field: WITHHELD for field in text_fields if row.get(field)})
    return found


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
    in_download=False,
)
