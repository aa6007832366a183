"""Demo nieuwsflits from seed 001: the list, belangstellenden, the sent issue and a draft."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from bouwplaats.accounts.models import User
from bouwplaats.events.models import Session
from bouwplaats.programmes.models import Programme

from . import selectors
from .models import Issue, NewsletterList, Subscription

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
SUBJECT = "Nieuwsflits Leerplatform MIRT - 22 september"
DRAFT_SUBJECT = "Nieuwsflits Leerplatform MIRT - volgende editie"
SIGNATURE = ("Diana Kool", "Trekker Leerplatform MIRT, DGMo, MinIenW")

# The seed opens with "Beste partners en collega’s,"; every mail now opens with a personal
# greeting instead.
INTRO = (
    '"Thuiswerken als het kan, op het werk wanneer het nodig is". Ook steeds meer '
    "bijeenkomsten en cursussen vinden weer fysiek plaats. Als Leerplatform willen we ook weer "
    "rustig die kant op bewegen. We merken toch dat het informele contact in de marge van onze "
    "sessies erg mist en dat de aanmeldingen voor sessies daardoor teruglopen. Maar voorlopig "
    "staan er nog een paar online sessies in de planning die je echt niet mag missen! Daarom "
    "graag nog één keer aandacht voor onderstaande Leerplatformsessie en het MIRT- en  m.e.r. "
    "cursus aanbod."
)

LEERPLATFORMSESSIE = (
    "Leerplatformsessie - Opgaven verbinden: integraal, gebiedsgericht of opgavegericht werken?"
)

# The agenda of seed 001 as it went out on 22 September 2021, with the words that find the
# same session in the sessions demo (for the link).
SEED_AGENDA = [
    (datetime.datetime(2021, 9, 30, 12, 45), LEERPLATFORMSESSIE, True,
     "Uitdagingen en oplossingen om opgaven wel of niet in samenhang te beschouwen.",
     "Opgaven verbinden"),
    (datetime.datetime(2021, 10, 5, 10, 0), "MIRT light webinar", False, "", "MIRT light webinar"),
    (datetime.datetime(2021, 10, 7, 10, 0), "M.e.r. light webinar", False, "",
     "M.e.r. light webinar"),
    (datetime.datetime(2021, 11, 30, 9, 30), "M.e.r. cursus", False, "", "M.e.r. cursus"),
]  # fmt: skip

BELANGSTELLENDEN = [
    ("esther.delange@demo.bouwplaats.nl", "Esther de Lange"),
    ("jan.pluim@demo.bouwplaats.nl", "Jan Pluim"),
    ("robert.middelhuis@demo.bouwplaats.nl", "Robert Middelhuis"),
    ("mirt.belangstellende@example.nl", "Femke Jansen"),
    ("beleid.ienw@example.nl", ""),
]


def _seed_agenda(programme: Programme) -> list[dict]:
    items = []
    for start, title, changed, line, words in SEED_AGENDA:
        session = Session.objects.filter(programme=programme, title__icontains=words).first()
        url = (
            selectors.session_url(session)
            if session
            else settings.SITE_URL + programme.get_absolute_url()
        )
        items.append(
            {
                "session_id": session.pk if session else None,
                "start": start.replace(tzinfo=AMSTERDAM).isoformat(),
                "title": title,
                "line": line,
                "url": url,
                "changed": changed,
                # Seed 001: "de datum en het programma zijn gewijzigd".
                "changes": ["datum", "programma"] if changed else [],
            }
        )
    return items


def load() -> None:
    programme = Programme.objects.filter(name="Leerplatform MIRT").first()
    if programme is None:
        return
    diana = User.objects.filter(email="diana.kool@demo.bouwplaats.nl").first()
    newsletter_list, _created = NewsletterList.objects.update_or_create(
        slug="nieuwsflits-leerplatform-mirt",
        defaults={
            "programme": programme,
            "name": "Nieuwsflits Leerplatform MIRT",
            "description": (
                "Nieuws over de Leerplatformsessies, webinars en het MIRT- en m.e.r. "
                "cursusaanbod, voor iedereen die als belangstellende geregistreerd staat bij "
                "het Leerplatform MIRT."
            ),
        },
    )
    consent = datetime.datetime(2021, 3, 1, 9, 0, tzinfo=AMSTERDAM)
    for email, name in BELANGSTELLENDEN:
        Subscription.objects.update_or_create(
            newsletter_list=newsletter_list,
            email=email,
            defaults={
                "name": name,
                "member": User.objects.filter(email=email).first(),
                "status": Subscription.Status.CONFIRMED,
                "consent_at": consent,
                "confirmed_at": consent,
                "consent_source": "demo",
            },
        )

    sent_at = datetime.datetime(2021, 9, 22, 9, 0, tzinfo=AMSTERDAM)
    total = len(BELANGSTELLENDEN)
    Issue.objects.update_or_create(
        newsletter_list=newsletter_list,
        subject=SUBJECT,
        defaults={
            "intro": INTRO,
            "signature_name": SIGNATURE[0],
            "signature_role": SIGNATURE[1],
            "agenda": _seed_agenda(programme),
            "agenda_days": 90,
            "status": Issue.Status.SENT,
            "sending_started_at": sent_at,
            "sent_at": sent_at,
            "total": total,
            "sent_count": total,
            "failed_count": 0,
            "created_by": diana,
        },
    )

    # The draft's agenda reaches the programme's last upcoming session, so that the changed
    # leerplatformsessie of the sessions demo is in it and carries the "gewijzigd" notice.
    now = timezone.now()
    last = (
        Session.objects.filter(programme=programme, status=Session.Status.PUBLISHED, start__gte=now)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )
    days = min(max(90, (last - now).days + 2 if last else 90), 366)
    Issue.objects.update_or_create(
        newsletter_list=newsletter_list,
        subject=DRAFT_SUBJECT,
        defaults={
            "intro": (
                "In de agenda hieronder staan de komende "
                "sessies van het Leerplatform MIRT. Let op de gewijzigde datum van de "
                "Leerplatformsessie!"
            ),
            "signature_name": SIGNATURE[0],
            "signature_role": SIGNATURE[1],
            "agenda_days": days,
            "status": Issue.Status.DRAFT,
            "created_by": diana,
        },
    )
