"""Demo sessions: seed 000's bouwsessie, seed 001's agenda, seed 003's bijeenkomst."""

import datetime

from django.utils import timezone

from bouwplaats.accounts.models import User
from bouwplaats.programmes.models import Programme, Theme

from .calendar import AMSTERDAM
from .models import Highlight, Registration, Session, SessionChange, SessionPart


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def weeks_from(today: datetime.date, seed_day: datetime.date, weeks: int) -> datetime.date:
    """Return the day of ``seed_day``'s weekday in the week ``weeks`` weeks from ``today``.

    The demo keeps the seeds' weekdays and times but moves them to the day it is loaded, so
    that every journey can be walked on a fresh demo: a negative ``weeks`` lies in the past,
    a positive one in the future, and days of one week keep their seed's order.
    """
    base = today + datetime.timedelta(weeks=weeks)
    monday = base - datetime.timedelta(days=base.weekday())
    return monday + datetime.timedelta(days=seed_day.weekday())


# The seeds' own days: seed 000's bouwsessie (a Tuesday), seed 001's agenda of 22 September
# 2021 (the leerplatformsessie on Thursday 30 September, moved a week; webinars on Tuesday 5
# and Thursday 7 October; the m.e.r. cursus on Tuesday 30 November).
BOUWSESSIE_DAY = datetime.date(2016, 9, 6)
OPGAVEN_DAY = datetime.date(2021, 9, 30)


def _session(programme: Programme, title: str, *, parts=(), highlights=(), themes=(), **fields):
    session, _created = Session.objects.update_or_create(
        programme=programme, title=title, defaults=fields
    )
    session.parts.all().delete()
    SessionPart.objects.bulk_create(
        SessionPart(session=session, position=i, title=t, time=time, text=text)
        for i, (t, time, text) in enumerate(parts)
    )
    session.highlights.all().delete()
    Highlight.objects.bulk_create(
        Highlight(session=session, position=i, speaker=s, organisation=o, quote=q)
        for i, (s, o, q) in enumerate(highlights)
    )
    session.themes.set(Theme.objects.filter(name__in=themes))
    return session


BOUWSESSIE_INTRO = (
    "Welke waardevolle lessen uit twee programma’s Beter Benutten willen we verankeren? Met "
    "welke samenwerkingsverbanden willen we doorgaan na 2017 en hoe organiseren we dat? Leent "
    "de Beter Benutten aanpak zich ook voor andere beleidsvelden? Zomaar een paar vragen die "
    "opkomen als je het over de verankering van de Beter Benutten-werkwijze hebt.\n\n"
    "Sommige regio’s zijn al ver met het proces wat ze wel en niet willen verankeren. Zo is "
    "Brabant al met een Taskforce aan het verkennen wat de opties na 2017 zijn. Andere regio’s "
    "leggen hun prioriteit nog bij het uitvoeren van de huidige Beter Benutten maatregelen. In "
    "elke regio is de verankering maatwerk en zal het proces anders verlopen.\n\n"
    "Een bouwsessie is dus een middel tot versnelling en verdieping. In september, zo’n "
    "anderhalf jaar voor het einde van het programma, organiseren we er een voor "
    "programmamanagers. Hierin gaan we ons laten inspireren door voorbeelden en ervaringen met "
    "elkaar te delen. Ook stellen we ons de vraag hoe je tijd organiseert om over verankering "
    "na te denken als je nog druk bent met de uitvoering van het Beter Benutten "
    "Vervolgprogramma.\n\n"
    "Gedurende deze middag gaan we in werkvormen afhankelijk van het aantal deelnemers drie "
    "onderwerpen doornemen."
)

