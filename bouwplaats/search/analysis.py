"""Dutch text analysis for the search: tokens, one pinned stemmer, compound parts.

Both databases index the terms produced here without analysing them again (SQLite FTS5
``unicode61``, PostgreSQL ``to_tsvector('simple', …)``), so a query finds the same documents
on either. The terms are ASCII ``[a-z0-9]+`` only, which both tokenizers keep whole.

Stemmer: Snowball's Dutch *Porter* algorithm, ``dutch_porter`` of PyStemmer 3.1.0 (pinned in
pyproject.toml). Snowball 3.0 renamed it when ``dutch`` became Kraaij-Pohlmann, which stems
"opgave" and "opgaven" apart ("opgave", "opgaaf") and strips ``ge-`` ("gemeenten" → "meen");
Two rules of ours follow it (``stem``): "-ies" loses its "s" and a final doubled consonant is
undoubled, so "transities", "bruggen" and "lessen" meet their singulars.
tests/search/test_analysis.py pins stems so an upgrade cannot change them silently.

Compound parts: pyphen's ``nl_NL`` hyphenation patterns propose split points and wordfreq's
Dutch word list keeps the splits whose parts are words (Lucene's hyphenation decompounder);
``GLOSSARY`` overrides. The parts are indexed beside the whole word, so "transitieopgaven" is
found by "opgave", "transitie" and "transitieopgave".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import pyphen
import Stemmer
import wordfreq


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The Snowball algorithm; changing it changes every stored term (run ``search_rebuild``).
STEMMER_ALGORITHM = "dutch_porter"

#: Longest term kept (longer runs of letters are cut): keeps PostgreSQL's 2 KB lexeme limit
#: and the index size far away.
MAX_TERM_LENGTH = 60
#: Words shorter than this are never split; parts shorter than ``MIN_PART`` are never kept.
MIN_COMPOUND = 8
MIN_PART = 4
#: A part counts as a word when wordfreq's Zipf frequency for Dutch is at least this
#: (2.5: about once in 300 million words; lower lets in fragments such as "sitie").
MIN_ZIPF = 2.5
#: Words this common are lexicalised ("bijeenkomst", "medewerkers"): never split. Below
#: ``MAX_ZIPF_ANYWHERE`` a word may be split outside the hyphenation points too.
MAX_ZIPF_SPLIT = 4.3
MAX_ZIPF_ANYWHERE = 3.0
#: Linking sounds between compound parts ("stad-s-vernieuwing", "boek-en-kast").
LINKS = ("s", "en", "e")

#: Suffixes that hyphenation sets apart but that are no compound parts ("werkzaam-heden").
SUFFIXES = _wordset(
    "heid heden baar bare lijk lijke lijken schap schappen achtig achtige tje tjes ing ingen"
    " ling lingen"
)

#: Programme words whose parts the patterns or the word list get wrong: word → parts
#: (an empty tuple: never split).
GLOSSARY: dict[str, tuple[str, ...]] = {
    "werkmetwerk": ("werk", "met", "werk"),
    "programmamanagement": ("programma", "management"),
    "programmamanagers": ("programma", "managers"),
    "programmamanager": ("programma", "manager"),
    "samenwerking": (),
    "samenwerken": (),
    "gemeenten": (),
    "bewoners": (),
    "verankering": (),
}

#: Snowball's Dutch stop word list (snowballstem.org/algorithms/dutch/stop.txt): too common
#: to tell documents apart; dropped from documents and queries alike.
STOP_WORDS = _wordset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere
    """
)

_WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True)
class Token:
    """One word of a text: where it is (``start``/``end`` in the original string), its stem
    and the stems of its compound parts."""

    start: int
    end: int
    stem: str
    parts: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.stem, *self.parts)


@cache
def _stemmer():
    return Stemmer.Stemmer(STEMMER_ALGORITHM)


_DOUBLED = re.compile(r"([bdfgklmnprst])\1$")


def stem(word: str) -> str:
    """Return the folded stem of a lower-case ``word``: ``dutch_porter``, then two rules of
    ours for plurals it leaves apart from their singular ("transities" → "transitie" like
    "transitie"; "bruggen" → "brugg" → "brug" like "brug", "lessen" → "les")."""
    stemmed = fold(_stemmer().stemWord(word))
    if stemmed.endswith("ies") and len(stemmed) > 5:
        stemmed = stemmed[:-1]
    return _DOUBLED.sub(r"\1", stemmed)


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@cache
def _words() -> dict[str, float]:
    """Return the Dutch words frequent enough to be compound parts (wordfreq 'large') with
    their Zipf frequency (log10 of occurrences per 10^9 words)."""
    return {
        w: zipf
        for w, f in wordfreq.get_frequency_dict("nl", "large").items()
        if w.isalpha() and (zipf := math.log10(f) + 9) >= MIN_ZIPF
    }


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Return ``text`` lower-cased without diacritics ("Geënt" → "geent").

    Any other non-ASCII character becomes ``u`` and its hex code point, so that every term is
    ``[a-z0-9]+``: PostgreSQL's parser tells letters by the server's locale, FTS5 by Unicode.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(
        (c if c.isascii() else f"u{ord(c):x}")
        for c in decomposed
        if not unicodedata.combining(c) and c.isalnum()
    )


