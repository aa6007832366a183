"""Fixtures of the calls and submissions tests: a call, its team and members of organisations."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.accounts.models import Organisation, OrganisationMembership
from bouwplaats.projects import services
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    UserFactory,
)

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


@pytest.fixture
def programme(db):
    return ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties",
        slug="intensiveringsprogramma",
    )


@pytest.fixture
def call(programme):
    return make_call(programme)


@pytest.fixture
def team(programme):
    """A member of the programme team (Platform31)."""
    return MembershipFactory(
        programme=programme, user=UserFactory(full_name="Petra Programmateam")
    ).user


@pytest.fixture
def deventer(db):
    return OrganisationFactory(name="Gemeente Deventer", kind=GEMEENTE)


@pytest.fixture
def planner(deventer):
    """A verified member of Gemeente Deventer: may submit."""
    return PlannerFactory(full_name="Jan Pluim", organisation=deventer)


@pytest.fixture
def colleague(deventer):
    """Another verified member of Gemeente Deventer."""
    return PlannerFactory(full_name="Collega Deventer", organisation=deventer)


@pytest.fixture
def unverified(deventer):
    """States Gemeente Deventer on the profile, membership only requested."""
    user = UserFactory(full_name="Niet Geverifieerd", organisation=deventer)
    OrganisationMembership.objects.create(
        user=user, organisation=deventer, status=OrganisationMembership.Status.REQUESTED
    )
    return user


@pytest.fixture
def outsider(db):
    """A verified member of another municipality."""
    return PlannerFactory(
        full_name="Gemeente Ede",
        organisation=OrganisationFactory(name="Gemeente Ede", kind=GEMEENTE),
    )


@pytest.fixture
def market(db):
    """A verified member of a marktpartij (a kind the call does not admit)."""
    return PlannerFactory(
        full_name="Marktpartij",
        organisation=OrganisationFactory(name="Bouwbedrijf", kind=Organisation.Kind.MARKTPARTIJ),
    )


def answers_for(call, text="Sneller bouwen"):
    required = call.questions.get(required=True)
    return {required.pk: text}


@pytest.fixture
def submission(call, planner, django_capture_on_commit_callbacks):
    """A submitted project of Gemeente Deventer (status ingediend)."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.submission_create(
            actor=planner,
            call=call,
            organisation=planner.organisation,
            title="Transformatie Havenkwartier",
            summary="Van bedrijventerrein naar woon-werkwijk.",
            answers=answers_for(call),
        )
