"""Fixtures of the calls and submissions tests: a call, its team and members of organisations."""

import pytest

from bouwplaats.accounts.models import Organisation, OrganisationMembership
from bouwplaats.projects import services
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    UserFactory,
)

from .helpers import GEMEENTE, answers_for, make_call


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


@pytest.fixture
def pilot(call, planner, team):
    """An admitted project of Gemeente Deventer, now a pilot with one promised milestone."""
    import datetime

    from bouwplaats.projects.models import Pilot

    submission = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        answers=answers_for(call), milestones=[("Eerste woningen", datetime.date(2027, 6, 1))],
    )  # fmt: skip
    for status in ("in_behandeling", "toegelaten"):
        services.submission_set_status(actor=team, submission=submission, status=status,
                                       reason="Ok")  # fmt: skip
    return Pilot.objects.get()
