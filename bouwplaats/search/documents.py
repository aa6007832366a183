"""What an app contributes to the search: documents with their access keys.

Each app that has searchable records adds a module ``search_documents`` (found with
``bouwplaats.core.hooks.app_modules("search_documents")``, the way ``load_demo`` finds
``demo``), so the search imports no app. That module defines:

``KINDS: dict[str, str]``
    The document kinds it contributes, kind → translatable Dutch label for filters,
    e.g. ``{"question": _("Vraag"), "answer": _("Antwoord")}``. Kinds are unique over apps.

``def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterable[SearchDocument]``
    The current documents of ``kind`` (all of them when ``ids`` is None, used by the rebuild
    command; else those ids). An id that no longer exists, or a record that should no longer
    be found at all (e.g. deleted), is simply not yielded; the index then drops it.

``def viewer_keys(user) -> set[str]`` (optional)
    The access keys this app grants a user (anonymous included), e.g. a verified member of
    organisation 7 gets ``"org:7"``, a programme team member of programme 3 ``"team:3"``.
    The search unions every app's keys with ``{"public"}`` (and ``"member"`` for a logged-in
    user) and finds a document only when its ``access`` shares at least one key with them.

Keys in use (one meaning each, whichever app grants them): ``public``, ``member``,
``user:<id>``, ``staff`` (administrators), ``team:<programme id>`` (programme team),
``org:<organisation id>`` (verified member), ``participant:<session id>`` (confirmed
registration), ``planning:internal`` (may see non-public works).

``WATCH: dict[str, Callable[[Model], Iterable[tuple[str, int]]]]`` (optional)
    Models ("app_label.ModelName") whose save, delete or many-to-many change alters
    documents, each with a function giving the (kind, id) pairs an instance affects, e.g.
    ``{"events.Session": lambda s: [("session", s.pk)]}``. The search connects receivers for
    them at start-up (bouwplaats.search.signals), so apps need no calls in their services.

``def filter_labels() -> dict[str, dict]`` (optional)
    Names for the search filters: ``{"programme": {id: name}, "theme": {slug: name}}``.

Apps keep the index current by calling ``bouwplaats.search.services.search_index_refresh(
kind=…, ids=[…])`` inside the transaction that changed the record (the index row changes or
goes with it), or declare ``WATCH``; and ``manage.py search_rebuild`` rebuilds everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: Everyone, visitors included.
PUBLIC = "public"
#: Any logged-in account.
MEMBER = "member"


@dataclass(frozen=True)
class SearchDocument:
    """One searchable record as the index stores it.

    ``title`` and ``body`` are plain text (Markdown rendered to text by the provider);
    ``access`` holds the keys of who may find it (at least one); ``themes`` are theme slugs;
    ``boost`` multiplies the rank (1.0 normal; e.g. 1.5 for an accepted answer).
    """

    kind: str
    object_id: int
    title: str
    body: str
    url: str
    access: frozenset[str]
    updated_at: datetime
    programme_id: int | None = None
    themes: tuple[str, ...] = field(default_factory=tuple)
    boost: float = 1.0
