"""Demo programmes from the seeds."""

import datetime

from django.utils.text import slugify

from bouwplaats.accounts.models import User

from .models import Programme, ProgrammeMembership, Theme

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
        for email, role in data["team"]:
            user = User.objects.filter(email=email).first()
            if user is not None:
                ProgrammeMembership.objects.update_or_create(
                    programme=programme, user=user, defaults={"role": role}
                )
