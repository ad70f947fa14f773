"""Rows written by one parameterised INSERT ... RETURNING: for the hot path that saves every web, text
and paper response's answers. Django's bulk_create builds a model instance for each row and prepares
each value through several layers: about 1 ms for a response's fifteen answers on SQLite, against
0.2 ms for the same statement written here (bench/consultation_bench.py). The rows are what
bulk_create would write: each value goes through its field's `get_db_prep_save`, and a field left out
gets its default. Like bulk_create, no signals are sent and `save()` is not called."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import NotSupportedError, connections, router
from django.db.models import NOT_PROVIDED, DateField, Model


def insert_rows(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    returning: Sequence[str] = ("pk",),
    using: str | None = None,
) -> list[tuple]:
    """Insert `rows` (each a mapping of field attnames, `response_id` rather than `response`, to
    values) into `model`'s table and return the `returning` columns of each new row, as the database
    gives them (numbers and text need no conversion). Batched as bulk_create batches, within the
    caller's transaction."""
    if not rows:
        return []
    connection = connections[using or router.db_for_write(model)]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError(f"{connection.vendor} cannot return the rows an INSERT made")
    opts = model._meta
    fields = [field for field in opts.concrete_fields if field is not opts.auto_field]
    if any(isinstance(field, DateField) and (field.auto_now or field.auto_now_add) for field in fields):
        raise NotSupportedError(f"{opts.label} has a field set on save: use bulk_create")
    # The database fills these: writing a value (or the Python default) for them would be wrong.
    if any(field.generated or field.db_default is not NOT_PROVIDED for field in fields):
        raise NotSupportedError(f"{opts.label} has a field the database fills: use bulk_create")
    known = {field.attname for field in fields}
    for row in rows:
        if unknown := row.keys() - known:
            raise ValueError(f"{opts.label} has no fields {sorted(unknown)} (use attnames such as 'x_id')")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    returned = ", ".join(
        quote((opts.pk if name == "pk" else opts.get_field(name)).column) for name in returning
    )
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch_size = max(connection.ops.bulk_batch_size(fields, rows), 1)
    results = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            params = [
                # A default per row: a callable one (a fresh UUID, say) must differ from row to row.
                field.get_db_prep_save(
                    row[field.attname] if field.attname in row else field.get_default(), connection
                )
                for row in batch
                for field in fields
            ]
            values = ", ".join([one_row] * len(batch))
            # Only quoted names from the model's own options are formatted in; every value is a parameter.
            sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES {values} RETURNING {returned}"  # noqa: S608
            cursor.execute(sql, params)
            results += cursor.fetchall()
    return results
