"""Count every stored row: a refused write must leave the count unchanged."""

from django.db import connection

UNCOUNTED = {"bouwplaats_cache", "django_session"}
"""Tables a request may write whatever it is refused: the cache table and sessions."""


def row_count() -> int:
    """Return the number of rows in every table but UNCOUNTED (one statement; test-only SQL)."""
    tables = [t for t in connection.introspection.table_names() if t not in UNCOUNTED]
    quote_name = connection.ops.quote_name
    sql = " + ".join(f"(SELECT COUNT(*) FROM {quote_name(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return cursor.fetchone()[0]
