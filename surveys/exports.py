"""All responses of a consultation as CSV or Excel, streamed with constant memory: a chunk of
responses at a time (EXPORT_CHUNK), each merged row by row with its answers, read in one query
through the response index."""

import csv
import tempfile
from itertools import groupby
from operator import itemgetter

from django.db import connections
from django.db.models import Case, CharField, F, Func, TextField, Value, When
from openpyxl import Workbook

from parentvoice.plain_rows import plain_rows
from parentvoice.safeguarding.services import HELD_TEXT, held_ids
from parentvoice.text import clean_text, spreadsheet_safe

from . import services
from .blocks import EXPORT_COLUMNS
from .choices import QuestionType
from .models import Answer, Response
from .questions import OTHER_KEY
from .translations import english_name

FIXED_COLUMNS = list(EXPORT_COLUMNS)

# How an answer fills its question's cell.
_CHOICE, _CHOICES, _NUMBER, _TEXT = "choice", "choices", "number", "text"


def safe_cell(value):
    """Stop spreadsheet programs treating text that starts like a formula as a formula, and drop
    control characters (a text or an answer stored before they were cleaned on the way in): a
    spreadsheet cannot hold them, and openpyxl refuses to write one."""
    if not isinstance(value, str):
        return value
    return spreadsheet_safe(clean_text(value, multiline=True))


def header(schema):
    return FIXED_COLUMNS + [q.code for q in schema]


EXPORT_CHUNK = 2000  # responses per pair of queries: answers are read by response id, one chunk at a time
# A chunk whose ids span less than this many times its size reads its answers by id range.
DENSE = 2


class _LondonMinute(Func):
    """PostgreSQL: a time as London's clock showed it, to the minute ("2026-12-01 19:05"), made by the
    database as text. Loading a timestamp in Django's Python loader and formatting it cost more than
    the rest of the export's response row."""

    arg_joiner = " AT TIME ZONE "
    template = "to_char(%(expressions)s, 'YYYY-MM-DD HH24:MI')"
    output_field = CharField()

    def __init__(self, expression):
        super().__init__(expression, Value(services.LONDON.key))


def _when(completed_at):
    """The cell for a response's completion: London time to the minute."""
    if completed_at is None:
        return ""
    if isinstance(completed_at, str):  # made by the database (_LondonMinute)
        return completed_at
    return completed_at.astimezone(services.LONDON).strftime("%Y-%m-%d %H:%M")


def _chunks(page):
    """The consultation's responses in id order, EXPORT_CHUNK at a time, each with its answers
    (keyset pages: each query stands alone, so no cursor stays open between them)."""
    responses = Response.objects.filter(consultation=page).order_by("pk")
    if connections[responses.db].vendor == "postgresql":
        responses = responses.annotate(completed=_LondonMinute("completed_at"))
    else:
        responses = responses.annotate(completed=F("completed_at"))
    last = 0
    while True:
        chunk = list(
            responses.filter(pk__gt=last)[:EXPORT_CHUNK].values_list(
                "pk",
                "completed",
                "channel",
                "district__name",
                "parent_role",
                "ethnicity",
                "disability",
                "partner__name",
                "language",
            )
        )
        if not chunk:
            return
        yield chunk, _answers(page, [row[0] for row in chunk])
        last = chunk[-1][0]


def _answers(page, response_ids: list[int]):
    """The answers of these responses of the consultation, grouped by response in response order, as plain
    tuples (an export reads millions: see parentvoice.plain_rows)."""
    # A text held for safeguarding review (flagged, not released) reads HELD_TEXT in the cell. The
    # held ids are one uncorrelated subquery (read once, not once an answer: PostgreSQL costed the
    # correlated form high enough to JIT-compile every chunk's query).
    shown = Case(
        When(pk__in=held_ids("surveys.answer"), then=Value(HELD_TEXT)),
        default=F("text"),
        output_field=TextField(),
    )
    first, last = response_ids[0], response_ids[-1]
    if last - first < DENSE * len(response_ids):
        # Mostly this consultation's responses in the id range: the range, read through the response
        # index, is cheaper to send and plan than thousands of ids. The consultation is checked on
        # each row as an expression no index serves: SQLite without statistics would otherwise walk
        # the consultation's every answer by its own index.
        answers = Answer.objects.alias(of_consultation=F("consultation_id") + 0).filter(
            of_consultation=page.pk, response_id__gte=first, response_id__lte=last
        )
    else:
        # Spread thinly among other consultations' responses: by id, so their answers are not read.
        answers = Answer.objects.filter(response_id__in=response_ids)
    return list(
        plain_rows(
            answers.annotate(shown=shown)
            .order_by("response_id")  # grouped by response; ticked choices are put in order in rows()
            .values_list("response_id", "question_id", "choice_key", "shown", "number")
        )
    )


def rows(page):
    schema = services.schema_for(page)
    # Each question's column, how its answer fills the cell, and its labels: a label is the same in
    # every row, so it is cleaned and made spreadsheet-safe once here, not once a cell.
    cell_for = {}
    for index, q in enumerate(schema):
        if q.type == QuestionType.SINGLE_CHOICE:
            cell_for[q.id] = (index, _CHOICE, {key: safe_cell(label) for key, label in q.choices})
        elif q.type == QuestionType.MULTIPLE_CHOICE:
            # Ticked choices are listed in the question's order whatever order they were saved in
            # (the same ticks give the same cell, for filtering), then a choice removed from the
            # question since (rare: keys are locked once anyone has answered) by its key, "Other" last.
            place = {
                key: (position, clean_text(label, multiline=True))
                for position, (key, label) in enumerate(q.choices)
            }
            place[OTHER_KEY] = (len(q.choices) + 1, None)
            cell_for[q.id] = (index, _CHOICES, place)
        elif q.type in (QuestionType.SCALE, QuestionType.NUMBER):
            cell_for[q.id] = (index, _NUMBER, None)
        else:
            cell_for[q.id] = (index, _TEXT, None)
    width = len(schema)
    for chunk, answers in _chunks(page):
        by_response = groupby(answers, key=itemgetter(0))
        answered, group = next(by_response, (None, ()))
        for pk, completed_at, channel, district, role, ethnicity, disability, partner, language in chunk:
            cells = [""] * width
            # A response deleted between the two reads lets the answers' page reach one further.
            while answered is not None and answered < pk:
                answered, group = next(by_response, (None, ()))
            if answered == pk:
                multi = None
                for _, question_id, key, text, number in group:
                    spec = cell_for.get(question_id)
                    if spec is None:
                        continue
                    index, kind, labels = spec
                    if kind is _CHOICE:
                        label = labels.get(key)
                        cells[index] = safe_cell(key) if label is None else label
                    elif kind is _NUMBER:
                        cells[index] = number
                    elif kind is _TEXT:
                        cells[index] = safe_cell(text)
                    else:
                        if multi is None:
                            multi = {}
                        # A choice no longer in the question: after the others, before "Other".
                        position, label = labels.get(key) or (len(labels) - 1, key)
                        multi.setdefault(index, []).append(
                            (position, f"Other: {text}" if key == OTHER_KEY else label)
                        )
                if multi:
                    for index, values in multi.items():
                        cells[index] = safe_cell("; ".join(label for _, label in sorted(values)))
                answered, group = next(by_response, (None, ()))
            yield [
                pk,
                _when(completed_at),
                channel,
                district or "",
                role,
                ethnicity,
                disability,
                safe_cell(partner) if partner else "",
                english_name(language),
                *cells,
            ]


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
