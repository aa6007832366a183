"""Database helpers for the few writes that run on every request of a busy path."""

import functools

from django.db import connection, models


@functools.cache
def _insert_statement(model: type[models.Model], vendor: str) -> tuple[str, tuple]:
    """Return the INSERT statement of ``model`` and the fields it writes, in order."""
    qn = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(qn(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {qn(model._meta.pk.column)}"
    return sql, fields


def insert_one(instance: models.Model) -> models.Model:
    """Insert ``instance`` with one statement, set its primary key and return it.

    The same row as ``Model.objects.create()`` writes (``auto_now`` and ``auto_now_add``
    included), for models without a custom ``save()`` or save signals: the statement is built
    once per model instead of being compiled by the ORM on every call, which on the
    registration path cost more than the round trip to the database.
    """
    sql, fields = _insert_statement(type(instance), connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            instance.pk = cursor.fetchone()[0]
        else:
            instance.pk = cursor.lastrowid
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


@functools.cache
def _row_loader(model: type[models.Model], columns: tuple[str, ...], ops):
    """Return how a row with ``columns`` becomes a ``model`` instance (see fetch_one).

    Keyed on the connection's ``ops``: the converters are its bound methods, and each thread
    has a connection of its own.
    """
    by_column = {f.column: f for f in model._meta.concrete_fields}
    fields = [f for f in model._meta.concrete_fields if f.column in columns]
    positions = [columns.index(f.column) for f in fields]
    extra = [(name, i) for i, name in enumerate(columns) if name not in by_column]
    converters = []
    for i, name in enumerate(columns):
        if name in by_column:
            col = by_column[name].get_col(model._meta.db_table)
            found = ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((i, col, found))
    return [f.attname for f in fields], positions, extra, converters


def fetch_one(model: type[models.Model], sql: str, params: list) -> models.Model | None:
    """Return the first row of ``sql`` as a ``model`` instance, or None.

    Like ``Model.objects.raw()``: columns named after the model's fields fill them (the others
    stay deferred), other columns become attributes. What ``raw()`` works out from the cursor
    on every call is worked out once per model and column list here.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        columns = tuple(column[0] for column in cursor.description)
    names, positions, extra, converters = _row_loader(model, columns, connection.ops)
    values = list(row)
    for i, col, functions in converters:
        for function in functions:
            values[i] = function(values[i], col, connection)
    instance = model.from_db(connection.alias, names, [values[i] for i in positions])
    for name, i in extra:
        setattr(instance, name, values[i])
    return instance
