"""Fresh-eyes walk of the knowledge forms: a field the service requires is never labelled
"(niet verplicht)", and an empty answer is refused with one error, not two."""

import re

import pytest
from django.urls import reverse

from bouwplaats.knowledge.models import Answer

pytestmark = pytest.mark.django_db


def _labels(page: str) -> dict[str, str]:
    labels = dict(re.findall(r'<label for="(id_[a-z_]+)">(.*?)</label>', page, re.S))
    for legend in re.findall(r"<legend>(.*?)</legend>", page, re.S):
        if legend.startswith("Thema"):
            labels["id_themes"] = legend
    return labels


def test_the_lesson_form_marks_the_lessons_parts_and_theme_as_required(client, pilot, planner):
    client.force_login(planner)
    page = client.get(reverse("knowledge:lesson_create") + f"?pilot={pilot.pk}").content.decode()
    labels = _labels(page)
    for field in ("context", "what_happened", "do_differently", "evidence", "themes"):
        label = labels[f"id_{field}"]
        assert "niet verplicht" not in label, (field, label)
        assert "verplicht bij een les" in label, (field, label)


def test_a_lesson_without_a_theme_is_refused(client, pilot, planner):
    client.force_login(planner)
    response = client.post(
        reverse("knowledge:lesson_create") + f"?pilot={pilot.pk}",
        {"type": "les", "title": "Vroeg beginnen", "context": "Wijk", "what_happened": "Iets",
         "do_differently": "Eerder", "evidence": "Verslag", "pilots": [pilot.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Kies ten minste één thema voor de les." in response.content.decode()


def test_an_empty_answer_gets_one_error(client, question, answerer):
    client.force_login(answerer)
    page = client.get(reverse("knowledge:question", args=[question.pk])).content.decode()
    assert "niet verplicht" not in _labels(page).get("id_body", "niet verplicht")
    response = client.post(reverse("knowledge:answer_create", args=[question.pk]), {"body": " "})
    page = response.content.decode()
    assert "Schrijf uw antwoord." in page
    assert "Dit veld is verplicht." not in page
    assert not Answer.objects.exists()
