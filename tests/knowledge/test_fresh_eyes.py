"""Stumbles of a fresh-eyes walk of the knowledge pages: theme names are searchable."""

import pytest
from django.urls import reverse

from bouwplaats.knowledge import services
from tests.factories import ThemeFactory
from tests.knowledge.conftest import make_lesson

pytestmark = pytest.mark.django_db


def _found(client, q, kind):
    return client.get(reverse("search:results"), {"q": q, "soort": kind}).text


@pytest.fixture
def verankering(db):
    return ThemeFactory(name="Verankering", slug="verankering")


def test_an_open_question_is_found_by_its_theme_name(client, asker, programme, verankering):
    question = services.question_create(
        actor=asker, title="Wie houdt het vast na de pilot?", body="Na de subsidie stopt het.",
        programme=programme, themes=[verankering],
    )  # fmt: skip
    assert question.title in _found(client, "verankering", "question")


def test_an_answer_is_found_by_its_question_theme_name(client, asker, answerer, programme,
                                                       verankering):  # fmt: skip
    question = services.question_create(
        actor=asker, title="Wie houdt het vast?", body="Na de subsidie stopt het.",
        programme=programme, themes=[verankering],
    )  # fmt: skip
    services.answer_create(actor=answerer, question=question, body="Leg het vast in beleid.")
    assert question.title in _found(client, "verankering", "answer")


def test_a_lesson_is_found_by_its_theme_name(client, team, programme, verankering):
    make_lesson(actor=team, themes=[verankering], programme=programme, title="Borg de aanpak")
    assert "Borg de aanpak" in _found(client, "verankering", "lesson")


# --- Curation leaves audit entries ----------------------------------------------------------------


def test_featuring_archiving_and_dating_an_item_are_in_the_audit_log(team, programme, theme):
    import datetime

    from bouwplaats.core.audit import action_label
    from bouwplaats.core.models import AuditEntry

    item = make_lesson(actor=team, themes=[theme], programme=programme)
    services.knowledge_item_curate(actor=team, item=item, featured=True)
    services.knowledge_item_curate(actor=team, item=item, check_by=datetime.date(2027, 3, 1))
    services.knowledge_item_curate(actor=team, item=item, status="gearchiveerd")
    services.knowledge_item_curate(actor=team, item=item, status="gearchiveerd")  # no change
    actions = list(
        AuditEntry.objects.filter(object_type="knowledge.knowledgeitem", object_id=str(item.pk))
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("knowledge.item.featured", team.pk),
        ("knowledge.item.check_dated", team.pk),
        ("knowledge.item.archived", team.pk),
        # Archiving takes the item out of the spotlight.
        ("knowledge.item.unfeatured", team.pk),
    ]
    assert str(action_label("knowledge.item.featured")) == "Kennisitem uitgelicht (Kennis)"
