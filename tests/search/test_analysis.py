"""The analysis both databases index: pinned stems, compound parts, safe terms."""

import re

import pytest

from bouwplaats.search.analysis import STEMMER_ALGORITHM, analyse_word, split_compound, terms
from bouwplaats.search.query import fts5_expression, parse, tsquery_expression

#: Stems of Snowball's Dutch Porter algorithm (PyStemmer 3.1.0). Kraaij-Pohlmann, Snowball's
#: newer "dutch", stems several of these differently ("opgaven" → "opgaaf", "gemeenten" →
#: "meen"): a changed algorithm or package fails here before it changes what is found.
PINNED = {
    "bewoner": "bewoner",
    "bewoners": "bewoner",
    "opgave": "opgav",
    "opgaven": "opgav",
    "transitie": "transitie",
    "gemeente": "gemeent",
    "gemeenten": "gemeent",
    "woningen": "woning",
    "fietsen": "fiets",
    "geënt": "geent",
    "samenwerking": "samenwerk",
    "verankering": "veranker",
    "duurzaamheid": "duurzam",
    "ontwikkelingen": "ontwikkel",
    # Our two rules after the algorithm: "-ies" → "-ie", a doubled final consonant undoubled.
    "transities": "transitie",
    "bruggen": "brug",
    "lessen": "les",
    "les": "les",
}


def test_the_algorithm_is_dutch_porter():
    assert STEMMER_ALGORITHM == "dutch_porter"


@pytest.mark.parametrize(("word", "stem"), PINNED.items())
def test_pinned_stems(word, stem):
    assert analyse_word(word)[0] == stem


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("transitieopgaven", ("transitie", "opgaven")),
        ("energietransitie", ("energie", "transitie")),
        ("stadsvernieuwing", ("stads", "vernieuwing")),
        ("wijkaanpak", ("wijk", "aanpak")),
        ("programmamanagement", ("programma", "management")),
        # Common words are not taken apart, nor split off suffixes.
        ("bijeenkomst", ()),
        ("gesprekken", ()),
        ("werkzaamheden", ()),
        ("bewoners", ()),
    ],
)
def test_compound_parts(word, parts):
    assert split_compound(word) == parts


def test_parts_are_indexed_beside_the_whole_word():
    assert terms("Transitieopgaven") == "transitieopgav transitie opgav"
    assert analyse_word("stadsvernieuwing") == ("stadsvernieuw", ("stad", "vernieuw"))


def test_terms_are_plain_ascii_for_both_databases():
    text = "Øresund 北京 café naïef ﬁets x²; e-mail: a@b.nl 2026-12-15 " + "a" * 500
    for term in terms(text).split():
        assert re.fullmatch(r"[a-z0-9]{1,60}", term), term


def test_stop_words_are_dropped():
    assert terms("de en van het") == ""
    assert not parse("de en van het")


@pytest.mark.parametrize(
    "q", ['"', "NEAR(a b)", "a AND b OR NOT c", "-x", "{title_terms}: x", "x*", "'; --", "^a"]
)
def test_expressions_hold_only_quoted_terms(q):
    query = parse(q)
    fts5 = fts5_expression(query)
    tsq = tsquery_expression(query)
    assert re.fullmatch(r'(\(|\)|"[a-z0-9]+"| AND | OR )*', fts5), fts5
    assert re.fullmatch(r"(\(|\)|'[a-z0-9]+'| & | \| )*", tsq), tsq


def test_every_term_of_a_word_starts_with_two_letters_of_the_word():
    # tokens_holding skips the words that break this for no query term.
    import wordfreq

    from bouwplaats.search.analysis import GLOSSARY, analyse_word, fold

    words = [*GLOSSARY, *list(wordfreq.get_frequency_dict("nl", "large"))[:20_000]]
    broken = [
        (word, term)
        for word in words
        for term in analyse_word(word)[0:1] + analyse_word(word)[1]
        if fold(word) and term[:2] not in fold(word)
    ]
    assert broken == []


def test_tokens_holding_finds_what_tokens_finds_and_analyses_only_candidates():
    from bouwplaats.search.analysis import analyse_word, tokens, tokens_holding

    text = (
        "De Transitieopgaven van bewoners: een zonnepanelenzuivelfabriek, de opgave "
        "en het kwartiermakerstraject, daarna weer de transitie van de wijk."
    )
    for wanted in [{"opgav"}, {"transitie", "wijk"}, {"bewoner"}, {"fiets"}, set()]:
        wanted = frozenset(wanted)
        expected = [t for t in tokens(text) if wanted.intersection(t.terms)]
        assert list(tokens_holding(text, wanted)) == expected, wanted
    analyse_word.cache_clear()
    assert [t.stem for t in tokens_holding(text, frozenset({"opgav"}))] == [
        "transitieopgav",
        "opgav",
    ]
    # Analysed: only the words holding "op" ("Transitieopgaven", "opgave"), not the
    # compounds without it.
    assert analyse_word.cache_info().misses == 2
