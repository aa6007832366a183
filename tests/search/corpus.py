"""Generated Dutch documents for the search's parity test and benchmark (deterministic).

Titles and bodies mix singular and plural forms, compounds and their parts, the way the
programmes write ("transitieopgaven", "opgave voor de transitie", "bewonersavond"), so that
stemming and compound parts matter. ``documents(n, seed)`` always gives the same documents.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bouwplaats.search.documents import MEMBER, PUBLIC, SearchDocument

# (singular, plural) nouns the programmes use.
NOUNS = [
    ("opgave", "opgaven"),
    ("bewoner", "bewoners"),
    ("gemeente", "gemeenten"),
    ("woning", "woningen"),
    ("wijk", "wijken"),
    ("transitie", "transities"),
    ("les", "lessen"),
    ("pilot", "pilots"),
    ("sessie", "sessies"),
    ("vraag", "vragen"),
    ("provincie", "provincies"),
    ("fiets", "fietsen"),
    ("weg", "wegen"),
    ("brug", "bruggen"),
    ("school", "scholen"),
    ("ondernemer", "ondernemers"),
    ("aanpak", "aanpakken"),
    ("kans", "kansen"),
    ("regio", "regio's"),
    ("ervaring", "ervaringen"),
    ("afspraak", "afspraken"),
    ("partner", "partners"),
    ("netwerk", "netwerken"),
    ("investering", "investeringen"),
]
# Compound modifiers and heads: "energie" + "transitie" = "energietransitie".
MODIFIERS = [
    "energie",
    "warmte",
    "mobiliteits",
    "klimaat",
    "woningbouw",
    "transitie",
    "programma",
    "kennis",
    "bewoners",
    "verkeers",
    "wijk",
    "fiets",
    "onderhouds",
    "gebieds",
]
HEADS = [
    ("opgave", "opgaven"),
    ("transitie", "transities"),
    ("aanpak", "aanpakken"),
    ("avond", "avonden"),
    ("plan", "plannen"),
    ("netwerk", "netwerken"),
    ("sessie", "sessies"),
    ("route", "routes"),
    ("veiligheid", "veiligheid"),
    ("ontwikkeling", "ontwikkelingen"),
    ("management", "management"),
    ("team", "teams"),
]
PLACES = ["Ede", "Utrecht", "Zwolle", "Arnhem", "Deventer", "Almere", "Gouda", "Tilburg"]
VERBS = ["bespreken", "delen", "leren", "verankeren", "plannen", "versnellen", "verbinden"]
ADJECTIVES = ["lokale", "regionale", "duurzame", "nieuwe", "gezamenlijke", "slimme", "betere"]
KINDS = ["session", "question", "answer", "lesson", "article", "work", "pilot", "call"]
THEMES = ["verankering", "mobiliteit", "energie", "wonen", "samenwerking", "klimaat"]
BASE = datetime(2026, 1, 1, tzinfo=UTC)


def _noun(rng: random.Random) -> str:
    return rng.choice(NOUNS)[rng.random() < 0.5]


def _compound(rng: random.Random) -> str:
    head = rng.choice(HEADS)[rng.random() < 0.5]
    return rng.choice(MODIFIERS) + head


def _sentence(rng: random.Random) -> str:
    pattern = rng.randrange(5)
    if pattern == 0:
        return f"De {_noun(rng)} in {rng.choice(PLACES)} {rng.choice(VERBS)} de {_compound(rng)}."
    if pattern == 1:
        return (
            f"Hoe {rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {_noun(rng)} hun {_compound(rng)}?"
        )
    if pattern == 2:
        head = rng.choice(HEADS)[0]
        return f"Een {head} voor de {rng.choice(MODIFIERS).rstrip('s')} met {_noun(rng)}."
    if pattern == 3:
        return f"Wij {rng.choice(VERBS)} {_compound(rng)} samen met {_noun(rng)} en {_noun(rng)}."
    adjective, place = rng.choice(ADJECTIVES).capitalize(), rng.choice(PLACES)
    return f"{adjective} {_noun(rng)} zoals {_compound(rng)} in {place}."


def _access(rng: random.Random) -> frozenset[str]:
    r = rng.random()
    if r < 0.6:
        return frozenset({PUBLIC})
    if r < 0.75:
        return frozenset({MEMBER})
    if r < 0.85:
        return frozenset({f"org:{rng.randrange(1, 6)}"})
    if r < 0.95:
        return frozenset({f"team:{rng.randrange(1, 6)}", "staff"})
    return frozenset({f"user:{rng.randrange(1, 50)}", "staff"})


def _filler_words() -> list[str]:
    """Return Dutch words by frequency rank (wordfreq, pinned), past the most common 100."""
    import wordfreq

    return [w for w in wordfreq.top_n_list("nl", 30_000)[100:] if w.isalpha()]


def _filler(rng: random.Random, words: list[str]) -> str:
    # Rank-weighted (Zipf-like) choice: everyday vocabulary around the programme's words.
    picked = [words[int(len(words) * rng.random() ** 2.5)] for _ in range(10)]
    return " ".join(picked).capitalize() + "."


def documents(n: int, *, seed: int = 14, words: tuple[int, int] = (20, 60), everyday: float = 0.0):
    """Yield ``n`` generated documents (object ids 1…n, kinds from KINDS); ``everyday`` is
    the share of body sentences of everyday Dutch words instead of the programme's."""
    rng = random.Random(seed)
    filler = _filler_words() if everyday else []
    for i in range(1, n + 1):
        title = f"{_compound(rng).capitalize()} en {_noun(rng)} in {rng.choice(PLACES)}"
        body_words = 0
        sentences = []
        while body_words < rng.randint(*words):
            use_filler = everyday and rng.random() < everyday
            sentence = _filler(rng, filler) if use_filler else _sentence(rng)
            sentences.append(sentence)
            body_words += len(sentence.split())
        kind = rng.choice(KINDS)
        yield SearchDocument(
            kind=kind,
            object_id=i,
            title=title,
            body=" ".join(sentences),
            url=f"/{kind}/{i}/",
            access=_access(rng),
            updated_at=BASE + timedelta(seconds=rng.randrange(0, 365 * 86400)),
            programme_id=rng.randrange(1, 6),
            themes=tuple(sorted(rng.sample(THEMES, rng.randrange(0, 3)))),
            boost=1.5 if kind == "answer" and rng.random() < 0.3 else 1.0,
        )


#: Queries with answers a substring scan misses: (query, the words a relevant document
#: holds). Plural queries for singular texts, compounds written apart, and the reverse.
NEEDLES = [
    ("gemeenten", "Een gemeente zoekt partners"),
    ("woningen", "De woning van de toekomst"),
    ("transitieopgaven", "Een opgave voor de transitie"),
    ("stadsvernieuwing", "Vernieuwing van de stad"),
    ("opgaven bewoners", "De opgave die een bewoner voelt"),
    ("wijkaanpakken", "Een aanpak voor de wijk"),
    ("energietransities", "De transitie naar nieuwe energie"),
    ("scholen", "Een school in de buurt"),
    ("bruggen", "Een brug over het water"),
    ("lessen", "Een les uit het verleden"),
]
