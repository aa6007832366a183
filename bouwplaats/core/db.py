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
