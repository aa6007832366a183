"""Volume knowledge items, questions and answers (core.volume)."""

import datetime
import random

from django.utils import timezone

from bouwplaats.accounts.models import User
from bouwplaats.core.volume import DOMAIN, PROGRAMME_SLUG, REGIONS, SUBJECTS, bulk, count
from bouwplaats.programmes.models import Programme

from .models import Answer, KnowledgeItem, Question

ITEMS = 50_000
QUESTIONS = 50_000
LESSON_TITLES = [
    "Les uit {region}: begin vroeg met {subject}",
    "Wat {region} leerde over {subject}",
    "Zo organiseert {region} {subject}",
]
QUESTION_TITLES = [
    "Hoe pakt u in {region} {subject} aan?",
    "Wie heeft ervaring met {subject}?",
    "Welke afspraken werken bij {subject}?",
]


def clear() -> None:
    KnowledgeItem.objects.filter(programme__slug=PROGRAMME_SLUG).delete()
    Question.objects.filter(programme__slug=PROGRAMME_SLUG).delete()


def _text(rng: random.Random, templates: list[str]) -> str:
    return rng.choice(templates).format(region=rng.choice(REGIONS), subject=rng.choice(SUBJECTS))


def load(*, scale: float, rng: random.Random) -> None:
    """Create published lessons and articles (each with a theme) and questions, half answered."""
    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    themes = list(programme.themes.values_list("pk", flat=True))
    members = list(
        User.objects.filter(email__endswith=f"@{DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    items = []
    for _ in range(count(ITEMS, scale)):
        lesson = rng.random() < 0.7
        subject = rng.choice(SUBJECTS)
        items.append(
            KnowledgeItem(
                type=KnowledgeItem.Type.LESSON if lesson else KnowledgeItem.Type.ARTICLE,
                title=_text(rng, LESSON_TITLES)[:200],
                summary=f"Ervaringen met {subject}."[:300],
                body="" if lesson else f"Een artikel over {subject}, met voorbeelden uit de regio.",
                context="" if not lesson else f"Een regio werkte aan {subject}.",
                what_happened="" if not lesson else "De partners spraken vroeg af wie trekt.",
                do_differently="" if not lesson else "Eerder de bestuurlijke tafel betrekken.",
                evidence="" if not lesson else "Evaluatie van de pilot, met de deelnemers.",
                programme=programme,
                status=KnowledgeItem.Status.PUBLISHED,
                published_at=now - datetime.timedelta(days=rng.randint(0, 1500)),
                created_by_id=rng.choice(members),
            )
        )
    items = bulk(KnowledgeItem, items)
    through = KnowledgeItem.themes.through
    bulk(through, (through(knowledgeitem_id=i.pk, theme_id=rng.choice(themes)) for i in items))
    questions = bulk(
        Question,
        (
            Question(
                title=_text(rng, QUESTION_TITLES)[:200],
                body="Ik ben benieuwd hoe anderen dit aanpakken.",
                programme=programme,
                asked_by_id=rng.choice(members),
            )
            for _ in range(count(QUESTIONS, scale))
        ),
    )
    bulk(
        Answer,
        (
            Answer(
                question=q,
                author_id=rng.choice(members),
                body="Bij ons werkte een vaste trekker per regio goed.",
            )
            for q in questions[::2]
        ),
    )
