"""Demo programmes from the seeds."""

import datetime

from django.utils.text import slugify

from bouwplaats.accounts.models import Organisation, User

from .models import (
    GovernanceBody,
    GovernanceMember,
    Programme,
    ProgrammeMembership,
    ProgrammeMilestone,
    ProgrammePartner,
    Theme,
)

THEMES = [
    "Bereikbaarheid", "Verankering", "Gebiedstransformatie", "Beheer openbare ruimte",
    "Integrale planning", "Participatie", "Onderwijs en opleiding", "MIRT",
]  # fmt: skip

PROGRAMMES = [
    {
        "name": "Beter Benutten",
        "summary": "Regio's, Rijk en bedrijfsleven verbeteren samen de bereikbaarheid in de "
        "drukste gebieden; na 2017 verankeren de regio's de werkwijze.",
        "description": (
            "Welke waardevolle lessen uit twee programma's Beter Benutten willen we "
            "verankeren? Met welke samenwerkingsverbanden willen we doorgaan na 2017 en hoe "
            "organiseren we dat?\n\nAlle Beter Benutten betrokkenen die willen nadenken over "
            "de verankering kunnen **bouwsessies** organiseren. Op eigen initiatief – en indien "
            "gewenst gefaciliteerd door IenM – nodig je partners uit om stil te staan bij de "
            "vraag: *wat willen wij als regio na 2017?*"
        ),
        "start_date": datetime.date(2015, 1, 1),
        "end_date": datetime.date(2017, 12, 31),
        "period_note": "Vervolgprogramma tot en met 2017",
        "themes": ["Bereikbaarheid", "Verankering"],
        "team": [("jaco.pieper@demo.bouwplaats.nl", "trekker")],
    },
    {
        "name": "Leerplatform MIRT",
        "summary": "Leerplatformsessies, webinars en cursussen voor iedereen die werkt "
        "in het MIRT-werkveld.",
        "description": (
            "Het Leerplatform MIRT organiseert sessies, webinars en het MIRT- en m.e.r. "
            "cursusaanbod voor beleidsmedewerkers en MIRT project- en programmamedewerkers, "
            "en voor andere geïnteresseerden in het MIRT-werkveld."
        ),
        "period_note": "Doorlopend",
        "themes": ["MIRT", "Onderwijs en opleiding"],
        "team": [("diana.kool@demo.bouwplaats.nl", "trekker")],
    },
    {
        "name": "Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties",
        "summary": "Kennis opbouwen, uitwisselen en verankeren in onderwijs en opleidingen; "
        "meedoen met uw eigen project of cases.",
        "description": (
            "Deelname aan het programma levert u nieuwe kennis, ervaring en een verbreding "
            "van uw netwerk op. U kunt uw eigen project of cases inbrengen om samen met "
            "anderen mee aan de slag te gaan.\n\nHet programma loopt vier jaar; in het vierde "
            "jaar volgt een evaluatie."
        ),
        "period_note": "Vier jaar, met een evaluatie in het vierde jaar",
        "themes": ["Gebiedstransformatie", "Onderwijs en opleiding"],
        "team": [],
    },
    {
        "name": "Beheer openbare ruimte",
        "summary": "De verbinding tussen strategie en uitvoering voor beheer openbare ruimte.",
        "description": (
            "Het dagelijks beheer van onze fysieke leefomgeving hebben we prima op orde. En "
            "ook onze ambities en strategie voor de lange termijn weten we goed te verwoorden. "
            "De uitdaging zit hem nu in de goede verbinding."
        ),
        "period_note": "Doorlopend",
        "themes": ["Beheer openbare ruimte", "Integrale planning"],
        "team": [("robert.middelhuis@demo.bouwplaats.nl", "programmamanager")],
    },
    {
        "name": "Coöperatief programmamanagement",
        "summary": "Krachtenbundeling met bewoners: lokale initiatieven de ruimte geven en "
        "toch sturen op samenhang.",
        "description": (
            "Bewoners aan het stuur: kracht komt voort uit diversiteit in kennis, netwerk, "
            "achtergrond, competenties en vaardigheden. Ambtelijke organisatie in het veld! "
            "Geen top-down benadering."
        ),
        "period_note": "Doorlopend",
        "themes": ["Participatie"],
        "team": [],
    },
]


