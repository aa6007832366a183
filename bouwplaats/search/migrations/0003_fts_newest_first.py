"""SQLite: the FTS5 table keyed by minus the entry id, contentless.

FTS5 streams its matches in ascending rowid order cheaply but must load a term's whole
list to go backwards; with rowid = -id, "the newest-indexed first" is the cheap direction.
The text is never read back from FTS5 (snippets come from the entries), so the table keeps
no content; the triggers pass the old terms to its 'delete' command.
"""

from django.db import migrations

SQLITE = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, body_terms, content='', tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (-new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', -old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', -old.id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (-new.id, new.title_terms, new.body_terms);
    END""",
    """INSERT INTO search_fts(rowid, title_terms, body_terms)
        SELECT -id, title_terms, body_terms FROM search_entry""",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
