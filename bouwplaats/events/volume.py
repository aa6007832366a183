"""Volume sessions and registrations (core.volume); seat counts kept as the services keep them."""

import datetime
import random

from django.utils import timezone

from bouwplaats.accounts.models import User
from bouwplaats.core.volume import DOMAIN, PROGRAMME_SLUG, REGIONS, SUBJECTS, bulk, count
from bouwplaats.programmes.models import Programme

from .models import Registration, Session

SESSIONS = 10_000
REGISTRATIONS = 200_000
CAPACITIES = [None, 15, 20, 25, 40, 60]
LOCATIONS = [
    "Ministerie van Infrastructuur en Waterstaat, Den Haag", "Stadhuis Ede",
    "Provinciehuis Utrecht", "Jaarbeurs Utrecht", "Rijkswaterstaat, Utrecht",
]  # fmt: skip


def clear() -> None:
    Session.objects.filter(programme__slug=PROGRAMME_SLUG).delete()


def _title(rng: random.Random, kind: str) -> str:
    label = Session.Type(kind).label
    subject = rng.choice(SUBJECTS)
    return f"{label} {rng.choice(REGIONS)}: {subject}"[:200]


def load(*, scale: float, rng: random.Random) -> None:
    """Create published sessions over two years around today, each with its registrations.

    Each session gets the same number of registrations (``REGISTRATIONS`` / ``SESSIONS``),
    confirmed up to its capacity and waitlisted beyond it, a few cancelled;
    ``seats_confirmed`` is the number confirmed (the invariant of events.services).
    """
    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    members = list(
        User.objects.filter(email__endswith=f"@{DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    n_sessions = count(SESSIONS, scale)
    per_session = min(len(members) - 1, count(REGISTRATIONS, scale) // n_sessions)
    kinds = list(Session.Type.values)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    sessions, attendees = [], []
    for _ in range(n_sessions):
        kind = rng.choice(kinds)
        start = now + datetime.timedelta(days=rng.randint(-365, 365), hours=rng.randint(-4, 4))
        capacity = rng.choice(CAPACITIES)
        online = kind == Session.Type.WEBINAR
        chosen = rng.sample(members, per_session + 1)
        statuses = []
        for _member in chosen[1:]:
            confirmed = sum(s == Registration.Status.CONFIRMED for s in statuses)
            if rng.random() < 0.05:
                statuses.append(Registration.Status.CANCELLED)
            elif capacity is None or confirmed < capacity:
                statuses.append(Registration.Status.CONFIRMED)
            else:
                statuses.append(Registration.Status.WAITLISTED)
        sessions.append(
            Session(
                programme=programme,
                type=kind,
                title=_title(rng, kind),
                intro="Een sessie van het leerplatform over " + rng.choice(SUBJECTS) + ".",
                goal="Ervaringen delen en samen de volgende stap bepalen.",
                audience="Programmamanagers, beleidsmedewerkers en projectleiders",
                host_id=chosen[0],
                start=start,
                end=start + datetime.timedelta(hours=rng.choice([1, 2, 3, 4])),
                location="" if online else rng.choice(LOCATIONS),
                online=online,
                online_url="https://vergadering.example.nl/sessie" if online else "",
                capacity=capacity,
                status=Session.Status.PUBLISHED,
                seats_confirmed=statuses.count(Registration.Status.CONFIRMED),
                created_by_id=chosen[0],
            )
        )
        attendees.append(list(zip(chosen[1:], statuses, strict=True)))
    sessions = bulk(Session, sessions, size=1000)
    bulk(
        Registration,
        (
            Registration(session=session, member_id=member, status=status, changed_by_id=member)
            for session, rows in zip(sessions, attendees, strict=True)
            for member, status in rows
        ),
    )
