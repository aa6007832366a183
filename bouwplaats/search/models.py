"""The search index: one row per document, narrow tables for who may find it and its themes.

The full-text index itself is per database and lives outside the ORM (migration 0006): a
contentless FTS5 table ``search_fts`` over ``title_terms``/``body_terms``/``keys`` on SQLite,
its rowid ordered by ``rank`` (kept in step by triggers); stored ``tsv`` (title, body and keys)
and ``title_tsv`` (title and keys) columns with GIN indexes on PostgreSQL. The searches filter
on the key tokens in the full-text index; ``Access`` and ``Theme`` keep the same keys readable.
"""

from django.db import models


class Entry(models.Model):
    """One searchable record of an app (``kind``, ``object_id``) as last indexed."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    title = models.TextField()
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    #: Analysed text (bouwplaats.search.analysis.terms): what the databases index.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    programme_id = models.BigIntegerField(null=True, blank=True)
    #: Access, type, programme and theme keys as tokens (bouwplaats.search.keys.entry_keys):
    #: indexed with the terms, so the text match filters too.
    keys = models.TextField(blank=True)
    boost = models.FloatField(default=1.0)
    updated_at = models.DateTimeField()
    #: Order key, higher first: ``updated_at`` in Unix seconds moved later by the boost
    #: (bouwplaats.search.ranking.entry_rank). Stored, so both databases read results in
    #: this order from an index and stop after a page.
    rank = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")
        ]
        indexes = [
            # Results in rank order, also within a type or a programme (a filter does not make
            # the database walk past the other types' or programmes' entries).
            models.Index(fields=["-rank", "-id"], name="search_entry_rank"),
            models.Index(fields=["kind", "-rank", "-id"], name="search_entry_kind_rank"),
            models.Index(fields=["programme_id", "-rank", "-id"], name="search_entry_prog_rank"),
            # Covers what the search reads of each match (SQLite looks entries up by id from
            # its full-text index), so the wide rows (text, terms) of entries not shown stay
            # closed.
            models.Index(
                fields=["id", "kind", "programme_id", "rank"],
                name="search_entry_narrow_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class Access(models.Model):
    """One key of who may find an entry (``public``, ``member``, ``org:7``, ``team:3``, …)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="access")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "key"], name="search_access_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Theme(models.Model):
    """One theme slug of an entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="themes")
    slug = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "slug"], name="search_theme_unique")
        ]
        indexes = [models.Index(fields=["slug", "entry"], name="search_theme_slug")]

    def __str__(self) -> str:
        return self.slug
