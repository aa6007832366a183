import pytest

from tests.factories import SessionFactory


@pytest.fixture
def session(programme, team_member):
    """A published bouwsessie of the programme, hosted by a member outside the team."""
    return SessionFactory(programme=programme, capacity=2)


@pytest.fixture
def run_on_commit(transactional_db):
    """Commit for real, so that the mail tasks enqueued in on_commit run."""
