"""Exact running counts behind the results, so results pages read a few hundred rows however many people
answered.

A submit (web, text message, paper: all through `services.submit_response`) saves only the Response
and its Answers, marked not `counted`. `fold` counts the complete responses not counted yet into the
tallies and marks them counted, in one transaction: every reader calls it first (`read`, the results
page), so what anyone sees is exact, and a task folds every `FOLD_EVERY` responses so the first read
after a busy hour has little to do. Submitting stays as cheap as saving the rows.

Changes to counted responses go through here in the transaction that makes them:

- `changing(responses)` around anything that edits responses or answers in place (it takes the counted
  ones' counts away first and puts the new ones back after; the others are counted later as they are
  then), and `services.delete_responses` for deletions.

Counts are added with one INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count, in a
fixed row order so two PostgreSQL transactions never wait on each other in a circle; responses are
locked in id order for the same reason. Deleting a consultation deletes its tallies (the foreign key
cascades).

`counted(responses)` says what the tallies should hold for some responses, computed from the Answer
and Response rows with GROUP BY: `rebuild` and `differences` (the `rebuild_tallies` command) use it to
prove the running counts right, and tests compare the two after every kind of change.

What a row means: see `surveys.models.Tally`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Exists, QuerySet, Sum

from .choices import ResponseStatus
from .models import Answer, Response, Tally

# A question's respondents (people, not answers: one person may tick several boxes).
ANSWERED = "#answered"
# The sum of a question's numbers (number and scale questions), for means.
NUMBER_SUM = "#sum"

# Breakdowns of answers: the dimension's name and its column on Answer (the response's, copied).
ANSWER_DIMENSIONS = {
    "district": "district_id",
    "channel": "channel",
    "parent_role": "parent_role",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "language": "language",
}
# Breakdowns of respondents per question (reports by district).
ANSWERED_DIMENSIONS = {"district": "district_id"}
# Counts of whole responses: by channel and language (the results page), district (reach) and UK day.
RESPONSE_DIMENSIONS = {
    "channel": "channel",
    "language": "language",
    "district": "district_id",
    "day": "completed_on",
}

Key = tuple[int, str, str, str, str]  # consultation id, question id, choice key, dimension, value


def as_value(value: object) -> str:
    """A dimension's value as stored: "" when not known, a date as YYYY-MM-DD, ids as digits."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def response_counts(
    consultation_id: int, response_fields: dict, answer_rows: Iterable[tuple[str, str, int | None]]
) -> Counter[Key]:
    """What one response adds: `response_fields` holds the Response's dimension columns (by column
    name), `answer_rows` its answers as (question id, choice key, number)."""
    counts: Counter[Key] = Counter()
    values = {column: as_value(response_fields.get(column)) for column in DIMENSION_COLUMNS}
    counts[(consultation_id, "", "", "", "")] += 1
    for dimension, column in RESPONSE_DIMENSIONS.items():
        counts[(consultation_id, "", "", dimension, values[column])] += 1
    answered: set[str] = set()
    for question_id, key, number in answer_rows:
        counts[(consultation_id, question_id, key, "", "")] += 1
        for dimension, column in ANSWER_DIMENSIONS.items():
            counts[(consultation_id, question_id, key, dimension, values[column])] += 1
        if number is not None:
            counts[(consultation_id, question_id, NUMBER_SUM, "", "")] += number
        answered.add(question_id)
    for question_id in answered:
        counts[(consultation_id, question_id, ANSWERED, "", "")] += 1
        for dimension, column in ANSWERED_DIMENSIONS.items():
            counts[(consultation_id, question_id, ANSWERED, dimension, values[column])] += 1
    return counts


DIMENSION_COLUMNS = sorted(
    {*ANSWER_DIMENSIONS.values(), *RESPONSE_DIMENSIONS.values(), *ANSWERED_DIMENSIONS.values()}
)
# A task folds the tallies whenever a response's id is a multiple of this.
FOLD_EVERY = 50
# Responses counted per transaction by `fold` (their answers are held in memory meanwhile).
FOLD_CHUNK = 2000


def _waiting(consultation_ids: list[int]) -> QuerySet:
    """These consultations' complete responses not counted yet."""
    return Response.objects.filter(
        consultation_id__in=consultation_ids, counted=False, status=ResponseStatus.COMPLETE
    )


