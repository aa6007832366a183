"""Demo members: the people named in the seeds, with their functions and organisations."""

from allauth.account.models import EmailAddress

from .models import Organisation, OrganisationDomain, OrganisationMembership, User

DEMO_PASSWORD = "bouwplaats-demo"

ORGANISATIONS = [
    ("EMMA", Organisation.Kind.MARKTPARTIJ),
    ("Rijkswaterstaat", Organisation.Kind.RIJKSDIENST),
    ("Ministerie van Infrastructuur en Milieu", Organisation.Kind.MINISTERIE),
    ("Ministerie van Infrastructuur en Waterstaat", Organisation.Kind.MINISTERIE),
    ("Gemeente Deventer", Organisation.Kind.GEMEENTE),
    ("Gemeente Losser", Organisation.Kind.GEMEENTE),
    ("Gemeente Ede", Organisation.Kind.GEMEENTE),
    ("TU Delft", Organisation.Kind.KENNISINSTELLING),
]

# (email, name, function, organisation, staff)
PEOPLE = [
    ("jaco.pieper@demo.bouwplaats.nl", "Jaco Pieper", "Bouwmeester Beter Benutten",
     "Ministerie van Infrastructuur en Milieu", False),
    ("jens.vanderweele@demo.bouwplaats.nl", "Jens van der Weele", "Communicatieadviseur",
     "EMMA", False),
    ("esther.delange@demo.bouwplaats.nl", "Esther de Lange", "Programmamanager Goedopweg",
     "Rijkswaterstaat", False),
    ("elles.vanhappen@demo.bouwplaats.nl", "Elles van Happen", "Stakeholdermanager",
     "Ministerie van Infrastructuur en Milieu", False),
    ("diana.kool@demo.bouwplaats.nl", "Diana Kool", "Trekker Leerplatform MIRT, DGMo",
     "Ministerie van Infrastructuur en Waterstaat", False),
    ("jan.pluim@demo.bouwplaats.nl", "Jan Pluim", "Programma Leefomgeving",
     "Gemeente Deventer", False),
    ("robert.middelhuis@demo.bouwplaats.nl", "Robert Middelhuis", "Beheer openbare ruimte",
     "Gemeente Losser", False),
    ("beheer@demo.bouwplaats.nl", "Beheerder Bouwplaats", "Platformbeheerder", "", True),
]  # fmt: skip


def approve(user: User, organisation: Organisation, role: str = "member") -> None:
    """Make ``user`` a verified member of ``organisation`` (demo only; idempotent)."""
    OrganisationMembership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"status": OrganisationMembership.Status.APPROVED, "role": role},
    )


# A resident without an organisation: proposes initiatives, sees only the residents' map.
RESIDENT = ("bewoner@demo.bouwplaats.nl", "Bewoner Molenstraat", "")


def load() -> None:
    organisations = {}
    for name, kind in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind}
        )
    for email, name, function, organisation, staff in PEOPLE:
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": name,
                "function": function,
                "organisation": organisations.get(organisation),
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if organisation:
            approve(user, organisations[organisation])
    email, name, function = RESIDENT
    resident, created = User.objects.update_or_create(
        email=email, defaults={"full_name": name, "function": function, "organisation": None}
    )
    if created:
        resident.set_password(DEMO_PASSWORD)
        resident.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=resident, email=email, defaults={"verified": True, "primary": True}
    )
    # Addresses on ede.nl join Gemeente Ede at once.
    OrganisationDomain.objects.update_or_create(
        domain="ede.nl", defaults={"organisation": organisations["Gemeente Ede"], "verified": True}
    )
