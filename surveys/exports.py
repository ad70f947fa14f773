"""All complete responses of a consultation as CSV or Excel, streamed with constant memory: two
ordered database cursors (responses, answers) merged row by row."""

import csv
import tempfile

from django.db.models import Case, Exists, F, OuterRef, TextField, Value, When
from openpyxl import Workbook

from parentvoice.safeguarding.services import HELD_TEXT, held_ids
from parentvoice.text import clean_text, spreadsheet_safe

from . import services
from .blocks import EXPORT_COLUMNS
from .choices import QuestionType
from .models import Answer, Response
from .questions import OTHER_KEY
from .translations import english_name

FIXED_COLUMNS = list(EXPORT_COLUMNS)


def safe_cell(value):
    """Stop spreadsheet programs treating text that starts like a formula as a formula, and drop
    control characters (a text or an answer stored before they were cleaned on the way in): a
    spreadsheet cannot hold them, and openpyxl refuses to write one."""
    if not isinstance(value, str):
        return value
    return spreadsheet_safe(clean_text(value, multiline=True))


def header(schema):
    return FIXED_COLUMNS + [q.code for q in schema]


def rows(page):
    schema = services.schema_for(page)
    column = {q.id: index for index, q in enumerate(schema)}
    labels = {q.id: dict(q.choices) for q in schema}
    kinds = {q.id: q.type for q in schema}
    responses = (
        Response.objects.filter(consultation=page)
        .order_by("pk")
        .values_list(
            "pk",
            "completed_at",
            "channel",
            "district__name",
            "parent_role",
            "ethnicity",
            "disability",
            "partner__name",
            "language",
        )  # fmt: skip
        .iterator(chunk_size=5000)
    )
    # A text held for safeguarding review (flagged, not released) reads HELD_TEXT in the cell.
    held = held_ids("surveys.answer").filter(source_id=OuterRef("pk"))
    answers = (
        Answer.objects.filter(consultation=page)
        .annotate(
            shown=Case(When(Exists(held), then=Value(HELD_TEXT)), default=F("text"), output_field=TextField())
        )
        .order_by("response_id", "pk")
        .values_list("response_id", "question_id", "choice_key", "shown", "number")
        .iterator(chunk_size=20000)
    )
    pending = next(answers, None)
    width = len(schema)
    for pk, completed_at, channel, district, role, ethnicity, disability, partner, language in responses:
        cells = [""] * width
        multi = {}
        while pending is not None and pending[0] <= pk:
            response_id, question_id, key, text, number = pending
            if response_id == pk and question_id in column:
                kind = kinds[question_id]
                if kind == QuestionType.MULTIPLE_CHOICE:
                    multi.setdefault(question_id, []).append(
                        f"Other: {text}" if key == OTHER_KEY else labels[question_id].get(key, key)
                    )
                elif kind in (QuestionType.SCALE, QuestionType.NUMBER):
                    cells[column[question_id]] = number
                elif kind == QuestionType.SINGLE_CHOICE:
                    cells[column[question_id]] = labels[question_id].get(key, key)
                else:
                    cells[column[question_id]] = text
            pending = next(answers, None)
        for question_id, values in multi.items():
            cells[column[question_id]] = "; ".join(values)
        when = completed_at.astimezone(services.LONDON).strftime("%Y-%m-%d %H:%M") if completed_at else ""
        profile = [
            district or "",
            role,
            ethnicity,
            disability,
            safe_cell(partner or ""),
            english_name(language),
        ]
        yield [pk, when, channel, *profile, *[safe_cell(c) for c in cells]]


class _Echo:
    def write(self, value):
        return value


def csv_chunks(page):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header(services.schema_for(page)))  # BOM so Excel reads UTF-8
    batch = []
    for row in rows(page):
        batch.append(writer.writerow(row))
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def xlsx_file(page):
    """Write the workbook row by row (openpyxl write-only mode) to a temporary file and return it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append(header(services.schema_for(page)))
    for row in rows(page):
        sheet.append(row)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


def filename(page, extension):
    from django.utils import timezone

    return f"{page.slug}-responses-{timezone.localdate():%Y-%m-%d}.{extension}"
