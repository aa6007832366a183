"""Plain multi-row INSERTs for the rows an upload writes by the thousand (works, pairs).

``QuerySet.bulk_create`` prepares every value of every row through the SQL compiler, which
was most of an upload's time; here each column's conversion is chosen once and the rows go
out as ``INSERT … VALUES (…), (…) RETURNING id`` in slices the database's parameter limit
allows. No signals are sent and ``save()`` is not called, as with ``bulk_create``; defaults
and ``auto_now`` values must be set on the objects already (``insert`` sets auto_now ones).
"""

from __future__ import annotations

import sqlite3

from django.db import connection, models
from django.utils import timezone

# Column types whose Python value the drivers (sqlite3, psycopg) take as it is.
PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def _converter(field: models.Field):
    if field.get_internal_type() in PLAIN:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _max_params() -> int:
    """Return how many values one statement may bind here."""
    if connection.vendor == "sqlite":
        # Django says 999 (SQLite before 3.32); the library in use tells its own bound.
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 30_000


def insert(model: type[models.Model], objs: list[models.Model], *, ids: bool = True) -> None:
    """Insert ``objs`` (unsaved, of ``model``) and, with ``ids``, set their primary keys.

    Values are read as ``bulk_create`` reads them (``attname``); ``auto_now`` and
    ``auto_now_add`` fields get one timestamp for all rows.
    """
    if not objs:
        return
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    names = [f.attname for f in fields]
    rows = [tuple(getattr(obj, name) for name in names) for obj in objs]
    found = insert_rows(model, names, rows, ids=ids)
    for obj, value in zip(objs, found, strict=False):
        setattr(obj, pk.attname, value)
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_rows(
    model: type[models.Model], names: list[str], rows: list[tuple], *, ids: bool = False
) -> list:
    """Insert ``rows`` (tuples of the fields ``names``, by attname) into ``model``'s table.

    Returns the new primary keys in order when ``ids`` (and the database returns them from
    a multi-row insert: SQLite ≥ 3.35, PostgreSQL), else an empty list.
    """
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in names]
    converters = [_converter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = _max_params()
    per_query = max(1, min(1000, limit // len(fields)))
    returning = ids and connection.features.can_return_rows_from_bulk_insert
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    found = []
    with connection.cursor() as cursor:
        for at in range(0, len(rows), per_query):
            part = rows[at : at + per_query]
            params = []
            for values in part:
                for value, convert in zip(values, converters, strict=True):
                    params.append(value if convert is None else convert(value))
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(part))}"
            if returning:
                cursor.execute(f"{sql} RETURNING {pk}", params)
                found.extend(value for (value,) in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return found


def update_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Set the fields ``names`` (by attname) of existing rows: each row is (pk, *values).

    One ``UPDATE … WHERE pk = %s`` sent for all rows at once (``executemany``): the
    CASE-per-field statement ``bulk_update`` compiles costs seconds per thousand works.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    converters = [_converter(f) for f in fields]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    params = [
        [
            *(
                v if convert is None else convert(v)
                for v, convert in zip(values, converters, strict=True)
            ),
            key,
        ]
        for key, *values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", params)
