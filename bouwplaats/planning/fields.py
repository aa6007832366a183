"""Model fields of werk-met-werk that Django's own do not cover as the upload needs."""

from django.db import models


class WkbField(models.BinaryField):
    """A BinaryField (bytes; bytea on PostgreSQL) that bulk inserts send as one array.

    Django's PostgreSQL bulk insert sends each column as one array (``INSERT ... SELECT *
    FROM UNNEST(...)``) unless a field has ``get_placeholder``, which BinaryField has for
    MySQL's ``_binary %s`` only (PostgreSQL and SQLite use ``%s`` either way). With it, an
    upload's rows went as one parameter per value: 25,000 per INSERT of 1,000 works, the
    query text psycopg converted and PostgreSQL parsed per batch, about three times the
    time of the array form (bench/planning.py --import-only). Stored and migrated as a
    BinaryField (``deconstruct``): no database change.
    """

    @property
    def get_placeholder(self):
        # hasattr() is Django's test: an AttributeError here says "no placeholder of its own".
        raise AttributeError("get_placeholder")

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BinaryField", args, kwargs
