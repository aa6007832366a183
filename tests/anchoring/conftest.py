"""Fixtures of the anchoring tests: Beter Benutten with two regions' koffertjes and its team."""

import pytest

from bouwplaats.anchoring import services
from tests.factories import UserFactory

from .helpers import region_with_koffertje


@pytest.fixture
def brabant(programme, team_member):
    """Brabant's koffertje and a verified member of Provincie Noord-Brabant."""
    return region_with_koffertje(programme, team_member, "Brabant", "Provincie Noord-Brabant")


@pytest.fixture
def gelderland(programme, team_member):
    """Arnhem-Nijmegen's koffertje and a verified member of Provincie Gelderland."""
    return region_with_koffertje(programme, team_member, "Arnhem-Nijmegen", "Provincie Gelderland")


@pytest.fixture
def stakeholder(programme, team_member):
    """The residents' collective in Beter Benutten's field, rated once."""
    return services.stakeholder_create(
        actor=team_member,
        programme=programme,
        name="Bewonerscollectief",
        kind="groep",
        interest=4,
        influence=2,
        level="raadplegen",
        direction="bottom_up",
        reason="Bewoners nemen het initiatief",
    )


@pytest.fixture
def outsider(db):
    """A signed-in member with no role in the programme."""
    return UserFactory(full_name="Buiten Staander")