# Seed 002, "Aansturing en uitvoering" and "Planning en looptijd", in its own words.
INTENSIVERING = "Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties"
GOVERNANCE = [
    {
        "kind": "bestuurlijk_platform",
        "name": "Bestuurlijk platform",
        "cadence": "Eén keer per jaar (of vaker indien gewenst)",
        "description": "De basis van het programma bestaat uit de groep bestuurders van de "
        "betrokken overheden en marktpartijen. Dit bestuurlijk platform, met daarbij "
        "aangehaakt betrokken koepels en TU Delft, bewaakt op hoofdlijnen de doelstellingen, "
        "de uitvoering en de (tussentijdse) resultaten van het Intensiveringsprogramma.",
        "members": [("Bestuurders van de betrokken overheden en marktpartijen", "", None),
                    ("TU Delft", "aangehaakt", "TU Delft")],
    },
    {
        "kind": "stuurgroep",
        "name": "Stuurgroep",
        "cadence": "Maandelijks, met de programmadirecteur",
        "description": "De dagelijkse aansturing vindt plaats vanuit een stuurgroep met daarin "
        "(een vertegenwoordiging van) de meest betrokken koepelorganisaties en/of waar "
        "mogelijk en zinvol vertegenwoordigers van gemeenten en marktpartijen. De "
        "stuurgroepleden zorgen voor gedegen communicatie en terugkoppeling naar de eigen "
        "achterban.",
        "members": [("Vertegenwoordiging van de koepelorganisaties", "", None)],
    },
    {
        "kind": "programmadirectie",
        "name": "Programmadirecteur",
        "cadence": "",
        "description": "De dagelijkse uitvoering is in handen van een deskundige "
        "programmadirecteur, aangestuurd door de Stuurgroep. Hij is tevens ambassadeur en "
        "boegbeeld van het programma, die de relaties op bestuurdersniveau onderhoudt.",
        "members": [],
    },
    {
        "kind": "programmateam",
        "name": "Programmateam bij Platform31",
        "cadence": "",
        "description": "De praktische uitvoering van het programma wordt neergelegd bij "
        "Platform31, die daartoe een programmateam in het leven roept met programmamanager, "
        "-secretaris en –medewerkers.",
        "members": [("Programmamanager", "", "Platform31"),
                    ("Programmasecretaris", "", "Platform31")],
    },
]  # fmt: skip
PARTNERS = [
    ("TU Delft", Organisation.Kind.KENNISINSTELLING,
     "Coördinerende rol: kennis bundelen, pilotprojecten volgen en evalueren, "
     "onderwijs vernieuwen"),
    ("Platform31", Organisation.Kind.KENNISINSTELLING, "Praktische uitvoering: het programmateam"),
]  # fmt: skip
TIMELINE = [
    (datetime.date(2017, 10, 1), "Oproep aan gemeenten, provincies en marktpartijen"),
    (datetime.date(2017, 10, 30), "Formele kick-off tijdens het congres Stad"),
    (datetime.date(2020, 10, 1), "Evaluatie in het vierde jaar"),
    (datetime.date(2021, 10, 1), "Einde van de eerste looptijd van vier jaar"),
]


def _governance(programme: Programme) -> None:
    organisations = {}
    for name, kind, role in PARTNERS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind}
        )
        ProgrammePartner.objects.update_or_create(
            programme=programme, organisation=organisations[name], defaults={"role": role}
        )
    for position, data in enumerate(GOVERNANCE):
        body, _ = GovernanceBody.objects.update_or_create(
            programme=programme,
            kind=data["kind"],
            defaults={
                "name": data["name"],
                "cadence": data["cadence"],
                "description": data["description"],
                "position": position,
            },
        )
        body.members.all().delete()
        for number, (name, role, organisation) in enumerate(data["members"]):
            GovernanceMember.objects.create(
                body=body,
                name=name,
                role=role,
                organisation=organisations.get(organisation),
                position=number,
            )
    programme.timeline.all().delete()
    ProgrammeMilestone.objects.bulk_create(
        ProgrammeMilestone(programme=programme, date=date, title=title) for date, title in TIMELINE
    )


def load() -> None:
    themes = {}
    for name in THEMES:
        themes[name], _ = Theme.objects.update_or_create(
            slug=slugify(name), defaults={"name": name}
        )
    for data in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            slug=slugify(data["name"]),
            defaults={
                "name": data["name"],
                "summary": data["summary"],
                "description": data["description"],
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
                "period_note": data["period_note"],
            },
        )
        programme.themes.set([themes[t] for t in data["themes"]])
        if data["name"] == INTENSIVERING:
            _governance(programme)
        for email, role in data["team"]:
            user = User.objects.filter(email=email).first()
            if user is not None:
                ProgrammeMembership.objects.update_or_create(
                    programme=programme, user=user, defaults={"role": role}
                )
