"""Demo content: seed 004's five questions and model, seed 002's pilot lessons and education
offer, seed 000's verankering; loaded twice without duplicates, and found by the search."""

from pathlib import Path

import pytest

from bouwplaats.accounts import demo as accounts_demo
from bouwplaats.events import demo as events_demo
from bouwplaats.knowledge import demo
from bouwplaats.knowledge.models import KnowledgeItem, Question, TrainingOffer
from bouwplaats.programmes import demo as programmes_demo
from bouwplaats.projects import demo as projects_demo
from bouwplaats.search.selectors import search_similar

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "../shared/seeds"


def _seed(prefix: str) -> str:
    found = list(SEEDS.glob(f"{prefix}_*.txt"))
    assert found, f"seed {prefix} not found in {SEEDS}"
    return " ".join(found[0].read_text().split())


@pytest.fixture
def loaded():
    accounts_demo.load()
    programmes_demo.load()
    events_demo.load()
    projects_demo.load()
    demo.load()
    demo.load()  # idempotent


def test_seed_004_questions_and_model(loaded, client):
    seed = _seed("004")
    questions = list(Question.objects.order_by("pk"))
    assert len(questions) == 5
    for question in questions:
        assert question.title.replace("’", "'") in seed.replace("’", "'")
        assert question.programme.name == "Coöperatief programmamanagement"
    model = KnowledgeItem.objects.get(type="model")
    page = client.get(model.get_absolute_url()).content.decode()
    assert 'role="img"' in page and "Belangenveld" in page and "Awareness drivers" in page
    assert model.figure_text and model.featured


def test_pilot_lessons_verankering_and_offers(loaded, client):
    lessons = KnowledgeItem.objects.filter(type="les", status="gepubliceerd")
    assert lessons.filter(pilots__title=demo.PILOT_TITLE).count() == 2
    verankering = lessons.get(themes__slug="verankering")
    assert verankering.sessions.get().title == "Programmamanagers: door ná 2017"
    assert "Taskforce" in _seed("000") and "Taskforce" in verankering.what_happened
    assert TrainingOffer.objects.count() == len(demo.OFFERS)
    page = client.get("/kennis/cursussen/").content.decode()
    assert "Training on the job" in page and "TU Delft" in page


def test_search_finds_the_demo(loaded):
    hits = search_similar(user=None, text="transitieopgave formele macht", kinds=["question"])
    assert hits and "regievoeren zonder macht" in hits[0].title
    assert search_similar(user=None, text="verankering regio", kinds=["lesson"])