def fold(consultation_ids: Iterable[int]) -> int:
    """Count the complete responses of these consultations not counted yet into the tallies, and mark
    them counted. Returns how many. Two folds at once count each response once: the second waits for
    the first's locks, then finds those responses counted (PostgreSQL re-checks the condition; SQLite
    has one writer at a time)."""
    ids = list(consultation_ids)
    waiting_at_all = _waiting(ids)
    if not waiting_at_all.exists():  # the usual case for a reader: one indexed query, no transaction
        return 0
    folded = 0
    while True:
        with transaction.atomic():
            waiting = list(
                waiting_at_all.select_for_update()
                .order_by("pk")
                .values_list("pk", "consultation_id", *DIMENSION_COLUMNS)[:FOLD_CHUNK]
            )
            if not waiting:
                return folded
            response_ids = [row[0] for row in waiting]
            answers: dict[int, list[tuple[str, str, int | None]]] = {}
            for response_id, *row in (
                Answer.objects.filter(response_id__in=response_ids)
                .order_by()
                .values_list("response_id", "question_id", "choice_key", "number")
            ):
                answers.setdefault(response_id, []).append(tuple(row))
            counts: Counter[Key] = Counter()
            for response_id, page_id, *values in waiting:
                fields = dict(zip(DIMENSION_COLUMNS, values, strict=True))
                counts.update(response_counts(page_id, fields, answers.get(response_id, [])))
            apply(counts)
            Response.objects.filter(pk__in=response_ids).update(counted=True)
        folded += len(waiting)
        if len(waiting) < FOLD_CHUNK:
            return folded


def apply(counts: Counter[Key] | dict[Key, int], sign: int = 1) -> None:
    """Add `counts` (times `sign`) to the tallies, in the caller's transaction."""
    rows = sorted((key, sign * n) for key, n in counts.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    count = connection.ops.quote_name("count")
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in ("consultation_id", "question_id", "choice_key", "dimension", "value", "count")
    )
    conflict = ", ".join(
        connection.ops.quote_name(name)
        for name in ("consultation_id", "question_id", "dimension", "choice_key", "value")
    )
    # SQLite allows 32,766 parameters a statement: 5,000 rows of six stay well inside.
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), 5000):
            chunk = rows[offset : offset + 5000]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            # Only names from the model and placeholders go into the text; the values are parameters.
            upsert = f"INSERT INTO {table} ({columns}) VALUES {placeholders} ON CONFLICT ({conflict}) "  # noqa: S608
            cursor.execute(
                upsert + f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}",
                [part for key, n in chunk for part in (*key, n)],
            )


def counted(responses: QuerySet) -> Counter[Key]:
    """What the tallies should hold for these complete responses, from their rows (GROUP BY)."""
    responses = responses.filter(status=ResponseStatus.COMPLETE).order_by()
    # The responses' own registry's Answer, so a migration can count with its historical models.
    answer_model = responses.model._meta.apps.get_model("surveys", "Answer")
    answers = answer_model.objects.filter(response__in=responses.values("pk")).order_by()
    counts: Counter[Key] = Counter()
    for page_id, n in responses.values_list("consultation_id").annotate(n=Count("id")):
        counts[(page_id, "", "", "", "")] += n
    for dimension, column in RESPONSE_DIMENSIONS.items():
        for page_id, value, n in responses.values_list("consultation_id", column).annotate(n=Count("id")):
            counts[(page_id, "", "", dimension, as_value(value))] += n
    for page_id, question_id, key, n in answers.values_list(
        "consultation_id", "question_id", "choice_key"
    ).annotate(n=Count("id")):
        counts[(page_id, question_id, key, "", "")] += n
    for dimension, column in ANSWER_DIMENSIONS.items():
        for page_id, question_id, key, value, n in answers.values_list(
            "consultation_id", "question_id", "choice_key", column
        ).annotate(n=Count("id")):
            counts[(page_id, question_id, key, dimension, as_value(value))] += n
    for page_id, question_id, total in (
        answers.filter(number__isnull=False)
        .values_list("consultation_id", "question_id")
        .annotate(total=Sum("number"))
    ):
        counts[(page_id, question_id, NUMBER_SUM, "", "")] += total
    for page_id, question_id, n in answers.values_list("consultation_id", "question_id").annotate(
        n=Count("response_id", distinct=True)
    ):
        counts[(page_id, question_id, ANSWERED, "", "")] += n
    for dimension, column in ANSWERED_DIMENSIONS.items():
        for page_id, question_id, value, n in answers.values_list(
            "consultation_id", "question_id", column
        ).annotate(n=Count("response_id", distinct=True)):
            counts[(page_id, question_id, ANSWERED, dimension, as_value(value))] += n
    return Counter({key: n for key, n in counts.items() if n})


def stored(consultation_ids: Iterable[int]) -> Counter[Key]:
    """The running counts as they are, for these consultations (rows at zero left out)."""
    return Counter(
        {
            (page_id, question_id, key, dimension, value): n
            for page_id, question_id, key, dimension, value, n in Tally.objects.filter(
                consultation_id__in=list(consultation_ids)
            )
            .exclude(count=0)
            .values_list("consultation_id", "question_id", "choice_key", "dimension", "value", "count")
        }
    )


