"""Demo verankering from the seeds: two regions' koffertjes of Beter Benutten (seed 000) and the
stakeholder field of coöperatief programmamanagement (seed 004), one path over three ratings."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from bouwplaats.accounts.models import Organisation, User
from bouwplaats.programmes.models import Programme, Region

from .models import (
    Direction,
    Koffertje,
    KoffertjeItem,
    Level,
    Stakeholder,
    StakeholderPerson,
    StakeholderRating,
)

BETER_BENUTTEN = "Beter Benutten"
COOPERATIEF = "Coöperatief programmamanagement"

E, S = KoffertjeItem.Element, KoffertjeItem.Status
# (region, organisations of the region, writer e-mail, items (element, text, owner, status))
KOFFERTJES = [
    (
        "Brabant",
        [("Provincie Noord-Brabant", Organisation.Kind.PROVINCIE)],
        None,
        [
            (E.SAMENWERKING, "Met een Taskforce verkennen wat de opties na 2017 zijn: met welke "
             "samenwerkingsverbanden gaat de regio door en hoe organiseren we dat?",
             "Taskforce Brabant", S.BESPROKEN),
            (E.WERKWIJZE, "De Beter Benutten-werkwijze: regio, Rijk en bedrijfsleven pakken de "
             "korte termijn bereikbaarheidsopgaven samen aan.", "Taskforce Brabant", S.BESPROKEN),
            (E.VERVOLGSTAP, "Een plan van aanpak op hoofdlijnen: welke stappen de regio neemt "
             "om te verankeren, gepresenteerd op het congres in het voorjaar van 2017.",
             "Programmamanager Brabant", S.BESLOTEN),
        ],
    ),
    (
        "Arnhem-Nijmegen",
        [("Rijkswaterstaat", Organisation.Kind.RIJKSDIENST)],
        "esther.delange@demo.bouwplaats.nl",
        [
            (E.VERVOLGSTAP, "Eerst de huidige Beter Benutten-maatregelen uitvoeren; daarna "
             "bepalen wat en hoe de regio verankert.", "Programma Goedopweg", S.BESLOTEN),
            (E.VERVOLGSTAP, "Een bouwsessie organiseren met partners op bestuurlijk, tactisch "
             "en operationeel niveau: wat willen wij als regio na 2017?",
             "Programma Goedopweg", S.IDEE),
            (E.WERKWIJZE, "Tijd organiseren om over verankering na te denken terwijl de "
             "uitvoering doorloopt.", "", S.IDEE),
        ],
    ),
]  # fmt: skip

# (name, kind, direction, notes, ratings: (days ago, interest, influence, level, reason))
STAKEHOLDERS = [
    (
        "Bewonerscollectief", Stakeholder.Kind.GROEP, Direction.BOTTOM_UP,
        "Gemeenschap met drive en sociale cohesie. Kracht komt voort uit diversiteit in kennis, "
        "netwerk, achtergrond, competenties en vaardigheden.",
        [
            (300, 4, 2, Level.RAADPLEGEN, "Begin-aanpak: bewoners nemen het initiatief, "
             "vertrouwen moet nog gewonnen worden."),
            (160, 5, 3, Level.COPRODUCEREN, "Coöperatie opgericht: bewoners aan het stuur."),
            (20, 5, 4, Level.MEEBESLISSEN, "Formaliseermoment: een realisatieprogramma met, door "
             "en voor de bewoners."),
        ],
    ),
    (
        "Gemeente", Stakeholder.Kind.ORGANISATIE, Direction.TOP_DOWN,
        "Ambtelijke organisatie in het veld! Geen top-down benadering — maar men denkt en "
        "acteert vaak top-down.",
        [(45, 3, 5, Level.ADVISEREN, "Top-down input: kaders en subsidie; adviseert over de "
          "aanpak.")],
    ),
    (
        "Woningcorporatie", Stakeholder.Kind.ORGANISATIE, Direction.KLASSIEK,
        "Klassieke aanpak: dienstbaar handelen, eigenaar van de meeste woningen in de wijk.",
        [(60, 4, 4, Level.COPRODUCEREN, "Werkt mee aan de isolatie van de huurwoningen.")],
    ),
    (
        "Netbeheerder", Stakeholder.Kind.ORGANISATIE, Direction.TOP_DOWN,
        "Principal knowledge drivers: kosten en bewezen technieken.",
        [(200, 2, 4, Level.INFORMEREN, "Aansluiting van het buurtwarmtenet; nog geen rol in "
          "de coöperatie.")],
    ),
]  # fmt: skip


def _koffertjes() -> None:
    programme = Programme.objects.filter(slug=slugify(BETER_BENUTTEN)).first()
    if programme is None:
        return
    for region_name, organisations, writer, items in KOFFERTJES:
        region, _ = Region.objects.get_or_create(
            slug=slugify(region_name), defaults={"name": region_name}
        )
        programme.regions.add(region)
        koffertje, _ = Koffertje.objects.get_or_create(programme=programme, region=region)
        koffertje.organisations.set(
            Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in organisations
        )
        koffertje.writers.set(User.objects.filter(email=writer) if writer else [])
        koffertje.items.all().delete()
        KoffertjeItem.objects.bulk_create(
            KoffertjeItem(
                koffertje=koffertje,
                element=element,
                text=text,
                owner=owner,
                status=status,
                position=position,
            )  # fmt: skip
            for position, (element, text, owner, status) in enumerate(items, start=1)
        )


def _stakeholders() -> None:
    programme = Programme.objects.filter(slug=slugify(COOPERATIEF)).first()
    if programme is None:
        return
    now = timezone.now()
    names = [row[0] for row in STAKEHOLDERS]
    Stakeholder.objects.filter(programme=programme, name__in=names).delete()
    for name, kind, direction, notes, ratings in STAKEHOLDERS:
        days, interest, influence, level, _reason = ratings[-1]
        stakeholder = Stakeholder.objects.create(
            programme=programme, name=name, kind=kind, direction=direction, notes=notes,
            interest=interest, influence=influence, level=level,
            rated_at=now - datetime.timedelta(days=days),
        )  # fmt: skip
        StakeholderRating.objects.bulk_create(
            StakeholderRating(
                stakeholder=stakeholder,
                interest=i,
                influence=f,
                level=lvl,
                direction=direction,
                reason=reason,
                at=now - datetime.timedelta(days=d),
            )  # fmt: skip
            for d, i, f, lvl, reason in ratings
        )
        if name == "Gemeente":
            StakeholderPerson.objects.create(
                stakeholder=stakeholder, name="Wijkregisseur (demo)", role="Ambtelijk trekker"
            )


def load() -> None:
    _koffertjes()
    _stakeholders()
