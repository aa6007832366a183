"""The order of search results: one integer per entry, the same on every database.

A result's weight is ``boost × 2^(age / HALF_LIFE_DAYS)``, doubled when every query word is in
its title; the order compares the base-2 logarithm of that weight, in seconds:

- ``entry_rank``: ``updated_at`` in Unix seconds, moved later by ``HALF_LIFE_DAYS × log2(boost)``
  (an accepted answer's boost 1.5 counts as 427 days newer). It is stored with the entry
  (``Entry.rank``), so a database reads matches in rank order from an index and stops after a
  page, instead of ranking every match (no ``ts_rank``/``bm25``, which differ per database and
  read every match).
- ``TITLE_BONUS``: a title hit counts as ``HALF_LIFE_DAYS`` newer (its weight doubles); added
  when the two tiers (title hits, the rest) are merged.

Ties are broken by the entry id, newest indexed first, on both databases. A record keeps its
entry id when it is indexed again, also by ``search_rebuild``, so equal ranks keep their order.
"""

from __future__ import annotations

import math
from datetime import datetime

HALF_LIFE_DAYS = 730
_DAY = 86_400
TITLE_BONUS = HALF_LIFE_DAYS * _DAY
#: The rank fits 32 bits (SQLite's full-text rowid holds it above a 31-bit entry id).
MAX_RANK = 2**32 - 1


def entry_rank(updated_at: datetime, boost: float) -> int:
    """Return the stored order key (seconds, 0…MAX_RANK) of an entry; ``boost`` > 0."""
    shift = HALF_LIFE_DAYS * _DAY * math.log2(boost) if boost > 0 else -MAX_RANK
    return max(0, min(MAX_RANK, math.floor(updated_at.timestamp()) + round(shift)))
