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

BATCH_ROWS = 5_000


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT rows (tuples in ``columns`` order, already adapted) in batches; returns the count."""
    quote = connection.ops.quote_name
    # identifiers come from model metadata, never from input
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    total = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
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
