"""Volume nieuwsflits list with its belangstellenden (core.volume)."""

import datetime
import random

from django.utils import timezone

from bouwplaats.core.volume import DOMAIN, PROGRAMME_SLUG, bulk, count, person
from bouwplaats.programmes.models import Programme

from .models import NewsletterList, Subscription

SUBSCRIBERS = 100_000
LIST_SLUG = "volume-nieuwsflits"


def clear() -> None:
    NewsletterList.objects.filter(slug=LIST_SLUG).delete()


def load(*, scale: float, rng: random.Random) -> None:
    """Create one list with confirmed subscribers (a few pending or unsubscribed)."""
    newsletter_list = NewsletterList.objects.create(
        programme=Programme.objects.get(slug=PROGRAMME_SLUG),
        name="Nieuwsflits Leerplatform Bereikbaarheid",
        slug=LIST_SLUG,
        description="Het laatste nieuws en de agenda van het leerplatform.",
    )
    now = timezone.now()
    rows = []
    for i in range(count(SUBSCRIBERS, scale)):
        since = now - datetime.timedelta(days=rng.randint(1, 2000))
        status = rng.choices(
            [Subscription.Status.CONFIRMED, Subscription.Status.PENDING,
             Subscription.Status.UNSUBSCRIBED], weights=[90, 5, 5],
        )[0]  # fmt: skip
        rows.append(
            Subscription(
                newsletter_list=newsletter_list,
                email=f"belangstellende{i:06d}@{DOMAIN}",
                name=person(rng),
                status=status,
                consent_at=since,
                consent_source="aanmeldformulier",
                confirmed_at=since if status != Subscription.Status.PENDING else None,
                unsubscribed_at=now if status == Subscription.Status.UNSUBSCRIBED else None,
            )
        )
    bulk(Subscription, rows, size=5000)