def _is_part(word: str) -> bool:
    if len(word) < MIN_PART or word in SUFFIXES:
        return False
    if word in _words():
        return True
    return any(word.endswith(link) and word[: -len(link)] in _words() for link in LINKS)


def _is_head(word: str) -> bool:
    return len(word) >= MIN_PART and word not in SUFFIXES and word in _words()


def _two_parts(word: str, points: list[int]) -> tuple[str, ...]:
    for i in points:
        if _is_part(word[:i]) and _is_head(word[i:]):
            return (word[:i], word[i:])
    return ()


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Return the parts of a folded word (fewest parts that are all words), or ``()``.

    Splits at pyphen's nl_NL hyphenation points (or one letter beside them), else, for two
    parts, anywhere; a part but the last may end in a linking sound ("stads-").
    """
    if word in GLOSSARY:
        return GLOSSARY[word]
    zipf = _words().get(word, 0.0)
    if len(word) < MIN_COMPOUND or not word.isalpha() or zipf >= MAX_ZIPF_SPLIT:
        return ()
    inside = set(range(MIN_PART, len(word) - MIN_PART + 1))
    # A compound's seam can sit one letter beside a hyphenation point ("wij-kaan-pak").
    points = sorted({p + d for p in _hyphenator().positions(word) for d in (0, -1, 1)} & inside)
    if parts := _two_parts(word, points):
        return parts
    for i in points:
        for j in points:
            if j - i >= MIN_PART:
                parts = (word[:i], word[i:j], word[j:])
                if _is_part(parts[0]) and _is_part(parts[1]) and _is_head(parts[2]):
                    return parts
    return _two_parts(word, sorted(inside)) if zipf < MAX_ZIPF_ANYWHERE else ()


def _parts_deep(word: str, depth: int = 2) -> Iterator[str]:
    """Yield the parts of ``word`` and, ``depth`` levels down, their parts ("woningbouw")."""
    for part in split_compound(word):
        yield part
        if depth > 1:
            yield from _parts_deep(part, depth - 1)


@lru_cache(maxsize=200_000)
def analyse_word(word: str) -> tuple[str, tuple[str, ...]]:
    """Return ``(stem, part stems)`` of one word as written (any case, diacritics)."""
    folded = fold(word)[:MAX_TERM_LENGTH]
    stemmed = stem(word.lower())[:MAX_TERM_LENGTH]
    parts: list[str] = []
    for part in _parts_deep(folded):
        for link in ("",) if part in _words() else LINKS:
            if link and part.endswith(link) and part[: -len(link)] in _words():
                part = part[: -len(link)]
                break
        part_stem = stem(part)
        if part_stem != stemmed and part_stem not in parts and part not in STOP_WORDS:
            parts.append(part_stem)
    return stemmed, tuple(parts)


def tokens(text: str) -> Iterator[Token]:
    """Yield the words of ``text`` that are not stop words, with their stems and parts."""
    for match in _WORD.finditer(text):
        word = match.group()
        if fold(word) in STOP_WORDS:
            continue
        stem, parts = analyse_word(word)
        yield Token(match.start(), match.end(), stem, parts)


def tokens_holding(text: str, wanted: frozenset[str]) -> Iterator[Token]:
    """Yield the tokens of ``text`` (as ``tokens``) that have a term in ``wanted``.

    A word is analysed only when its folded form contains the first two letters of a wanted
    term: each term of a word (its stem, its parts' stems) starts with two letters found in
    the folded word (checked for wordfreq's 120,000 most frequent Dutch words,
    tests/search/test_analysis.py), so the others cannot hold one, and analysing a word first
    seen (compound splitting) costs about 0.3 ms.
    """
    prefixes = {term[:2] for term in wanted}
    for match in _WORD.finditer(text):
        word = match.group()
        # A word of _WORD is letters or digits: in ASCII, folding only lower-cases it.
        folded = word.lower() if word.isascii() else fold(word)
        if folded in STOP_WORDS or not any(p in folded for p in prefixes):
            continue
        stem, parts = analyse_word(word)
        if stem in wanted or not wanted.isdisjoint(parts):
            yield Token(match.start(), match.end(), stem, parts)


def terms(text: str) -> str:
    """Return the indexed terms of ``text``: each word's stem, then its parts' stems."""
    return " ".join(term for token in tokens(text) for term in token.terms)
