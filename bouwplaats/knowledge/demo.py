"""Demo knowledge from the seeds: seed 004's five open questions and its model of coöperatief
programmamanagement, lessons from seed 002's pilot, Beter Benutten's verankering (seed 000),
and seed 002's education offer. Idempotent: rows are keyed by their titles."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bouwplaats.accounts.models import User
from bouwplaats.events.models import Session
from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.projects.models import Pilot

from .models import Answer, KnowledgeItem, Question, QuestionFollower, TrainingOffer

COOPERATIVE = "Coöperatief programmamanagement"
INTENSIVERING = "Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties"

# Seed 004, "PGM Open vragen Cooperatief programmamanagement", in its own words.
QUESTIONS = [
    (
        "Hoe vind je een balans tussen lokale, kleinschalige initiatieven de ruimte geven en "
        "toch sturen op samenhang en het geheel?",
        "esther.delange@demo.bouwplaats.nl",
        ["Participatie"],
    ),
    ("Hoeveel sturing kun je geven?", "jens.vanderweele@demo.bouwplaats.nl", ["Participatie"]),
    (
        "Hoe geef je samenwerking met relevante stakeholders vorm? En hoe betrek je "
        "stakeholders op een optimale manier zonder slagvaardigheid te verliezen?",
        "elles.vanhappen@demo.bouwplaats.nl",
        ["Participatie"],
    ),
    (
        "Hoe verhoudt programmamanagement zich tot netwerksturing en procesregie?",
        "diana.kool@demo.bouwplaats.nl",
        ["Participatie", "Verankering"],
    ),
    (
        "Hoe kun je transitieopgaven effectief oppakken terwijl je weinig formele macht over "
        "deelnemende partijen hebt (regievoeren zonder macht)?",
        "robert.middelhuis@demo.bouwplaats.nl",
        ["Participatie", "Gebiedstransformatie"],
    ),
]
# One answer, from the seed's own observations, so the question page shows how it works.
ANSWER = (
    "jaco.pieper@demo.bouwplaats.nl",
    "De relevantie zit in de begin-aanpak tot aan het formaliseermoment. **Vertrouwen winnen, "
    "krijgen en behouden** — ook van overheden en andere belanghebbenden. Lokale, kleinschalige "
    "initiatieven slagen als de sociale cohesie groot is en de revenuen ten goede komen aan de "
    "gemeenschap. Na het formaliseermoment volgt een realisatieprogramma met, door en voor de "
    "bewoners.",
)

MODEL_TITLE = "Coöperatief programmamanagement door krachtenbundeling bewoners; een model"
MODEL_BODY = """\
Coöperatief programmamanagement: ergens komen met draagvlak van bewoners, gegeven de top-down \
input.

- **Bewoners aan het stuur**: kracht komt voort uit diversiteit in kennis, netwerk, \
achtergrond, competenties en vaardigheden. Alles wordt geregeld met, door en voor de bewoners.
- **Bewoners laten delen in succes.** Lokaal staat voor niet-anoniem; met respect naar alle \
bewoners.
- **Ambtelijke organisatie in het veld!** Geen top-down benadering. Vertrouwen winnen, krijgen \
en behouden is lastig: men denkt en acteert top-down.

