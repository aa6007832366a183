"""Lists with pinned query counts, the API's paging, courses, and what the search finds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.events.models import Session
from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import TrainingOffer
from bouwplaats.search.selectors import search_similar
from tests.factories import SessionFactory

from .conftest import make_lesson

pytestmark = pytest.mark.django_db


def _fill(n, *, team, asker, answerer, theme, programme):
    for i in range(n):
        make_lesson(actor=team, themes=[theme], programme=programme, title=f"Les {i}")
        question = services.question_create(actor=asker, title=f"Vraag {i}?", themes=[theme],
                                            programme=programme)  # fmt: skip
        services.answer_create(actor=answerer, question=question, body=f"Antwoord {i}")


@pytest.mark.parametrize("n", [1, 6])
def test_list_pages_queries_do_not_grow(
    client, django_assert_num_queries, n, team, asker, answerer, theme, programme
):
    _fill(n, team=team, asker=asker, answerer=answerer, theme=theme, programme=programme)
    with django_assert_num_queries(8):
        assert client.get(reverse("knowledge:index")).status_code == 200
    # count, page, themes; the filters' themes and programmes.
    with django_assert_num_queries(5):
        assert client.get(reverse("knowledge:questions")).status_code == 200


@pytest.mark.parametrize("n", [1, 6])
def test_api_lists_queries_do_not_grow(
    api, django_assert_num_queries, n, team, asker, answerer, theme, programme
):
    _fill(n, team=team, asker=asker, answerer=answerer, theme=theme, programme=programme)
    visitor = api()
    with django_assert_num_queries(5):
        response = visitor.get("/knowledge")
    assert response.json()["count"] == n
    with django_assert_num_queries(3):
        response = visitor.get("/questions")
    assert response.json()["count"] == n and response.json()["items"][0]["answer_count"] == 1


def test_api_pages_and_filters(api, team, asker, answerer, theme, other_theme, programme):
    _fill(3, team=team, asker=asker, answerer=answerer, theme=theme, programme=programme)
    make_lesson(actor=team, themes=[other_theme], title="Andere les", programme=programme)
    visitor = api()
    page = visitor.get("/knowledge?limit=2&offset=1").json()
    assert page["count"] == 4 and len(page["items"]) == 2
    themed = visitor.get("/knowledge?theme=regie").json()
    assert [i["title"] for i in themed["items"]] == ["Andere les"]
    item = themed["items"][0]
    assert item["type"] == "les" and item["lesson"]["context"].startswith("Een binnenstedelijke")
    assert item["themes"] == [{"slug": "regie", "name": "Regie"}]
    detail = visitor.get(f"/knowledge/{item['id']}").json()
    assert detail["links"] == {"sessions": [], "pilots": [], "projects": []}
    assert visitor.get("/questions?unanswered=true").json()["count"] == 0


def test_api_hides_drafts_and_links_the_caller_may_not_see(api, team, asker, theme, pilot,
                                                           planner):  # fmt: skip
    draft = services.knowledge_item_create(
        actor=planner, type="les", title="Concept", themes=[theme], pilots=[pilot],
        context="c", what_happened="w", do_differently="d", evidence="e",
        programme=pilot.programme,
    )  # fmt: skip
    assert api().get(f"/knowledge/{draft.pk}").status_code == 404
    assert api(asker).get(f"/knowledge/{draft.pk}").status_code == 404
    assert api(planner).get(f"/knowledge/{draft.pk}").json()["links"]["pilots"] == [pilot.pk]
    services.knowledge_item_curate(actor=team, item=draft, status="gepubliceerd")
    assert api().get(f"/knowledge/{draft.pk}").json()["links"]["pilots"] == []
    assert api().get(f"/knowledge?pilot={pilot.pk}").json()["count"] == 1


def test_courses_catalogue(client, programme, team):
    start = timezone.now() + datetime.timedelta(days=10)
    SessionFactory(programme=programme, type=Session.Type.CURSUS, title="Cursus procesregie",
                   status=Session.Status.PUBLISHED, start=start,
                   end=start + datetime.timedelta(hours=3))  # fmt: skip
    SessionFactory(programme=programme, type=Session.Type.CURSUS, title="Conceptcursus",
                   status=Session.Status.DRAFT, start=start,
                   end=start + datetime.timedelta(hours=3))  # fmt: skip
    SessionFactory(programme=programme, type=Session.Type.WEBINAR, title="Een webinar",
                   status=Session.Status.PUBLISHED, start=start,
                   end=start + datetime.timedelta(hours=3))  # fmt: skip
    TrainingOffer.objects.create(title="Training on the job", kind="on_the_job",
                                 provider="TU Delft")  # fmt: skip
    TrainingOffer.objects.create(title="Oud aanbod", kind="opleiding", active=False)
    page = client.get(reverse("knowledge:courses")).content.decode()
    assert "Cursus procesregie" in page and "Training on the job" in page
    assert "Conceptcursus" not in page and "Een webinar" not in page and "Oud aanbod" not in page


def test_search_finds_questions_and_published_lessons_only(
    client, asker, team, theme, programme, question, voter
):
    make_lesson(actor=asker, themes=[theme], programme=programme, publish=False,
                title="Transitieopgaven zonder formele macht")  # fmt: skip
    make_lesson(actor=team, themes=[theme], programme=programme,
                title="Regievoeren bij transitieopgaven")  # fmt: skip
    visitor = [h.title for h in search_similar(user=None, text="transitieopgave regie",
                                               kinds=["lesson"])]  # fmt: skip
    assert visitor == ["Regievoeren bij transitieopgaven"]
    author = {h.title for h in search_similar(user=asker, text="transitieopgaven formele macht",
                                              kinds=["lesson"])}  # fmt: skip
    assert "Transitieopgaven zonder formele macht" in author
    similar = reverse("knowledge:question_similar")
    hits = client.get(similar, {"title": "balans lokale initiatieven samenhang"})
    assert question.title in hits.content.decode()
    assert client.get(similar, {"title": "x" * 10_000}).status_code == 200


def test_an_accepted_answer_is_boosted_in_the_index(question, answer, asker):
    from bouwplaats.search.models import Entry

    assert Entry.objects.get(kind="answer", object_id=answer.pk).boost == 1.0
    services.answer_accept(actor=asker, answer=answer)
    assert Entry.objects.get(kind="answer", object_id=answer.pk).boost == 1.5


def test_home_page_and_navigation_lead_to_the_knowledge(client):
    page = client.get("/").content.decode()
    assert 'href="/kennis/"' in page and 'href="/kennis/vragen/"' in page
    assert ">Kennis</a>" in client.get("/kennis/").content.decode()


def test_programme_page_shows_its_knowledge_and_questions(client, team, asker, theme, programme,
                                                          question):  # fmt: skip
    make_lesson(actor=team, themes=[theme], programme=programme, title="Les van dit programma")
    make_lesson(actor=asker, themes=[theme], programme=programme, title="Concept", publish=False)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert 'data-section="knowledge"' in page and "Les van dit programma" in page
    assert question.title in page and "Concept" not in page
