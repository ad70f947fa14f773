"""Subject access and erasure: everything held about one person, found through the apps' registrations
(parentvoice.privacy.registry), downloaded as a zip, or erased in one transaction.

Nothing here writes the person's address anywhere: the DataRequest keeps the kind of request, the
dates, who handled it and counts of records; the Wagtail log entry the same, without the address.

The helpers at the top (`rows`, `text_q`, `redact`, `redact_field`) are for the apps' personal_data
modules: JSON-ready rows, finding free text that holds an address, and replacing it by "[removed]".
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
import secrets
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from wagtail.log_actions import log

from parentvoice.phones import InvalidMobile, uk_mobile
from parentvoice.text import spreadsheet_safe

from ..models import DataRequest
from ..registry import Subject, personal_data

REMOVED = "[removed]"
NO_ADDRESS = "Enter an email address or a mobile number, or both"
NOT_AN_EMAIL = "Enter an email address in the correct format, like name@example.com"
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over the phone

# --- Helpers for the apps' personal_data modules -------------------------------------------------


def json_ready(value):
    """A value as JSON can hold it: dates ISO, phone numbers in +44 form, anything else as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if hasattr(value, "as_e164"):
        return value.as_e164
    return str(value)


def rows(queryset: QuerySet, *fields: str) -> list[dict]:
    """`queryset.values(*fields)` as JSON-ready dicts (a field "a__b" is named "a b" in the download)."""
    return [
        {name.replace("__", " "): json_ready(value) for name, value in row.items()}
        for row in queryset.values(*fields)
    ]


def mobile_forms(mobile: str | None) -> list[str]:
    """How a +44 mobile is written in free text, for database searches: "7700900123" (inside +44… and
    07…) "7700 900123" (inside "07700 900123") and "7700 900 123"."""
    if not mobile or not mobile.startswith("+44"):
        return [mobile] if mobile else []
    digits = mobile[3:]
    return [digits, f"{digits[:4]} {digits[4:]}", f"{digits[:4]} {digits[4:7]} {digits[7:]}"]


def text_q(field: str, subject: Subject) -> Q:
    """Rows whose `field` holds the subject's email or mobile, as typed by someone (case-insensitive)."""
    forms = ([subject.email] if subject.email else []) + mobile_forms(subject.mobile)
    query = Q(pk__in=[])
    for form in forms:
        query |= Q(**{f"{field}__icontains": form})
    return query


def _mobile_pattern(mobile: str) -> str:
    """+447700900123, 07700900123, 07700 900 123, +44 7700 900123, 447700900123: any spacing."""
    digits = mobile[3:]
    between = r"[\s\-]?"
    return r"(?:\+?44" + between + r"|0)" + between.join(re.escape(d) for d in digits)


def redact(text: str, subject: Subject) -> str:
    """`text` with every literal occurrence of the subject's email and mobile replaced by [removed]."""
    if not text:
        return text
    if subject.email:
        text = re.sub(re.escape(subject.email), REMOVED, text, flags=re.IGNORECASE)
    if subject.mobile and subject.mobile.startswith("+44"):
        text = re.sub(_mobile_pattern(subject.mobile), REMOVED, text)
    elif subject.mobile:
        text = text.replace(subject.mobile, REMOVED)
    return text


def redact_field(queryset: QuerySet, field: str, subject: Subject) -> int:
    """Redact the subject's addresses in `field` of every row that holds one; returns how many rows."""
    changed = 0
    for pk, value in queryset.filter(text_q(field, subject)).values_list("pk", field):
        new = redact(value, subject)
        if new != value:
            queryset.model.objects.filter(pk=pk).update(**{field: new})
            changed += 1
    return changed


def redact_json_field(queryset: QuerySet, field: str, subject: Subject) -> int:
    """The same for a JSON field (a Wagtail revision's content): each string in it is redacted."""
    changed = 0
    for pk, value in queryset.filter(text_q(field, subject)).values_list("pk", field):
        new = _redact_json(value, subject)
        if new != value:
            queryset.model.objects.filter(pk=pk).update(**{field: new})
            changed += 1
    return changed


def _redact_json(value, subject: Subject):
    if isinstance(value, str):
        return redact(value, subject)
    if isinstance(value, dict):
        return {key: _redact_json(item, subject) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_json(item, subject) for item in value]
    return value


# --- The subject -----------------------------------------------------------------------------------