OPGAVEN_INTRO = (
    "Als Rijk en medeoverheden staan we voor verschillende grote opgaven die allemaal op het "
    "beperkte grondgebied van Nederland samenkomen. Ook binnen het MIRT wordt daardoor in "
    "toenemende mate om een brede belangenafweging en langetermijnoplossingen gevraagd, waarin "
    "zaken als klimaatadaptatie, biodiversiteit, energietransitie, woningbouw en gezondheid "
    "meegenomen moeten worden. Hoe ver ga je met een integrale benadering? Welke ruimte moet "
    "dan worden geboden binnen de scope van projecten en programma’s?\n\n"
    "Het Leerplatform MIRT organiseert daarom een bijeenkomst waarin uitdagingen en oplossingen "
    "om opgaven wel of niet in samenhang te beschouwen worden verkend."
)

BOR_INTRO = (
    "Het dagelijks beheer van onze fysieke leefomgeving hebben we prima op orde. En ook onze "
    "ambities en strategie voor de lange termijn weten we goed te verwoorden. De uitdaging zit "
    "hem nu in de goede verbinding.\n\n"
    "Hoe kom je van strategische ambities naar acties in de dagelijkse beheerpraktijk? Hoe "
    "krijg je iedereen op één lijn: op inhoud en op rolverdeling? Met andere woorden hoe krijg "
    "je in de organisatie één ‘Line of sight’?\n\n"
    "Een vraagstuk waar veel overheden op dit moment mee worstelen. Wie heb je hiervoor – zowel "
    "intern in je eigen organisatie als ook externe partijen – nodig en welke middelen kun je "
    "inzetten? De hoogste tijd dus om ideeën en ervaringen over deze tactische verbinding met "
    "elkaar te delen."
)

BOR_HIGHLIGHTS = [
    ("Jan Pluim", "Deventer",
     "We zitten midden in de zoektocht hoe we de tactische aspecten van ons programma "
     "Leefomgeving beter kunnen inrichten. Nu is er sprake van een gat tussen de diverse "
     "strategische- en beleidsagenda’s van de gemeente en onze operationele processen. Daardoor "
     "lopen zaken minder goed dan ze zouden kunnen lopen. We zijn samen aan het verkennen wat "
     "dat gat precies is en hoe we dat kunnen invullen."),
    ("Robert Middelhuis", "Losser",
     "Projectgeld en beheergeld zijn vaak gescheiden. Iedereen bewaakt zijn eigen portemonnee "
     "en targets. Terwijl je samen zoveel verder komt. Als kleinere organisatie hebben wij "
     "juist ook partners van buiten én andere gemeenten nodig voor de grote opgaven. Dit vraagt "
     "ook om een organisatorische transitie."),
    ("Gemeente Ede", "Ede",
     "In Ede zijn ze bezig om de tactische laag vorm te gaan geven via KIP, de kaart voor "
     "integrale planning. Elke afdeling maakt zijn eigen planning voor de werkzaamheden in de "
     "openbare ruimte; gezamenlijk wordt dan gekeken welke slimme combinaties gemaakt kunnen "
     "worden, zodat de burger maar één keer met werkzaamheden te maken krijgt."),
]  # fmt: skip


