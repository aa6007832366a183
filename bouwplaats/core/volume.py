"""Production-volume data: each app may have a ``volume`` module, run in dependency order.

A ``volume`` module has ``clear()`` (delete the rows an earlier run made, recognised by the
markers below) and ``load(*, scale: float, rng: random.Random)``. ``volume_load`` clears in
reverse dependency order, then loads in dependency order: a second run replaces the first
(the same rows for the same seed and scale), it never adds to it. Rows go in with
``bulk_create`` in batches; each app keeps its own invariants (seat counts, stored pairs).

At ``scale`` 1.0 (issue 17): 10,000 sessions with 200,000 registrations, 100,000 newsletter
subscribers, 100,000 works in one region, 50,000 knowledge items and 50,000 questions.
"""

import random
import time
from collections.abc import Iterable, Iterator

from django.db import transaction

from .hooks import app_modules

# Every row of the volume set is recognised by one of these: members and subscribers by
# their address's domain, programmes and lists by slug, organisations by name prefix.
DOMAIN = "volume.bouwplaats.nl"
PROGRAMME_SLUG = "volume-leerplatform"
ORGANISATION_PREFIX = "Volume: "
BATCH = 2000

# Words from the seeds (/work/shared/seeds): the subjects of sessions, lessons and questions.
SUBJECTS = [
    "verankering van de Beter Benutten-werkwijze",
    "samenwerkingsverbanden na 2017",
    "opgaven verbinden: integraal, gebiedsgericht of opgavegericht werken",
    "binnenstedelijke gebiedstransformaties",
    "kennis verankeren in onderwijs en opleidingen",
    "pilotprojecten volgen en evalueren",
    "strategie en operatie in het beheer van de openbare ruimte",
    "slimme werk-met-werk-combinaties in de openbare ruimte",
    "het Kabels en Leidingen Informatie Portaal (KIP)",
    "coöperatief programmamanagement",
    "het MIRT-werkveld en de m.e.r.",
    "de bestuurlijke tafel en de stuurgroep",
    "bottom-up community en top-down overheid",
    "bereikbaarheid in de drukste gebieden",
    "participatie van bewoners en ondernemers",
    "de rol van de programmadirecteur",
    "kennis- en bewustwordingsdrijvers",
    "integrale planning van riolering, kabels en asfalt",
]
REGIONS = [
    "Brabant", "Utrecht", "Rotterdam-Den Haag", "Amsterdam", "Arnhem-Nijmegen", "Twente",
    "Groningen-Assen", "Zuid-Limburg", "Ede", "Zwolle",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Bram", "Diana", "Jaco", "Fatima", "Sanne", "Pieter", "Mohamed", "Eva", "Joost",
    "Ingrid", "Kees", "Lotte", "Ruud", "Yasmina", "Wouter", "Noor", "Hanneke", "Thijs", "Marieke",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Kool", "Pieper", "van den Berg", "Bakker", "El Amrani", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "van Dijk",
    "Dekker", "Brouwer", "Yılmaz",
]  # fmt: skip
FUNCTIONS = [
    "Programmamanager", "Beleidsmedewerker MIRT", "Projectleider", "Communicatieadviseur",
    "Planner wijkbeheer", "Adviseur bereikbaarheid", "Bouwmeester", "Gebiedsregisseur",
    "Netplanner", "Docent ruimtelijke ordening",
]  # fmt: skip


def count(full: int, scale: float, *, least: int = 1) -> int:
    """Return ``full`` × ``scale`` rounded, at least ``least``."""
    return max(least, round(full * scale))


def person(rng: random.Random) -> str:
    """Return a Dutch full name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    """Yield lists of at most ``size`` items."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(model, objs: Iterable, *, size: int = BATCH) -> list:
    """``bulk_create`` ``objs`` in batches of ``size``; return the created rows (with pks)."""
    created = []
    for batch in batched(objs, size):
        created.extend(model.objects.bulk_create(batch))
    return created


def volume_load(*, scale: float, seed: int, stdout=None) -> dict[str, float]:
    """Replace the volume set by a fresh one; return seconds per app.

    Every app draws from its own ``random.Random`` seeded by ``seed`` and its name, so an
    app's rows do not change when another app draws more or less.
    """
    modules = list(app_modules("volume"))
    seconds: dict[str, float] = {}
    with transaction.atomic():
        for _app, module in reversed(modules):
            module.clear()
        for app, module in modules:
            began = time.perf_counter()
            module.load(scale=scale, rng=random.Random(f"{seed}:{app}"))
            seconds[app] = round(time.perf_counter() - began, 2)
            if stdout is not None:
                stdout.write(f"volume: {app} ({seconds[app]} s)")
    return seconds
