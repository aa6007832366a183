"""The page and the API refuse the same bad values with the same field named, storing nothing."""

import pytest

from bouwplaats.projects.models import Submission, SubmissionStep
from bouwplaats.projects.services import answer_field

pytestmark = pytest.mark.django_db

# (field, bad value, words of the Dutch message)
SUBMISSION_CASES = [
    ("title", "x" * 201, "200"),
    ("title", "", ""),
    ("title", "regel\neinde", "regeleinden"),
    ("title", "bel\x07", "stuurtekens"),
    ("summary", "x" * 5001, "5000"),
    ("summary", "nul\x00teken", ""),
    ("summary", "esc\x1b", "stuurtekens"),
]


@pytest.mark.parametrize(("field", "value", "words"), SUBMISSION_CASES)
def test_submission_page_and_api_refuse_alike(client, api, call, planner, deventer, field, value,
                                              words):  # fmt: skip
    required = call.questions.get(required=True)
    form = {"organisation": deventer.pk, "title": "Havenkwartier", "summary": "",
            answer_field(required.pk): "Sneller", "indienen": "1", field: value}  # fmt: skip
    client.force_login(planner)
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", form)
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html and words in html
    body = {"organisation": deventer.pk, "title": "Havenkwartier", "summary": "",
            "answers": [{"question": required.pk, "text": "Sneller"}], field: value}  # fmt: skip
    response = api(planner).post(f"/calls/{call.pk}/submissions", body)
    assert response.status_code == 422
    assert response.json()["code"] == field
    assert words in " ".join(response.json()["errors"][field])
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("value", "words"), [("x" * 5001, "5000"), ("esc\x1b", "stuurtekens")])
def test_answers_page_and_api_refuse_alike(client, api, call, planner, deventer, value, words):
    # The page names the question's field, the API the answer's text by its path.
    optional = call.questions.get(required=False)
    required = call.questions.get(required=True)
    client.force_login(planner)
    form = {"organisation": deventer.pk, "title": "Havenkwartier",
            answer_field(required.pk): "Sneller", answer_field(optional.pk): value,
            "indienen": "1"}  # fmt: skip
    html = client.post(f"/oproepen/{call.pk}/aanmelden/", form).content.decode()
    assert f'id="id_{answer_field(optional.pk)}_errors"' in html and words in html
    body = {"organisation": deventer.pk, "title": "Havenkwartier",
            "answers": [{"question": required.pk, "text": "Sneller"},
                        {"question": optional.pk, "text": value}]}  # fmt: skip
    response = api(planner).post(f"/calls/{call.pk}/submissions", body)
    assert response.status_code == 422 and response.json()["code"] == "answers.1.text"
    assert words in " ".join(response.json()["errors"]["answers.1.text"])
    assert not Submission.objects.exists()


STEP_CASES = [
    ("reason", "reason", "x" * 2001, "2000"),
    ("reason", "reason", "", ""),
    ("reason", "reason", "nul\x00", ""),
    ("contact_name", "contact", "x" * 201, "200"),
    ("contact_name", "contact", "twee\nregels", "regeleinden"),
    ("contact_email", "contact_email", "geen-adres", "e-mailadres"),
]


@pytest.mark.parametrize(("page_field", "api_field", "value", "words"), STEP_CASES)
def test_review_step_page_and_api_refuse_alike(client, api, submission, team, page_field,
                                               api_field, value, words):  # fmt: skip
    client.force_login(team)
    form = {"status": "onvolledig", "reason": "Begroting", page_field: value}
    response = client.post(f"/oproepen/aanmeldingen/{submission.pk}/status/", form)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{page_field}_errors"' in html and words in html
    body = {"status": "onvolledig", "reason": "Begroting", api_field: value}
    response = api(team).patch(f"/submissions/{submission.pk}", body)
    assert response.status_code == 422 and response.json()["code"] == api_field
    assert words in " ".join(response.json()["errors"][api_field])
    assert submission.steps.count() == 1
    assert SubmissionStep.objects.count() == 1


@pytest.mark.parametrize("bad", ["١", "٣", "0", str(2**63), "1_0", "+1"])
def test_ids_are_ascii_digits_in_range(client, api, call, planner, bad):
    # Pages: the URL converter takes ASCII digits only, anything else is not found.
    assert client.get(f"/oproepen/{bad}/").status_code == 404
    assert api().get(f"/calls/{bad}").status_code == 422
    assert api(planner).get(f"/submissions/{bad}").status_code == 422
    response = api(planner).post(
        f"/calls/{call.pk}/submissions", {"title": "x", "organisation": bad}
    )
    assert response.status_code == 422 and response.json()["code"] == "organisation"