De programmamanager kan omgaan met het belangenveld; is meester op het gebied van methoden, \
kennis en vaardigheden; weet van de omgevingsinvloeden en awareness drivers. De \
programmamanager geeft onbewust vorm aan organisatie en samenwerking; de aanpak van \
coöperatief programmamanagement lijkt het meest op de zelfstandige vorm; na \
formaliseermomenten volgt een realisatieprogramma met, door en voor de bewoners.
"""
MODEL_FIGURE_TEXT = """\
Het model toont bovenaan het belangenveld. Links staat de gemeenschap met drive en sociale \
cohesie (bottom-up aanpak), rechts de ambtelijke organisatie en belanghebbenden (top-down \
input, de klassieke aanpak). Beide komen samen in het midden: coöperatief programmamanagement, \
dienstbaar handelen. Daaronder drie bronnen van de programmamanager: methode, kennis en \
vaardigheden; competenties (passend bij 'drive' hebben én draagvlak ophalen); kennis en \
ervaring. Onderaan de omgevingsinvloeden: principal knowledge drivers (kosten, bewezen \
technieken) en awareness drivers (klimaat, SDG, CO2, regeringsbeleid).
"""

# Seed 002: pilots are followed and evaluated so that lessons anchor in education; the
# Losser pilot (projects demo) reported a delayed permit.
PILOT_TITLE = "Dorpskern Losser: wonen boven winkels"
PILOT_LESSONS = [
    {
        "title": "Vraag de omgevingsvergunning aan vóór de eigenaren tekenen",
        "summary": "De vergunning voor functiewijziging bepaalde het tempo, niet de eigenaren.",
        "context": "Leegstaande winkelpanden in de dorpskern van Losser worden woningen; de "
        "gemeente werkt samen met eigenaren en een woningcorporatie.",
        "what_happened": "De eigenaren van de eerste drie panden waren snel akkoord, maar de "
        "omgevingsvergunning voor de eerste woningen kwam een half jaar later dan gepland. De "
        "mijlpaal 'eerste tien woningen opgeleverd' is herpland.",
        "do_differently": "Start het vergunningtraject parallel aan de gesprekken met "
        "eigenaren, en vraag vroeg bemiddeling richting de ministeries over de regels voor "
        "functiewijziging.",
        "evidence": "Voortgangsrapportage (status risico) en de herplanning van de mijlpaal.",
        "themes": ["Gebiedstransformatie"],
    },
    {
        "title": "Opschalen begint bij een aanpak die anderen kunnen volgen",
        "summary": "Beschrijf de aanpak terwijl de pilot loopt, niet erna.",
        "context": "Het Intensiveringsprogramma wil versnellen, opschalen en verbeteren; de TU "
        "Delft volgt en evalueert de pilotprojecten systematisch.",
        "what_happened": "De pilot ging van drie panden naar de hele winkelstraat. De kennis "
        "zat vooral bij de projectleider; andere gemeenten vroegen om een beschrijving.",
        "do_differently": "Leg de aanpak per fase vast (wat werkte, wat niet) zodat de lessen "
        "in onderwijs en opleidingen verankerd kunnen worden.",
        "evidence": "Mijlpaal 'Aanpak beschreven voor andere gemeenten'; seed 002, rol van de "
        "TU Delft.",
        "themes": ["Gebiedstransformatie", "Onderwijs en opleiding"],
    },
]

# Seed 000, Beter Benutten: verankering is maatwerk per regio.
VERANKERING_LESSON = {
    "title": "Verankering is maatwerk per regio",
    "summary": "Wat en hoe een regio verankert verschilt; begin er ruim voor het einde aan.",
    "context": "Het programma Beter Benutten stopt na 2017. Regio's, Rijk en bedrijfsleven "
    "willen de werkwijze en samenwerkingsverbanden voortzetten.",
    "what_happened": "Sommige regio's waren al ver: Brabant verkende met een Taskforce de opties "
    "na 2017. Andere regio's legden hun prioriteit nog bij het uitvoeren van de maatregelen. "
    "Ook binnen IenM werd aan verankering gewerkt.",
    "do_differently": "Organiseer zo'n anderhalf jaar voor het einde een bouwsessie over "
    "verankering, en laat elke regio een koffertje vullen: elementen van de werkwijze, "
    "samenwerkingsverbanden en vervolgstappen met een eigenaar.",
    "evidence": "Bouwsessie 'Programmamanagers: door ná 2017' (Utrecht, 6 september 2016).",
    "themes": ["Verankering", "Bereikbaarheid"],
}
VERANKERING_ARTICLE = {
    "title": "Bouwsessies, koffie en koffertjes",
    "summary": "Een bouwsessie is een middel tot versnelling en verdieping.",
    "body": "Alle Beter Benutten betrokkenen die willen nadenken over de verankering kunnen "
    "**bouwsessies** organiseren. Op eigen initiatief – en indien gewenst gefaciliteerd door "
    "IenM – nodig je partners (op bestuurlijk, tactisch of operationeel niveau) uit om stil te "
    "staan bij de vraag: *wat willen wij als regio na 2017?*\n\nIn het voorjaar van 2017 "
    "presenteren alle regio's op een congres wat zij gaan verankeren: de inhoud van hun "
    "koffertjes.",
    "themes": ["Verankering"],
}

# Seed 002, "Opgedane kennis verankeren in onderwijs en opleidingen".
OFFERS = [
    ("Praktijkleerstoel Gebiedsontwikkeling", TrainingOffer.Kind.OPLEIDING, "TU Delft",
     "Professionals van gemeenten en marktpartijen",
     "Het bestaande opleidingenaanbod, versterkt met de lessen uit de pilotprojecten van het "
     "Intensiveringsprogramma."),
    ("Training on the job", TrainingOffer.Kind.ON_THE_JOB, "Intensiveringsprogramma",
     "Projectteams van de pilotprojecten",
     "Tijdelijke begeleiding en coaching binnen een project."),
    ("Trainingen op maat", TrainingOffer.Kind.OP_MAAT, "Intensiveringsprogramma",
     "Individuele regio's, gemeenten en bedrijven",
     "Een training afgestemd op de vraag van uw regio, gemeente of bedrijf."),
    ("Advisering over inhoud, proces of financiën", TrainingOffer.Kind.ADVIES,
     "Intensiveringsprogramma", "Transformatieprojecten binnen het programma",
     "Op afroep en naar behoefte begeleiding en advisering."),
    ("Roadshow Intensiveringsprogramma", TrainingOffer.Kind.ROADSHOW, "Platform31",
     "Gemeenten en marktpartijen",
     "Een roadshow op basis van de bevindingen in het Intensiveringsprogramma."),
    ("Kennisbijeenkomsten gebiedstransformatie", TrainingOffer.Kind.KENNISBIJEENKOMST,
     "Platform31", "Bestuurders, gemeenteraadsleden, ambtenaren en private partijen",
     "Speciale kennisbijeenkomsten over gebiedstransformatie voor verschillende niveaus."),
]  # fmt: skip


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _themes(names: list[str]) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=[slugify(n) for n in names]))


def _item(title: str, *, type: str, programme, themes, authors, sessions=(), pilots=(),
          featured=False, **fields) -> KnowledgeItem:  # fmt: skip
    now = timezone.now()
    item, created = KnowledgeItem.objects.update_or_create(
        title=title,
        defaults={
            "type": type,
            "programme": programme,
            "status": KnowledgeItem.Status.PUBLISHED,
            "featured": featured,
            "check_by": timezone.localdate() + datetime.timedelta(days=365),
            **fields,
        },
    )
    if created or item.published_at is None:
        item.published_at = now
        item.save(update_fields=["published_at"])
    item.themes.set(_themes(themes))
    item.authors.set([a for a in authors if a])
    item.sessions.set(list(sessions))
    item.pilots.set(list(pilots))
    return item


def _questions(programme) -> None:
    for title, email, themes in QUESTIONS:
        asker = _user(email)
        question, _ = Question.objects.update_or_create(
            title=title, defaults={"programme": programme, "asked_by": asker}
        )
        question.themes.set(_themes(themes))
        if asker:
            QuestionFollower.objects.get_or_create(question=question, user=asker)
    first = Question.objects.get(title=QUESTIONS[0][0])
    author = _user(ANSWER[0])
    if author and not first.answers.exists():
        Answer.objects.create(question=first, author=author, body=ANSWER[1])


@transaction.atomic
def load() -> None:
    cooperative = Programme.objects.filter(slug=slugify(COOPERATIVE)).first()
    intensivering = Programme.objects.filter(slug=slugify(INTENSIVERING)).first()
    beter_benutten = Programme.objects.filter(slug="beter-benutten").first()
    esther = _user("esther.delange@demo.bouwplaats.nl")
    jaco = _user("jaco.pieper@demo.bouwplaats.nl")

    _questions(cooperative)
    _item(
        MODEL_TITLE,
        type=KnowledgeItem.Type.MODEL,
        programme=cooperative,
        themes=["Participatie"],
        authors=[esther],
        featured=True,
        summary="Ergens komen met draagvlak van bewoners, gegeven de top-down input.",
        body=MODEL_BODY,
        figure=KnowledgeItem.Figure.COOPERATIVE_MODEL,
        figure_text=MODEL_FIGURE_TEXT,
    )

    pilot = Pilot.objects.filter(title=PILOT_TITLE).first()
    robert = _user("robert.middelhuis@demo.bouwplaats.nl")
    for lesson in PILOT_LESSONS:
        lesson = dict(lesson)
        _item(
            lesson.pop("title"),
            type=KnowledgeItem.Type.LESSON,
            programme=intensivering,
            themes=lesson.pop("themes"),
            authors=[robert],
            pilots=[pilot] if pilot else [],
            **lesson,
        )

    bouwsessie = Session.objects.filter(title="Programmamanagers: door ná 2017").first()
    sessions = [bouwsessie] if bouwsessie else []
    for data, type in ((VERANKERING_LESSON, KnowledgeItem.Type.LESSON),
                       (VERANKERING_ARTICLE, KnowledgeItem.Type.ARTICLE)):  # fmt: skip
        data = dict(data)
        _item(
            data.pop("title"),
            type=type,
            programme=beter_benutten,
            themes=data.pop("themes"),
            authors=[jaco],
            sessions=sessions,
            featured=type == KnowledgeItem.Type.LESSON,
            **data,
        )

    for position, (title, kind, provider, audience, description) in enumerate(OFFERS):
        offer, _ = TrainingOffer.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "provider": provider,
                "audience": audience,
                "description": description,
                "programme": intensivering,
                "position": position,
                "active": True,
            },
        )
        offer.themes.set(_themes(["Onderwijs en opleiding"]))
