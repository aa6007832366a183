"""The volume set's programme (core.volume)."""

import random

from django.utils.text import slugify

from bouwplaats.core.volume import PROGRAMME_SLUG

from .demo import THEMES
from .models import Programme, Theme


def clear() -> None:
    Programme.objects.filter(slug=PROGRAMME_SLUG).delete()


def load(*, scale: float, rng: random.Random) -> None:
    """Create the programme the volume sessions, lists and knowledge belong to."""
    programme = Programme.objects.create(
        slug=PROGRAMME_SLUG,
        name="Leerplatform Bereikbaarheid (productievolume)",
        summary="Leerplatformsessies, webinars en cursussen op productievolume.",
        description="Sessies, kennis en vragen van het hele werkveld, op productievolume.",
        period_note="Doorlopend",
    )
    themes = [Theme.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0] for n in THEMES]
    programme.themes.set(themes)
