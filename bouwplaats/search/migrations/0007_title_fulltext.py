"""Title hits from a full-text index of their own; public entries hold the members' key too.

SQLite: ``search_fts_title`` (``title_terms``, ``keys``; rowid as ``search_fts``) answers the
title tier: a column filter on ``search_fts`` reads every match of the words anywhere to find
the few in a title (with detail=column), this table only the titles. PostgreSQL has
``title_tsv`` with its own GIN index already.
Keys: ``public`` implies ``acc_member`` (bouwplaats.search.keys), so every entry's keys are
filled again and the full-text index rebuilt from them.
"""

import importlib

from django.db import migrations

before = importlib.import_module("bouwplaats.search.migrations.0006_keys_in_fulltext")

ROWID = before.ROWID
COLUMNS = "title_terms, body_terms, keys"
TITLE_COLUMNS = "title_terms, keys"


def _values(row: str, columns: str) -> str:
    return ", ".join(f"{row}.{c.strip()}" for c in columns.split(","))


SQLITE_DROP = [*before.SQLITE_DROP, "DROP TABLE IF EXISTS search_fts_title"]
TOKENIZE = """tokenize="unicode61 remove_diacritics 0 tokenchars '_'" """
SQLITE = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, content='', detail=column, {TOKENIZE})",
    f"""CREATE VIRTUAL TABLE search_fts_title USING fts5(
        {TITLE_COLUMNS}, content='', detail=column, {TOKENIZE})""",
    f"""CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        SELECT RAISE(ABORT, 'search entry id too large') WHERE new.id >= 2147483648;
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES ({ROWID.format(row="new")}, {_values("new", COLUMNS)});
        INSERT INTO search_fts_title(rowid, {TITLE_COLUMNS})
        VALUES ({ROWID.format(row="new")}, {_values("new", TITLE_COLUMNS)});
    END""",
    f"""CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', {ROWID.format(row="old")}, {_values("old", COLUMNS)});
        INSERT INTO search_fts_title(search_fts_title, rowid, {TITLE_COLUMNS})
        VALUES ('delete', {ROWID.format(row="old")}, {_values("old", TITLE_COLUMNS)});
    END""",
    f"""CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', {ROWID.format(row="old")}, {_values("old", COLUMNS)});
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES ({ROWID.format(row="new")}, {_values("new", COLUMNS)});
        INSERT INTO search_fts_title(search_fts_title, rowid, {TITLE_COLUMNS})
        VALUES ('delete', {ROWID.format(row="old")}, {_values("old", TITLE_COLUMNS)});
        INSERT INTO search_fts_title(rowid, {TITLE_COLUMNS})
        VALUES ({ROWID.format(row="new")}, {_values("new", TITLE_COLUMNS)});
    END""",
    f"""INSERT INTO search_fts(rowid, {COLUMNS})
        SELECT {ROWID.format(row="search_entry")}, {_values("search_entry", COLUMNS)}
        FROM search_entry""",
    f"""INSERT INTO search_fts_title(rowid, {TITLE_COLUMNS})
        SELECT {ROWID.format(row="search_entry")}, {_values("search_entry", TITLE_COLUMNS)}
        FROM search_entry""",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    drop = {"sqlite": SQLITE_DROP, "postgresql": before.POSTGRESQL_DROP}.get(vendor, [])
    for statement in drop:
        schema_editor.execute(statement)
    before.fill_keys(apps)
    for statement in {"sqlite": SQLITE, "postgresql": before.POSTGRESQL}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_keys_in_fulltext")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