def differences(consultation_id: int) -> dict[Key, tuple[int, int]]:
    """{row: (running count, count from the answers)} wherever the two differ: empty when right.
    Responses waiting to be counted are counted first (that is the running count)."""
    fold([consultation_id])
    expected = counted(Response.objects.filter(consultation_id=consultation_id))
    actual = stored([consultation_id])
    return {
        key: (actual.get(key, 0), expected.get(key, 0))
        for key in sorted(set(expected) | set(actual))
        if actual.get(key, 0) != expected.get(key, 0)
    }


@transaction.atomic
def rebuild(consultation_id: int) -> dict[Key, tuple[int, int]]:
    """Recount a consultation's tallies from its answers; returns the differences found first. The
    responses are locked meanwhile (PostgreSQL), so a submit during the recount waits for it."""
    Tally.objects.select_for_update().filter(consultation_id=consultation_id).exists()
    found = differences(consultation_id)
    if found:
        Tally.objects.filter(consultation_id=consultation_id).delete()
        responses = Response.objects.filter(consultation_id=consultation_id)
        apply(counted(responses))
        responses.filter(status=ResponseStatus.COMPLETE, counted=False).update(counted=True)
    return found


def lock(responses: QuerySet) -> list[int]:
    """Lock these responses for the rest of the transaction (PostgreSQL; SQLite has one writer at a
    time) and return the ids of those still there, in id order so two lockers never wait in a circle."""
    ids = responses.order_by().values("pk")
    return list(
        Response.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    )


@contextmanager
def changing(responses: QuerySet) -> Iterator[list[int]]:
    """Around an edit of these responses or their answers (not adding or removing responses): the
    counted ones' counts are taken away before and their new ones added after, in one transaction
    (the others are counted later, as they are then). `responses` is evaluated to ids first, so the
    edit may change whatever the queryset filters on; yields those ids, locked, in id order."""
    with transaction.atomic():
        ids = lock(responses)
        in_tallies = Response.objects.filter(pk__in=ids, counted=True)
        apply(counted(in_tallies), sign=-1)
        yield ids
        apply(counted(in_tallies))
        # One no longer complete has no counts now: it is counted again if it is completed.
        in_tallies.exclude(status=ResponseStatus.COMPLETE).update(counted=False)


def take_away(responses: QuerySet) -> list[int]:
    """Before deleting these responses (in the caller's transaction): lock them and take the counted
    ones' counts away. Returns their ids, in id order."""
    ids = lock(responses)
    apply(counted(Response.objects.filter(pk__in=ids, counted=True)), sign=-1)
    return ids


def current(rows: QuerySet, consultation_ids: Iterable[int], fields: tuple[str, ...]) -> list[tuple]:
    """`rows` (a query on Tally) as tuples of `fields`, with every response of these consultations
    counted. One query when nothing is waiting: each row carries whether anything is (an uncorrelated
    EXISTS, worked out once); only then, or when there are no rows at all, `fold` and read again."""
    ids = list(consultation_ids)
    found = list(rows.annotate(waiting=Exists(_waiting(ids))).values_list(*fields, "waiting"))
    if (not found or found[0][-1]) and fold(ids):
        return list(rows.values_list(*fields))
    return [row[:-1] for row in found]


def read(consultation_ids: Iterable[int], dimension: str = "", value: object = "") -> dict:
    """{(consultation id, question id): {choice key: count}} for these consultations, overall or
    within one breakdown's `value` (a district's id, say). Question "" holds the responses (key ""),
    each question its choices plus ANSWERED (people) and NUMBER_SUM. One query (see `current`)."""
    consultation_ids = list(consultation_ids)
    table: dict = {}
    rows = Tally.objects.filter(
        consultation_id__in=consultation_ids, dimension=dimension, value=as_value(value) if dimension else ""
    )
    for page_id, question_id, key, n in current(
        rows, consultation_ids, ("consultation_id", "question_id", "choice_key", "count")
    ):
        table.setdefault((page_id, question_id), {})[key] = n
    return table


def forget_district(district_id: int) -> None:
    """A district being deleted: its responses become "not known" (the foreign key sets NULL), and so
    do its counts."""
    rows = Tally.objects.filter(dimension="district", value=str(district_id))
    moved = Counter(
        {
            (page_id, question_id, key, "district", ""): n
            for page_id, question_id, key, n in rows.values_list(
                "consultation_id", "question_id", "choice_key", "count"
            )
        }
    )
    rows.delete()
    apply(moved)
