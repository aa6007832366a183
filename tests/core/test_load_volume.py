"""``manage.py load_volume`` at a small scale: counts, invariants, pages, a second run."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from bouwplaats.accounts.models import User
from bouwplaats.core.volume import DOMAIN
from bouwplaats.events.models import Registration, Session
from bouwplaats.knowledge.models import Answer, KnowledgeItem, Question
from bouwplaats.newsletters.models import Subscription
from bouwplaats.planning.models import Combination, Conflict, Work
from bouwplaats.planning.pairs import pairs_rebuild
from bouwplaats.search.models import Entry

SCALE = "0.002"
# At 0.002: the full set's 10,000 sessions, 200,000 registrations, 100,000 subscribers,
# 100,000 works, 50,000 knowledge items and 50,000 questions, times 0.002.
EXPECTED = {
    Session: 20,
    Registration: 400,
    Subscription: 200,
    Work: 200,
    KnowledgeItem: 100,
    Question: 100,
    Answer: 50,
}

pytestmark = pytest.mark.django_db


def load(seed: int = 7) -> None:
    call_command("load_volume", "--scale", SCALE, "--seed", str(seed), stdout=None)


def counts() -> dict:
    return {model: model.objects.count() for model in EXPECTED}


def test_counts_are_the_scaled_production_volume():
    load()
    assert counts() == EXPECTED
    assert User.objects.filter(email__endswith=f"@{DOMAIN}").count() == 60


def test_every_row_passes_its_models_validation():
    """The rows are what the services would store: full_clean accepts each one."""
    load()
    for model in (Session, Registration, Subscription, Work, KnowledgeItem, Question, Answer):
        for row in model.objects.all():
            row.full_clean()
    for item in KnowledgeItem.objects.filter(type=KnowledgeItem.Type.LESSON):
        assert item.themes.exists(), "a lesson needs a theme (knowledge.services)"


def test_seat_counts_match_the_confirmed_registrations_within_capacity():
    load()
    sessions = Session.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    )
    for session in sessions:
        assert session.seats_confirmed == session.confirmed
        if session.capacity is not None:
            assert session.confirmed <= session.capacity
        else:
            assert not session.registrations.filter(status="waitlisted").exists()
    assert Registration.objects.filter(status="waitlisted").exists()


def test_stored_pairs_and_search_index_are_current():
    load()
    stored = (Combination.objects.count(), Conflict.objects.count())
    assert stored[0] > 0 and stored[1] > 0
    assert pairs_rebuild() == stored
    assert Entry.objects.filter(kind="session").count() == 20
    assert Entry.objects.filter(kind="work").count() == Work.objects.count()


def test_pages_of_each_type_answer(api):
    load()
    planner = User.objects.get(email=f"lid000000@{DOMAIN}")
    client = Client()
    client.force_login(planner)
    session = Session.objects.first()
    item = KnowledgeItem.objects.first()
    question = Question.objects.first()
    pages = [
        reverse("events:list"),
        session.get_absolute_url(),
        reverse("knowledge:index"),
        item.get_absolute_url(),
        reverse("knowledge:questions"),
        question.get_absolute_url(),
        reverse("search:results") + "?q=riolering",
        reverse("planning:map"),
        reverse("planning:list"),
        reverse("projects:calls"),
        reverse("newsletters:index"),
    ]
    for path in pages:
        assert client.get(path).status_code == 200, path
    token = api(planner)
    for path in (
        "/sessions",
        f"/sessions/{session.pk}",
        "/knowledge",
        "/questions",
        "/works",
        "/works/combinations",
        "/works/conflicts",
        "/calls",
        "/search?q=riolering",
    ):
        assert token.get(path).status_code == 200, path
    found = token.get("/search?q=riolering").json()
    assert found["items"], "the search index holds the volume works"


def test_a_second_run_replaces_the_first():
    """Idempotent for one seed: the same rows again, nothing added; another seed differs."""
    load()
    first = sorted(Session.objects.values_list("title", "capacity", "seats_confirmed"))
    load()
    assert counts() == EXPECTED
    assert sorted(Session.objects.values_list("title", "capacity", "seats_confirmed")) == first
    load(seed=8)
    assert counts() == EXPECTED
    assert sorted(Session.objects.values_list("title", "capacity", "seats_confirmed")) != first


def test_other_content_is_left_alone():
    from tests.factories import SessionFactory

    own = SessionFactory()
    load()
    load()
    assert Session.objects.filter(pk=own.pk).exists()
    assert Session.objects.count() == EXPECTED[Session] + 1


def test_scale_out_of_range_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_volume", "--scale", "0")
