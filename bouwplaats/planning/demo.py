"""Demo from seed 003: Ede's KIP with its departments, Liander, Vitens and Woonstede."""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from bouwplaats.accounts.demo import DEMO_PASSWORD, approve
from bouwplaats.accounts.models import Organisation, User

from . import services
from .models import InterestZone

# (name, kind, public contact): the organisations' own general numbers and websites, as they
# publish them for residents (Ede's municipal number, the national gas and power outage number).
ORGANISATIONS = [
    ("Gemeente Ede", Organisation.Kind.GEMEENTE, "Telefoon 14 0318 of www.ede.nl"),
    ("Liander", Organisation.Kind.NETBEHEERDER,
     "Storing gas of stroom: 0800 9009 (gratis); www.liander.nl"),
    ("Vitens", Organisation.Kind.NETBEHEERDER, "Klantenservice 0800 0359 (gratis); www.vitens.nl"),
    ("Woonstede", Organisation.Kind.WONINGCORPORATIE, "www.woonstede.nl"),
]  # fmt: skip

# (email, name, function, organisation)
PLANNERS = [
    ("planner.ede@demo.bouwplaats.nl", "Planner Wijkbeheer Ede", "Planner wijkbeheer, KIP",
     "Gemeente Ede"),
    ("planner.liander@demo.bouwplaats.nl", "Planner Liander", "Netplanner regio Ede",
     "Liander"),
    ("planner.vitens@demo.bouwplaats.nl", "Planner Vitens", "Planner drinkwaterleidingen",
     "Vitens"),
    ("planner.woonstede@demo.bouwplaats.nl", "Planner Woonstede", "Projectleider nieuwbouw",
     "Woonstede"),
]  # fmt: skip


def _line(*points):
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def _area(*points):
    ring = [list(p) for p in points]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


# (organisation, department, external_id, title, kind, hindrance, status, public,
#  days from today to start, length in days, geometry)
WORKS = [
    # The obvious combination: the sewer and Liander's cable in the Molenstraat, 6 m apart.
    ("Gemeente Ede", "wijkbeheer", "KIP-WB-001", "Vervangen riolering Molenstraat",
     "riolering", "afsluiting", "gepland", True, 60, 90,
     _line((5.66180, 52.04420), (5.66420, 52.04480))),
    ("Liander", "", "LIA-2026-0412", "Vervangen middenspanningskabel Molenstraat",
     "kabels en leidingen", "rijstrook", "in voorbereiding", True, 120, 45,
     _line((5.66182, 52.04425), (5.66418, 52.04485))),
    # The heavy conflict: Vitens closes the Stationsweg while the crossing is rebuilt.
    ("Vitens", "", "VIT-ED-118", "Vernieuwen drinkwaterleiding Stationsweg",
     "kabels en leidingen", "afsluiting", "gepland", True, 20, 50,
     _line((5.65700, 52.03880), (5.66150, 52.04150))),
    ("Gemeente Ede", "verkeer", "KIP-VK-014", "Herinrichting kruispunt Stationsweg",
     "verkeer", "afsluiting", "in voorbereiding", True, 30, 30,
     _area((5.65880, 52.03940), (5.66000, 52.03940), (5.66000, 52.04030), (5.65880, 52.04030))),
    ("Woonstede", "", "WST-BERG-24", "Nieuwbouw 24 huurwoningen Bergstraat",
     "woningbouw", "beperkt", "gepland", True, 200, 300,
     _area((5.66800, 52.04700), (5.66900, 52.04700), (5.66900, 52.04760), (5.66800, 52.04760))),
    ("Gemeente Ede", "ruimtelijke projecten", "KIP-RP-007",
     "Vergroenen Bergstraat (klimaatadaptatie)", "groen", "rijstrook", "idee", True, 600, 60,
     _line((5.66790, 52.04770), (5.66950, 52.04780))),
    ("Gemeente Ede", "programmering", "KIP-PR-031", "Groot onderhoud asfalt Verlengde Maanderweg",
     "asfalt", "rijstrook", "gepland", True, 300, 21,
     _line((5.67200, 52.03300), (5.67800, 52.03600))),
    ("Gemeente Ede", "wijkbeheer", "KIP-WB-019", "Bewonersinitiatief geveltuinen Kerkstraat",
     "initiatief", "geen", "gepland", True, 45, 14,
     _line((5.66560, 52.04230), (5.66660, 52.04280))),
    ("Liander", "", "LIA-2026-0530", "Verzwaren netaansluiting Klinkenbergerweg",
     "kabels en leidingen", "beperkt", "idee", False, 240, 20,
     {"type": "Point", "coordinates": [5.65600, 52.04600]}),
    ("Vitens", "", "VIT-ED-090", "Vervangen brandkraan Molenstraat",
     "kabels en leidingen", "geen", "gereed", True, -60, 5,
     {"type": "Point", "coordinates": [5.66300, 52.04460]}),
]  # fmt: skip

CENTRE = _area((5.6550, 52.0370), (5.6750, 52.0370), (5.6750, 52.0490), (5.6550, 52.0490))


def _planners(organisations) -> dict[str, User]:
    planners = {}
    for email, name, function, organisation in PLANNERS:
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": name,
                "function": function,
                "organisation": organisations[organisation],
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        # Each demo planner is a verified member, and administrator, of their organisation.
        approve(user, organisations[organisation], role="admin")
        planners[organisation] = user
    return planners


def load() -> None:
    organisations = {}
    for name, kind, contact in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "contact": contact}
        )
    planners = _planners(organisations)
    today = timezone.localdate()
    for (org, department, external_id, title, kind, hindrance, status, public, offset, days,
         geometry) in WORKS:  # fmt: skip
        start = today + datetime.timedelta(days=offset)
        services.works_import(
            actor=planners[org],
            data={
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "owner": org,
                    "department": department,
                    "external_id": external_id,
                    "title": title,
                    "kind": kind,
                    "hindrance": hindrance,
                    "status": status,
                    "public": public,
                    "start": start.isoformat(),
                    "end": (start + datetime.timedelta(days=days)).isoformat(),
                    "contact": planners[org].email,
                },
            },
        )
    vitens = planners["Vitens"]
    if not InterestZone.objects.filter(member=vitens, name="Centrum Ede").exists():
        services.interest_zone_create(actor=vitens, name="Centrum Ede", geometry=CENTRE)