def load() -> None:
    today = timezone.localdate()
    beter_benutten = Programme.objects.filter(name="Beter Benutten").first()
    jaco = _user("jaco.pieper@demo.bouwplaats.nl")
    if beter_benutten and jaco:
        session = _session(
            beter_benutten,
            "Programmamanagers: door ná 2017",
            type=Session.Type.BOUWSESSIE,
            intro=BOUWSESSIE_INTRO,
            goal="Elkaar inspireren over welke elementen, opgaven en thema’s de verankering kan "
            "gaan. Uitwisselen welk proces elke regio voornemens is te volgen. Vooruitblikken op "
            "de mogelijke inhoud van de koffertjes.",
            audience="Programmamanagers en regiocoördinatoren",
            criteria=[
                "Je bent programmamanager van een Beter Benutten regio",
                "Ook welkom zijn: IenM regiocoördinatoren van een Beter Benutten regio",
            ],
            host=jaco,
            # The one past session: it keeps its participants, comments and documents.
            start=_at(weeks_from(today, BOUWSESSIE_DAY, -3), 13),
            end=_at(weeks_from(today, BOUWSESSIE_DAY, -3), 17),
            location="Utrecht",
            status=Session.Status.PUBLISHED,
            participant_visibility=Session.Visibility.PUBLIC,
            parts=[
                (
                    "Wat is de Beter Benutten werkwijze en welke elementen hiervan wil je "
                    "verankeren",
                    "",
                    "",
                ),
                (
                    "Op welke wijze gaat IenM met de verankering van BB om, wanneer is er "
                    "duidelijkheid vanuit IenM",
                    "",
                    "",
                ),
                (
                    "Hoe kom je erachter wat en hoe in je regio wilt verankeren. "
                    "Wat komt er in het koffertje.",
                    "",
                    "Resultaat is een plan van aanpak op hoofdlijnen welke stappen in elke regio "
                    "genomen kunnen gaan worden.",
                ),
            ],  # fmt: skip
            themes=["Verankering", "Bereikbaarheid"],
        )
        # The same bouwsessie again, ahead: one to sign up for ("Ja, ik praat mee") on a
        # fresh demo, whatever day it is loaded.
        _session(
            beter_benutten,
            "Bouwsessie: wat willen wij als regio na 2017?",
            type=Session.Type.BOUWSESSIE,
            intro=BOUWSESSIE_INTRO,
            goal="Elkaar inspireren over welke elementen, opgaven en thema’s de verankering kan "
            "gaan. Uitwisselen welk proces elke regio voornemens is te volgen.",
            audience="Programmamanagers en regiocoördinatoren",
            criteria=[
                "Je bent programmamanager van een Beter Benutten regio",
                "Ook welkom zijn: IenM regiocoördinatoren van een Beter Benutten regio",
            ],
            host=jaco,
            start=_at(weeks_from(today, BOUWSESSIE_DAY, 3), 13),
            end=_at(weeks_from(today, BOUWSESSIE_DAY, 3), 17),
            location="Utrecht",
            capacity=20,
            status=Session.Status.PUBLISHED,
            participant_visibility=Session.Visibility.PUBLIC,
            themes=["Verankering", "Bereikbaarheid"],
        )
        for email in (
            "jens.vanderweele@demo.bouwplaats.nl",
            "esther.delange@demo.bouwplaats.nl",
            "elles.vanhappen@demo.bouwplaats.nl",
        ):
            member = _user(email)
            if member:
                Registration.objects.update_or_create(
                    session=session, member=member, defaults={"status": "confirmed"}
                )

    mirt = Programme.objects.filter(name="Leerplatform MIRT").first()
    diana = _user("diana.kool@demo.bouwplaats.nl")
    if mirt and diana:
        day = weeks_from(today, OPGAVEN_DAY, 2)
        old_day = day - datetime.timedelta(days=7)
        session = _session(
            mirt,
            "Opgaven verbinden: integraal, gebiedsgericht of opgavegericht werken?",
            type=Session.Type.LEERPLATFORMSESSIE,
            intro=OPGAVEN_INTRO,
            goal="Een gedeeld beeld van wat we verstaan onder sectoraal, opgavegericht, "
            "gebiedsgericht of een brede integrale aanpak, en van de generieke randvoorwaarden "
            "voor een passende en succesvolle aanpak.",
            audience="Beleidsmedewerkers en MIRT project- en programmamedewerkers van IenW/BZK; "
            "andere geïnteresseerden in het MIRT-werkveld zijn ook welkom.",
            criteria=[],
            host=diana,
            start=_at(day, 12, 45),
            end=_at(day, 15, 30),
            location="",
            online=True,
            online_url="https://leerplatform-mirt.example/opgaven-verbinden",
            status=Session.Status.PUBLISHED,
            sequence=1,
            parts=[
                ("Wanneer is welke benadering geschikt? Dilemma’s uit de praktijk", "12:45", ""),
                (
                    "Structurele procesverbeteringen tussen opdrachtgevers en opdrachtnemers",
                    "13:45",
                    "",
                ),
                ("Panel van afdelingshoofden reflecteert op de oogst van de sessie", "14:45", ""),
            ],  # fmt: skip
            themes=["MIRT"],
        )
        # Seed 001: "de datum en het programma zijn gewijzigd sinds de vorige nieuwsbrief".
        session.changes.all().delete()
        SessionChange.objects.bulk_create(
            [
                SessionChange(session=session, field="start", changed_by=diana,
                              old=f"{old_day:%d-%m-%Y} 12:45", new=f"{day:%d-%m-%Y} 12:45"),
                SessionChange(session=session, field="end", changed_by=diana,
                              old=f"{old_day:%d-%m-%Y} 15:30", new=f"{day:%d-%m-%Y} 15:30"),
                SessionChange(session=session, field="parts", changed_by=diana,
                              old="Deel 1: Wanneer is welke benadering geschikt? (12:45)\n"
                                  "Deel 2: Structurele procesverbeteringen (13:45)",
                              new="Deel 1: Wanneer is welke benadering geschikt? (12:45)\n"
                                  "Deel 2: Structurele procesverbeteringen (13:45)\n"
                                  "Deel 3: Panel van afdelingshoofden (14:45)"),
            ]
        )  # fmt: skip
        agenda = [
            ("MIRT light webinar", Session.Type.WEBINAR, datetime.date(2021, 10, 5), 3,
             (10, 0), (11, 30),
             "Een korte online kennismaking met het MIRT: de spelregels, de fasen en wie wat "
             "doet."),
            ("M.e.r. light webinar", Session.Type.WEBINAR, datetime.date(2021, 10, 7), 3,
             (10, 0), (11, 30),
             "Een korte online kennismaking met de milieueffectrapportage (m.e.r.) in "
             "MIRT-projecten."),
            ("M.e.r. cursus", Session.Type.CURSUS, datetime.date(2021, 11, 30), 10,
             (9, 30), (16, 30),
             "De cursus uit het MIRT- en m.e.r. cursusaanbod van het Leerplatform MIRT."),
        ]  # fmt: skip
        for title, kind, seed_day, weeks, (h1, m1), (h2, m2), intro in agenda:
            day = weeks_from(today, seed_day, weeks)
            online = kind == Session.Type.WEBINAR
            _session(
                mirt,
                title,
                type=kind,
                intro=intro,
                host=diana,
                start=_at(day, h1, m1),
                end=_at(day, h2, m2),
                location="" if online else "Utrecht",
                online=online,
                online_url="https://leerplatform-mirt.example/webinar" if online else "",
                capacity=None if online else 24,
                status=Session.Status.PUBLISHED,
                themes=["MIRT", "Onderwijs en opleiding"],
            )

    bor = Programme.objects.filter(name="Beheer openbare ruimte").first()
    robert = _user("robert.middelhuis@demo.bouwplaats.nl")
    if bor and robert:
        day = today + datetime.timedelta(days=35)
        _session(
            bor,
            "De verbinding tussen strategie en uitvoering voor beheer openbare ruimte",
            type=Session.Type.BIJEENKOMST,
            intro=BOR_INTRO,
            goal="Ideeën en ervaringen over de tactische verbinding tussen strategie en "
            "uitvoering met elkaar delen, om zo verder te komen en ook deze fase verder te "
            "professionaliseren.",
            host=robert,
            start=_at(day, 13, 30),
            end=_at(day, 17),
            location="Deventer",
            capacity=40,
            status=Session.Status.PUBLISHED,
            highlights=BOR_HIGHLIGHTS,
            themes=["Beheer openbare ruimte", "Integrale planning"],
        )
