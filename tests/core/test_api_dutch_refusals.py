"""The API's schema refusals are Dutch, with the limit that was broken, in the same shape
(`detail` list, `code`, `errors`) as the services' refusals."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.core.schema_errors import dutch_message

pytestmark = pytest.mark.django_db

ENGLISH = ("String should", "Field required", "Input should", "valid integer", "at most")


def _refusal(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == field
    messages = body["errors"][field]
    # The `detail` list carries the same Dutch message.
    assert [d["msg"] for d in body["detail"] if field in map(str, d["loc"])] == messages
    text = str(body)
    assert not any(english in text for english in ENGLISH), text
    return messages


def test_a_long_question_title_is_refused_in_dutch_with_its_limit(api, member):
    response = api(member).post("/questions", {"title": "x" * 10_000})
    assert _refusal(response, "title") == ["Gebruik hoogstens 200 tekens."]


def test_a_missing_title_is_refused_in_dutch(api, member):
    assert _refusal(api(member).post("/questions", {"body": "Waarom?"}), "title") == [
        "Dit veld is verplicht."
    ]


def test_too_many_themes_name_the_limit(api, member):
    body = {"title": "Wie kent een goede aanpak?", "themes": [f"t{n}" for n in range(21)]}
    assert _refusal(api(member).post("/questions", body), "themes") == [
        "Geef hoogstens 20 waarden op."
    ]


def test_query_and_path_numbers_are_refused_in_dutch(api, member):
    works = api(member)
    assert _refusal(works.get("/works", {"limit": "0"}), "limit") == [
        "Geef een getal van minstens 1 op."
    ]
    assert _refusal(works.get("/works", {"limit": "veel"}), "limit") == [
        "Geef een geheel getal op."
    ]
    assert _refusal(api(member).get("/sessions/99999999999999999999"), "session_id") == [
        "Geef een getal van hoogstens 9223372036854775807 op."
    ]
    # A validator's own Dutch message loses pydantic's "Value error, " prefix.
    assert _refusal(api(member).get("/sessions", {"programme": "0"}), "programme") == [
        "Een id ligt tussen 1 en 2**63 - 1."
    ]


def test_a_date_that_is_no_date_is_refused_in_dutch(api, member, programme):
    start = timezone.now() + datetime.timedelta(days=30)
    body = {
        "programme": programme.pk,
        "type": "webinar",
        "title": "Ja, ik praat mee",
        "start": "morgen om tien uur",
        "end": start.isoformat(),
        "online": True,
    }
    assert _refusal(api(member).post("/sessions", body), "start") == [
        "Geef een datum en tijd op als JJJJ-MM-DDTUU:MM."
    ]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "string_too_short", "ctx": {"min_length": 1}}, "Dit veld mag niet leeg zijn."),
        ({"type": "string_too_short", "ctx": {"min_length": 3}}, "Gebruik minstens 3 tekens."),
        ({"type": "string_too_long", "ctx": {"max_length": 1}}, "Gebruik hoogstens 1 teken."),
        ({"type": "int_parsing"}, "Geef een geheel getal op."),
        ({"type": "greater_than", "ctx": {"gt": 0}}, "Geef een getal groter dan 0 op."),
        ({"type": "less_than", "ctx": {"lt": 10}}, "Geef een getal kleiner dan 10 op."),
        ({"type": "less_than_equal", "ctx": {"le": 5}}, "Geef een getal van hoogstens 5 op."),
        (
            {"type": "url_parsing", "ctx": {"error": "relative URL without a base"}},
            "Geef een geldig webadres op, zoals https://voorbeeld.nl.",
        ),
        (
            {"type": "date_parsing", "ctx": {"error": "invalid"}},
            "Geef een datum op als JJJJ-MM-DD.",
        ),
        (
            {
                "type": "value_error",
                "msg": "Value error, Kies een datum na 2000.",
                "ctx": {"error": "Kies een datum na 2000."},
            },
            "Kies een datum na 2000.",
        ),  # fmt: skip
        (
            {"type": "value_error", "ctx": {"error": "value is not a valid email address: x"}},
            "Geef een geldig e-mailadres op.",
        ),
        (
            {"type": "literal_error", "ctx": {"expected": "'webinar' or 'cursus'"}},
            "Kies een van: 'webinar' of 'cursus'.",
        ),
        ({"type": "iets_onbekends", "msg": "Something English"}, "Deze waarde is ongeldig."),
    ],
)
def test_each_error_type_has_a_dutch_message(error, message):
    assert dutch_message(error) == message
