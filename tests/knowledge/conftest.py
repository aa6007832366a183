"""Fixtures of the knowledge tests: a programme with themes and team, members, a pilot."""

import pytest

from bouwplaats.knowledge import services
from bouwplaats.projects import services as project_services
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    ThemeFactory,
    UserFactory,
)
from tests.projects.helpers import GEMEENTE, answers_for, make_call


@pytest.fixture
def programme(db):
    return ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties",
        slug="intensiveringsprogramma",
    )


@pytest.fixture
def other_programme(db):
    return ProgrammeFactory(name="Beter Benutten", slug="beter-benutten")


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Participatie", slug="participatie")


@pytest.fixture
def other_theme(db):
    return ThemeFactory(name="Regie", slug="regie")


@pytest.fixture
def team(programme):
    """A member of the programme team (Platform31)."""
    return MembershipFactory(
        programme=programme, user=UserFactory(full_name="Petra Programmateam")
    ).user


@pytest.fixture
def other_team(other_programme):
    return MembershipFactory(
        programme=other_programme, user=UserFactory(full_name="Olaf Anderteam")
    ).user


@pytest.fixture
def asker(db):
    return UserFactory(full_name="Anna Vraagsteller", function="Programmamanager")


@pytest.fixture
def answerer(db):
    return UserFactory(full_name="Bram Antwoorder", function="Procesregisseur")


@pytest.fixture
def voter(db):
    return UserFactory(full_name="Carla Stemmer")


@pytest.fixture
def deventer(db):
    return OrganisationFactory(name="Gemeente Deventer", kind=GEMEENTE)


@pytest.fixture
def planner(deventer):
    """A verified member of Gemeente Deventer: the pilot's team."""
    return PlannerFactory(full_name="Jan Pluim", organisation=deventer)


@pytest.fixture
def pilot(programme, planner, team):
    call = make_call(programme)
    submission = project_services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        summary="Woon-werkwijk", answers=answers_for(call), milestones=[], submit=True,
    )  # fmt: skip
    for status, reason in (("in_behandeling", "Volledig"), ("toegelaten", "Past goed")):
        project_services.submission_set_status(
            actor=team, submission=submission, status=status, reason=reason
        )
    return submission.pilot


LESSON = {
    "context": "Een binnenstedelijke transformatie met veel eigenaren.",
    "what_happened": "De bewoners werden pas laat betrokken; het plan liep een jaar vertraging op.",
    "do_differently": "Betrek bewoners vóór het formaliseermoment, met een vaste contactpersoon.",
    "evidence": "Evaluatie van de pilot, bijlage 2.",
}


def make_lesson(*, actor, themes, programme=None, publish=True, title="Bewoners vroeg betrekken",
                authors=(), **extra):  # fmt: skip
    fields = {**LESSON, **extra}
    return services.knowledge_item_create(
        actor=actor, type="les", title=title, programme=programme, themes=themes,
        publish=publish, authors=authors, **fields,
    )  # fmt: skip


@pytest.fixture
def question(asker, programme, theme):
    return services.question_create(
        actor=asker,
        title="Hoe vind je een balans tussen lokale initiatieven en sturen op samenhang?",
        body="Wij zien **veel** kleine initiatieven.",
        programme=programme,
        themes=[theme],
    )


@pytest.fixture
def answer(question, answerer):
    return services.answer_create(
        actor=answerer, question=question, body="Begin met vertrouwen winnen, dan samenhang."
    )
