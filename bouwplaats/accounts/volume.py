"""Volume members and the organisations that own the volume works (core.volume)."""

import random

from django.contrib.auth.hashers import make_password

from bouwplaats.core.volume import DOMAIN, FUNCTIONS, ORGANISATION_PREFIX, bulk, count, person

from .models import Organisation, OrganisationMembership, User

MEMBERS = 20_000
ORGANISATIONS = [
    ("Gemeente Ede", Organisation.Kind.GEMEENTE),
    ("Liander", Organisation.Kind.NETBEHEERDER),
    ("Vitens", Organisation.Kind.NETBEHEERDER),
    ("Woonstede", Organisation.Kind.WONINGCORPORATIE),
]


def member_email(i: int) -> str:
    """Return the address of volume member ``i`` (0-based)."""
    return f"lid{i:06d}@{DOMAIN}"


def clear() -> None:
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    Organisation.objects.filter(name__startswith=ORGANISATION_PREFIX).delete()


def load(*, scale: float, rng: random.Random) -> None:
    """Create the members (no usable password) and one planner per organisation."""
    organisations = bulk(
        Organisation,
        (Organisation(name=f"{ORGANISATION_PREFIX}{name}", kind=kind, verified=True)
         for name, kind in ORGANISATIONS),
    )  # fmt: skip
    # One unusable password for all: hashing one per member would take minutes.
    unusable = make_password(None)
    users = bulk(
        User,
        (
            User(
                email=member_email(i),
                full_name=person(rng),
                function=rng.choice(FUNCTIONS),
                organisation=organisations[i] if i < len(organisations) else None,
                password=unusable,
            )
            for i in range(count(MEMBERS, scale, least=60))
        ),
    )
    bulk(
        OrganisationMembership,
        [
            OrganisationMembership(
                user=user, organisation=org, status=OrganisationMembership.Status.APPROVED
            )
            for user, org in zip(users, organisations, strict=False)
        ],
    )
