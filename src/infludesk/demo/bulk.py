"""Raw batched inserts for the demo's high-volume tables (snapshots, posts, comments, clicks).

Why not ``bulk_create`` here: Django builds a model instance per row and compiles each value
through its field (about 100 microseconds a row), which makes ``--creators 100000`` (about 15
million rows) take most of an hour. These tables get plain tuples through ``executemany``
instead; values are adapted with the backend's own ``adapt_*`` operations so SQLite and
PostgreSQL store exactly what the ORM would. Only the demo generator may do this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

BATCH_ROWS = 5_000


def _defaults(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list[Any]]:
    """Columns the generator does not set, with their model defaults (adapted once), so a
    column added to a model later does not break the raw insert."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        if field.has_default():
            value = field.get_default()
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.null:
            value = None
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value in the demo")
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, values


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT rows (tuples in ``columns`` order, already adapted) in batches; returns the count.
    Columns not listed get their model default."""
    extra_columns, extra_values = _defaults(model, columns)
    all_columns = [*columns, *extra_columns]
    quote = connection.ops.quote_name
    # identifiers come from model metadata, never from input
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in all_columns),
        ", ".join(["%s"] * len(all_columns)),
    )
    total = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append((*row, *extra_values) if extra_values else row)
            if len(batch) >= BATCH_ROWS:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def adapt_datetime(value: dt.datetime) -> Any:
    """An aware datetime as the backend stores it (SQLite: UTC text; PostgreSQL: as is)."""
    return connection.ops.adapt_datetimefield_value(value)


def adapt_json(value: Any) -> Any:
    return connection.ops.adapt_json_value(value, None)


def datetime_adapter() -> Any:
    """``adapt_datetime`` bound to the current connection, for hot loops."""
    return connection.ops.adapt_datetimefield_value


def json_adapter() -> Any:
    ops = connection.ops
    return lambda value: ops.adapt_json_value(value, None)


def next_id(model: type[models.Model]) -> int:
    """The first free primary key (rows are then inserted with explicit ids)."""
    top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return int(top or 0) + 1


def reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit ids, move PostgreSQL's sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
