"""Access, type, programme and theme keys inside the full-text index (``Entry.keys``).

One ``MATCH``/``@@`` then both finds and filters, and each database streams the matches a
user may see in rank order and stops after a page (before, each match in rank order was looked
up in the access and theme tables, which cost most of a query with a common word and a filter).

SQLite: the contentless FTS5 table gets a third column ``keys``; ``tokenchars '_'`` keeps a key
token (``acc_org_3a7``, bouwplaats.search.keys) whole (terms are ``[a-z0-9]+``, unchanged).
PostgreSQL: ``tsv`` and ``title_tsv`` hold the key tokens as they are (``array_to_tsvector``,
no parser), queried with ``::tsquery``.
"""

from collections import defaultdict

from django.db import migrations, models

from bouwplaats.search.keys import entry_keys

ROWID = "-((({row}.rank) << 31) | {row}.id)"
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, body_terms, keys, content='', detail=column,
        tokenize="unicode61 remove_diacritics 0 tokenchars '_'")""",
    f"""CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        SELECT RAISE(ABORT, 'search entry id too large') WHERE new.id >= 2147483648;
        INSERT INTO search_fts(rowid, title_terms, body_terms, keys)
        VALUES ({ROWID.format(row="new")}, new.title_terms, new.body_terms, new.keys);
    END""",
    f"""CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, keys)
        VALUES ('delete', {ROWID.format(row="old")}, old.title_terms, old.body_terms, old.keys);
    END""",
    f"""CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, keys)
        VALUES ('delete', {ROWID.format(row="old")}, old.title_terms, old.body_terms, old.keys);
        INSERT INTO search_fts(rowid, title_terms, body_terms, keys)
        VALUES ({ROWID.format(row="new")}, new.title_terms, new.body_terms, new.keys);
    END""",
    f"""INSERT INTO search_fts(rowid, title_terms, body_terms, keys)
        SELECT {ROWID.format(row="search_entry")}, title_terms, body_terms, keys
        FROM search_entry""",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_entry_tsv",
    "DROP INDEX IF EXISTS search_entry_title_tsv",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv, DROP COLUMN IF EXISTS title_tsv",
]
KEYS_TSV = "array_to_tsvector(string_to_array(keys, ' '))"
POSTGRESQL = [
    f"""ALTER TABLE search_entry
        ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
            strip(to_tsvector('simple'::regconfig, title_terms || ' ' || body_terms))
            || {KEYS_TSV}) STORED,
        ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (
            strip(to_tsvector('simple'::regconfig, title_terms)) || {KEYS_TSV}) STORED""",
    # Kept in the row (see 0005): checking a row's match never reads TOAST.
    "ALTER TABLE search_entry ALTER COLUMN tsv SET STORAGE MAIN,"
    " ALTER COLUMN title_tsv SET STORAGE MAIN",
    "CREATE INDEX search_entry_tsv ON search_entry USING gin (tsv)",
    "CREATE INDEX search_entry_title_tsv ON search_entry USING gin (title_tsv)",
]
BATCH = 2000


def fill_keys(apps) -> None:
    """Store every entry's key tokens (``Entry.keys``) from its access keys and themes."""
    Entry = apps.get_model("search", "Entry")
    Access = apps.get_model("search", "Access")
    Theme = apps.get_model("search", "Theme")
    access, themes = defaultdict(list), defaultdict(list)
    for entry_id, key in Access.objects.values_list("entry_id", "key").iterator():
        access[entry_id].append(key)
    for entry_id, slug in Theme.objects.values_list("entry_id", "slug").iterator():
        themes[entry_id].append(slug)
    batch = []
    for entry in Entry.objects.only("id", "kind", "programme_id").iterator():
        entry.keys = entry_keys(
            kind=entry.kind,
            access=access[entry.id],
            programme_id=entry.programme_id,
            themes=themes[entry.id],
        )
        batch.append(entry)
        if len(batch) >= BATCH:
            Entry.objects.bulk_update(batch, ["keys"])
            batch = []
    Entry.objects.bulk_update(batch, ["keys"])


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    # The old index goes first, so filling the keys does not rewrite it row by row.
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(statement)
    fill_keys(apps)
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_rank_order")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="keys",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
