"""Bad input on pages and API: a clear refusal naming the field, nothing stored, never a 5xx;
hostile Markdown comes out sanitised."""

import pytest
from django.urls import reverse

from bouwplaats.knowledge.models import Answer, KnowledgeItem, Question
from tests.refusals import HUGE, api_fields, page_fields

from .conftest import LESSON

pytestmark = pytest.mark.django_db

LONG = "a" * 10_000
BAD_TITLES = [
    ("", "title"),
    ("   ", "title"),
    (LONG, "title"),
    ("Regel\neen", "title"),
    ("Nul\x00teken", "title"),
]
BAD_BODIES = [
    ("", "body"),
    ("x" * 10_001, "body"),
    ("Stuur\x07teken", "body"),
    ("Nul\x00teken", "body"),
]


@pytest.mark.parametrize("title,field", BAD_TITLES)
def test_bad_question_refused_on_page_and_api(client, api, voter, title, field):
    client.force_login(voter)
    page = client.post(reverse("knowledge:question_create"), {"title": title, "body": "Tekst"})
    assert page.status_code == 200
    assert field in page_fields(page.content.decode())
    response = api(voter).post("/questions", {"title": title, "body": "Tekst"})
    assert response.status_code == 422
    assert field in api_fields(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize("body", [LONG + "x", "Nul\x00teken", "Stuur\x1bteken"])
def test_bad_question_body_refused(client, api, voter, body):
    client.force_login(voter)
    page = client.post(reverse("knowledge:question_create"), {"title": "Vraag?", "body": body})
    assert page.status_code == 200 and "body" in page_fields(page.content.decode())
    response = api(voter).post("/questions", {"title": "Vraag?", "body": body})
    assert response.status_code == 422 and "body" in api_fields(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize("body,field", BAD_BODIES)
def test_bad_answer_refused_on_page_and_api(client, api, question, voter, body, field):
    client.force_login(voter)
    page = client.post(reverse("knowledge:answer_create", args=[question.pk]), {"body": body})
    assert page.status_code == 200 and field in page_fields(page.content.decode())
    response = api(voter).post(f"/questions/{question.pk}/answers", {"body": body})
    assert response.status_code == 422 and field in api_fields(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"title": "Vraag?", "programme": HUGE}, "programme"),
        ({"title": "Vraag?", "programme": 999999}, "programme"),
        ({"title": "Vraag?", "themes": ["bestaat-niet"]}, "themes"),
        ({"title": "Vraag?", "themes": "participatie"}, "themes"),
        ({"title": 12}, "title"),
        ({}, "title"),
    ],
)
def test_api_refuses_bad_references(api, voter, theme, payload, field):
    response = api(voter).post("/questions", payload)
    assert response.status_code == 422
    assert field in api_fields(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/knowledge/0", f"/knowledge/{HUGE}", "/knowledge/1x", "/questions/0", f"/questions/{HUGE}",
     "/knowledge?limit=0", "/knowledge?offset=-1", "/knowledge?type=onbekend",
     "/questions?programme=abc", "/knowledge?theme=" + "x" * 200],
)  # fmt: skip
def test_api_bad_ids_and_filters_are_4xx(api, path):
    response = api().get(path)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_unknown_ids_are_404_on_api_and_pages(client, api, voter):
    member = api(voter)
    assert member.post("/answers/999/vote").status_code == 404
    assert member.post("/answers/999/accept").status_code == 404
    assert member.post("/questions/999/answers", {"body": "x"}).status_code == 404
    assert client.get("/kennis/999/").status_code == 404
    assert client.get("/kennis/vragen/999/").status_code == 404


@pytest.mark.parametrize("pilot", ["abc", HUGE, "-1", "0", "1 OR 1=1"])
def test_bad_pilot_parameter(client, team, pilot):
    assert client.get(reverse("knowledge:index"), {"pilot": pilot}).status_code == 200
    client.force_login(team)
    assert client.get(reverse("knowledge:lesson_create"), {"pilot": pilot}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"type": "onzin"}, {"theme": "<script>"}, {"programme": HUGE}, {"page": "999"},
     {"page": "-1"}, {"theme": "x" * 10_000}],
)  # fmt: skip
def test_bad_filters_on_the_list_give_a_page(client, query):
    assert client.get(reverse("knowledge:index"), query).status_code == 200


HOSTILE = (
    "<script>alert(1)</script> [klik](javascript:alert(2)) <img src=x onerror=alert(3)> "
    '<a href="data:text/html,x">data</a> **vet**'
)


def test_hostile_markdown_is_sanitised_on_page_and_api(client, api, voter, answerer, theme):
    member = api(voter)
    created = member.post("/questions", {"title": "Vraag <b>x</b>", "body": HOSTILE})
    assert created.status_code == 201
    question_id = created.json()["id"]
    answered = api(answerer).post(f"/questions/{question_id}/answers", {"body": HOSTILE})
    assert answered.status_code == 201
    for html in (
        client.get(f"/kennis/vragen/{question_id}/").content.decode(),
        member.get(f"/questions/{question_id}").json()["html"],
        answered.json()["html"],
    ):
        assert "<script>alert" not in html and 'href="javascript:' not in html
        assert "<img src=x" not in html and '<a href="data:' not in html
        assert "<strong>vet</strong>" in html
    page = client.get(f"/kennis/vragen/{question_id}/").content.decode()
    assert "Vraag &lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize(
    "change",
    [{"title": LONG}, {"context": "x" * 5001}, {"evidence": "Nul\x00"}, {"check_by": "0001-01-01"},
     {"summary": "twee\nregels"}, {"type": "onbekend"}],
)  # fmt: skip
def test_bad_knowledge_item_refused_on_the_page(client, team, theme, change):
    client.force_login(team)
    data = {"type": "les", "title": "Les", "themes": [theme.pk], **LESSON, **change}
    response = client.post(reverse("knowledge:item_create"), data)
    assert response.status_code == 200
    assert set(change) & page_fields(response.content.decode())
    assert not KnowledgeItem.objects.exists()


@pytest.mark.parametrize(
    "text",
    ['"', "*", "NEAR(a b)", "a AND OR NOT b", "-x", "title:x", "((", "'; DROP TABLE x; --",
     "\x00", "ü" * 400, "   "],
)  # fmt: skip
def test_search_syntax_while_typing_gives_a_fragment(client, question, text):
    response = client.get(reverse("knowledge:question_similar"), {"title": text})
    assert response.status_code == 200


def test_questions_filter_by_theme(client, question, asker, other_theme):
    from bouwplaats.knowledge import services

    services.question_create(actor=asker, title="Over regie", themes=[other_theme])
    page = client.get(reverse("knowledge:questions"), {"theme": "regie"}).content.decode()
    assert "Over regie" in page and question.title not in page
    assert client.get(reverse("knowledge:questions"), {"theme": "x" * 500}).status_code == 200
