"""The API reads a JSON body as RFC 8259 has it, and every 422 names its field (API.md).

A lone surrogate (``"\\ud800"``) is valid JSON syntax that Python decodes into a string no
database can store (SQLite and PostgreSQL both fail to encode it: a 500); NaN and Infinity are
no JSON at all. Both are refused with a 4xx ``detail`` before any handler runs.
"""

import pytest

from bouwplaats.core import jsonbody
from bouwplaats.events.models import Registration, Session, SessionChange
from bouwplaats.knowledge.models import Question
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _raw(api, user, method, path, text):
    return getattr(api(user), method)(path, text, content_type="application/json")


@pytest.mark.parametrize("text", ['"\\ud800"', '"a\\udfffb"', '"\\udc80-x"'])
def test_a_lone_surrogate_in_a_body_is_a_400_and_changes_nothing(api, member, text):
    session = SessionFactory(host=member)
    before = session.intro
    response = _raw(api, member, "patch", f"/sessions/{session.pk}", f'{{"intro": {text}}}')
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"]
    session.refresh_from_db()
    assert session.intro == before
    assert not SessionChange.objects.exists()


def test_a_lone_surrogate_in_a_key_or_a_list_is_refused(api, member):
    for body in ('{"title": "Vraag", "themes": ["\\ud800"]}', '{"title": "V", "\\udfff": 1}'):
        response = _raw(api, member, "post", "/questions", body)
        assert response.status_code == 400, response.content[:300]
    assert not Question.objects.exists()


def test_an_escaped_emoji_pair_is_still_text(api, member):
    response = _raw(api, member, "post", "/questions", '{"title": "Wie weet het? \\ud83d\\udca5"}')
    assert response.status_code == 201, response.content[:300]
    assert Question.objects.get().title == "Wie weet het? 💥"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_no_json(api, member, constant):
    response = _raw(
        api, member, "post", "/questions", f'{{"title": "Vraag", "programme": {constant}}}'
    )
    assert response.status_code == 400 and response.json()["detail"]
    assert not Question.objects.exists()


def test_a_refused_registration_body_names_the_field(api, member):
    session = SessionFactory()
    response = api(member).post(f"/sessions/{session.pk}/registrations", {"answers": "nee"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["code"] == "answers" and body["errors"]["answers"]
    assert not Registration.objects.exists() and Session.objects.count() == 1


@pytest.mark.parametrize("text", ["{", '{"title": NaN}', "[" * 100_000, "\xff\xfe"])
def test_a_body_that_is_no_json_is_refused_in_dutch(api, member, text):
    response = _raw(api, member, "post", "/questions", text)
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"detail": "De inhoud van het verzoek is geen geldige JSON."}
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": ["\\udfff"]}',
        b'{"a": "\\uDA00x"}',
        b'"\xed\xa0\x80"',  # raw surrogate bytes: json.loads decodes bytes with surrogatepass
        '{"a": "\\ud800"}'.encode("utf-16"),
        '{"a": "\\ud800"}',
    ],
)
def test_every_spelling_of_a_lone_surrogate_is_refused(body):
    with pytest.raises(ValueError, match="lone surrogate"):
        jsonbody.loads(body)


def test_a_body_without_surrogate_escapes_is_not_walked(monkeypatch):
    # A 20,000-work upload spent seconds walking every coordinate for a surrogate.
    def walked(value):
        raise AssertionError("walked a body that cannot hold a surrogate")

    monkeypatch.setattr(jsonbody, "_lone_surrogate", walked)
    body = b'{"features": [{"name": "Stra\xc3\x9fe \\u00e9 \xf0\x9f\x98\x80"}], "n": [1.5, 2]}'
    assert jsonbody.loads(body)["n"] == [1.5, 2]