def subject_from(email: str | None, mobile: str | None) -> Subject:
    """The person looked for, with the address normalised (email lower-cased, mobile in +44 form).
    ValueError with a message for the officer when neither is given or one is not valid."""
    email = (email or "").strip().lower() or None
    mobile = (mobile or "").strip() or None
    if not email and not mobile:
        raise ValueError(NO_ADDRESS)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValueError(NOT_AN_EMAIL)
    if mobile:
        try:
            mobile = uk_mobile(mobile)
        except InvalidMobile as error:
            raise ValueError(str(error)) from error
    return Subject(email=email, mobile=mobile)


def find_everything(subject: Subject) -> dict[str, list[dict]]:
    """{registered name: rows} for every kind of record, in the erasers' order."""
    return {entry.name: entry.find(subject) for entry in personal_data()}


def due_on(received_on: date) -> date:
    """The same day SUBJECT_ACCESS_DUE_MONTHS months on (the month's last day if it has no such day:
    31 January -> 28 February), as the ICO counts the calendar month."""
    months = received_on.month - 1 + settings.SUBJECT_ACCESS_DUE_MONTHS
    year, month = received_on.year + months // 12, months % 12 + 1
    return received_on.replace(
        year=year, month=month, day=min(received_on.day, calendar.monthrange(year, month)[1])
    )


def _new_reference() -> str:
    while True:
        reference = "DR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not DataRequest.objects.filter(reference=reference).exists():
            return reference


def _record(kind: str, user, received_on: date, counts: dict[str, int]) -> DataRequest:
    request = DataRequest.objects.create(
        kind=kind,
        reference=_new_reference(),
        received_on=received_on,
        due_on=due_on(received_on),
        completed_by=user if user is not None and user.is_authenticated else None,
        record_counts=counts,
    )
    action = "privacy.subject_access" if kind == DataRequest.Kind.ACCESS else "privacy.erasure"
    log(instance=request, action=action, user=user, data={"reference": request.reference, "counts": counts})
    return request


# --- Subject access --------------------------------------------------------------------------------

README = """What {sender} holds about you
Reference {reference}, made on {made_on}.

Each kind of record is in two files: a .json file (for computers) and a .csv file (opens in a
spreadsheet). A kind with no file means we hold nothing of that kind about you.

{kinds}

Dates and times are in ISO 8601 form (2026-12-01T21:38:14+00:00 is 21:38 UTC on 1 December 2026).
"""


def _csv(records: list[dict]) -> str:
    columns = list(dict.fromkeys(key for record in records for key in record))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for record in records:
        cells = []
        for column in columns:
            value = record.get(column)
            if isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False)
            cells.append(spreadsheet_safe("" if value is None else str(value)))
        writer.writerow(cells)
    return out.getvalue()


def export_zip(subject: Subject, user, received_on: date) -> tuple[bytes, DataRequest]:
    """The zip of everything held about the subject, and the DataRequest recording it (counts only)."""
    entries = [entry for entry in personal_data() if entry.in_download]
    found = {entry.name: entry.find(subject) for entry in entries}
    counts = {name: len(records) for name, records in found.items()}
    request = _record(DataRequest.Kind.ACCESS, user, received_on, counts)
    kinds = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            records = found[entry.name]
            if not records:
                continue
            filename = entry.name.replace(".", "-")
            archive.writestr(f"{filename}.json", json.dumps(records, indent=2, ensure_ascii=False))
            archive.writestr(f"{filename}.csv", _csv(records))
            kinds.append(f"- {filename}: {entry.label} ({len(records)})")
        archive.writestr(
            "README.txt",
            README.format(
                sender=settings.MESSAGING_SENDER_NAME,
                reference=request.reference,
                made_on=request.completed_at.date().isoformat(),
                kinds="\n".join(kinds) or "We hold nothing about you.",
            ),
        )
    return buffer.getvalue(), request


# --- Erasure ---------------------------------------------------------------------------------------


def erase_subject(subject: Subject, user, received_on: date) -> DataRequest:
    """Erase or anonymise everything held about the subject, every app's eraser in order (contacts
    last), in one transaction: all of it, or (on any error) none of it."""
    with transaction.atomic():
        counts = {entry.name: entry.erase(subject) for entry in personal_data()}
        return _record(DataRequest.Kind.ERASURE, user, received_on, counts)


def counts_total(counts: dict[str, int]) -> int:
    return sum(counts.values())


def labels() -> dict[str, str]:
    return {entry.name: entry.label for entry in personal_data()}


def non_empty(found: dict[str, list[dict]]) -> Iterable[str]:
    return [name for name, records in found.items() if records]
