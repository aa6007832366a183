"""An entry's filter keys as full-text tokens: who may find it, its type, programme, themes.

The keys are stored with the entry (``Entry.keys``, space-separated) and indexed beside its
terms (SQLite: FTS5 column ``keys``; PostgreSQL: inside ``tsv`` and ``title_tsv``), so one
``MATCH``/``@@`` both finds and filters, and the database reads the matches a user may see
in rank order and stops after a page, without looking each match up in another table.

A token is ``<namespace>_<value>``, the value's UTF-8 bytes outside ``[a-z0-9]`` written as
``_`` and two hex digits (``org:7`` → ``acc_org_3a7``): one value, one token, and never a text
term (terms are ``[a-z0-9]+``, bouwplaats.search.analysis), so a word cannot pass a filter.

Everyone's key implies the members' one (a logged-in account may find what a visitor may):
a ``public`` entry holds ``acc_member`` too, and a member's query asks for ``acc_member``
without ``acc_public``. The full-text index then unites one large list of entries and a few
small ones (``user:``, ``org:``, ``team:``) instead of two large ones, which costs the most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .documents import MEMBER, PUBLIC

_KEPT = re.compile(rb"[a-z0-9]")

ACCESS = "acc"
KIND = "type"
PROGRAMME = "prog"
THEME = "theme"


def token(namespace: str, value: object) -> str:
    """Return the token of ``value`` (any string or number) in ``namespace``."""
    escaped = "".join(
        chr(b) if _KEPT.fullmatch(bytes([b])) else f"_{b:02x}" for b in str(value).encode()
    )
    return f"{namespace}_{escaped}"


def entry_keys(
    *, kind: str, access: Iterable[str], programme_id: int | None, themes: Iterable[str]
) -> str:
    """Return an entry's key tokens, space-separated and sorted (``Entry.keys``)."""
    tokens = {token(KIND, kind)}
    access = set(access)
    if PUBLIC in access:
        access.add(MEMBER)
    tokens.update(token(ACCESS, key) for key in access)
    tokens.update(token(THEME, slug) for slug in themes)
    if programme_id is not None:
        tokens.add(token(PROGRAMME, programme_id))
    return " ".join(sorted(tokens))


def access_tokens(keys: Iterable[str]) -> list[str]:
    """Return the access tokens to ask for, sorted, for the holder of ``keys`` (one of them
    must be in an entry's keys): ``public`` is left out beside ``member``, which it implies."""
    keys = set(keys)
    if MEMBER in keys:
        keys.discard(PUBLIC)
    return sorted(token(ACCESS, key) for key in keys)
