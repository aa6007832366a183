"""Helpers of the calls and submissions tests (also used by the browser journey)."""

import datetime

from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.projects import services

GEMEENTE = Organisation.Kind.GEMEENTE


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_call(programme, **overrides):
    data = {
        "programme": programme,
        "title": "Meedoen met uw project?",
        "text": "Deelname aan het programma levert u **nieuwe kennis** op.",
        "opens_on": days(-10),
        "closes_on": days(10),
        "organisation_kinds": [GEMEENTE, Organisation.Kind.PROVINCIE],
        "published": True,
        "questions": [
            ("Wat wilt u versnellen, opschalen of verbeteren?", True),
            ("Welke begeleiding zoekt u?", False),
        ],
        "criteria": [("Versnellen", 3), ("Leerwaarde", 2)],
    }
    data.update(overrides)
    return services.call_create(**data)


def answers_for(call, text="Sneller bouwen"):
    required = call.questions.get(required=True)
    return {required.pk: text}


def rolling_call_form(call, rounds: str) -> dict:
    """Return the change-call page's fields for a rolling ``call`` with ``rounds`` lines."""
    return {
        "title": call.title, "text": call.text, "opens_on": call.opens_on.isoformat(),
        "closes_on": "", "rolling": "on", "organisation_kinds": call.organisation_kinds,
        "repair_days": "14", "published": "on",
        "questions": "Wat wilt u versnellen, opschalen of verbeteren?\n"
                     "(optioneel) Welke begeleiding zoekt u?",
        "criteria": "Versnellen | 3\nLeerwaarde | 2",
        "rounds": rounds,
    }  # fmt: skip
