"""Property-based tests over the whole /api/v1, generated from its OpenAPI description.

Whatever a client sends, what the description allows and the hostile values it does not
(strings up to 10,000 characters, integers up to 10**30, non-ASCII digits, control
characters, dates in year 1 and 9999), the answer is never a 5xx, every refusal is JSON with a
``detail``, and a refused write stores nothing. The demo content is loaded once (conftest.py);
each example runs in a savepoint that is rolled back, so every example sees the demo as loaded.
"""

import json
import os
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from django.apps import apps
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core import NOT_SET

from bouwplaats.api import api
from tests.row_counts import row_count

OPENAPI = api.get_openapi_schema(path_prefix="/api/v1")
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Examples per operation: 37 operations x 30 keeps the fuzz under a minute on SQLite;
# FUZZ_EXAMPLES=300 searches deeper.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))

LONG = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["a", "é", "💥", "\u202e", "<"]),
    st.sampled_from([101, 201, 255, 256, 301, 1001, 5001, 10_000]),
)
BIG_INTEGERS = st.one_of(
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**20, 10**30, -(10**30)]),
    st.integers(min_value=-(10**30), max_value=10**30),
)
NON_ASCII_DIGITS = st.sampled_from(["²", "١٢", "٣", "𝟙𝟚", "¹⁰", "߁", "৩", "１２", "Ⅻ"])
CONTROL = st.sampled_from(
    ["\x00", "a\x00b", "\x1b[31mrood", "regel\nbreuk", "\r\n", "\u2028", "\x7f", "\t", "\x0c"]
)
EXTREME_DATES = st.sampled_from(
    [
        "0001-01-01",
        "9999-12-31",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        # Valid as written, but one step across the year boundary in UTC.
        "0001-01-01T00:30:00+01:00",
        "9999-12-31T23:30:00-01:00",
        "0000-01-01",
        "10000-01-01",
    ]
)
HOSTILE = st.one_of(
    LONG,
    BIG_INTEGERS,
    BIG_INTEGERS.map(str),
    NON_ASCII_DIGITS,
    CONTROL,
    EXTREME_DATES,
    st.text(max_size=20),
)
# Path parameters name demo objects often, so that writes get past "not found" to validation.
PATH_MODELS = {
    "id": "events.Session",
    "session_id": "events.Session",
    "programme_id": "programmes.Programme",
    "comment_id": "spaces.Comment",
    "photo_id": "spaces.Photo",
    "document_id": "spaces.Document",
    "list_id": "newsletters.NewsletterList",
    "issue_id": "newsletters.Issue",
    "work_id": "planning.Work",
}


def _body_fields(path: str, method: str) -> list[str]:
    """Return the top-level fields of an operation's JSON body as the OpenAPI document says."""
    body = OPENAPI["paths"][path][method.lower()].get("requestBody", {})
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = OPENAPI["components"]["schemas"][schema["$ref"].rpartition("/")[2]]
    return sorted(schema.get("properties", {}))


def _show(value) -> str:
    """Return ``value`` as Python, with long strings written as ``'a' * 10000``."""
    if isinstance(value, str) and len(value) > 60:
        if len(set(value)) == 1:
            return f"{value[0]!r} * {len(value)}"
        return f"{value[:40]!r}... ({len(value)} characters)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value[:10]) + "]"
    return "(none)" if value is NOT_SET else repr(value)


def _failure(response) -> str:
    """Return the exception behind a 5xx, as type, message and the innermost frame."""
    if not getattr(response, "exc_info", None):
        return str(response.content[:300])
    kind, error, trace = response.exc_info
    while trace.tb_next is not None:
        trace = trace.tb_next
    frame = f"{trace.tb_frame.f_code.co_filename}:{trace.tb_lineno}".split("/work/main/")[-1]
    return f"{kind.__name__}: {str(error)[:200]} (at {frame})"


def _send(client: Client, case, token: str):
    headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    kwargs = {"headers": headers, "QUERY_STRING": urlencode(case.query or {}, doseq=True)}
    path = case.operation.path
    for name, value in (case.path_parameters or {}).items():
        path = path.replace(f"{{{name}}}", quote(str(value), safe=""))
    method = case.method.lower()
    if method in {"post", "patch", "put"} and case.body is not NOT_SET:
        if case.media_type and case.media_type.startswith("multipart/"):
            return getattr(client, method)(path, data={}, **kwargs)
        return getattr(client, method)(
            path, data=json.dumps(case.body), content_type="application/json", **kwargs
        )
    return getattr(client, method)(path, **kwargs)


def _hostile(data, case, known_ids) -> str:
    """Put real ids in the path, then maybe one hostile value in one place; say where."""
    for name in case.path_parameters or {}:
        if name in known_ids and data.draw(st.booleans()):
            case.path_parameters[name] = data.draw(st.sampled_from(known_ids[name]))
    places = [("path", name) for name in case.path_parameters or {}]
    places += [("query", parameter.name) for parameter in case.operation.query]
    if isinstance(case.body, dict):
        fields = set(case.body) | set(_body_fields(case.operation.path, case.method))
        places += [("body", name) for name in sorted(fields)] or [("body", "unexpected")]
    if not places or data.draw(st.integers(0, 3)) == 0:
        return "as generated"
    where, name = data.draw(st.sampled_from(places))
    value = data.draw(HOSTILE)
    if where == "path":
        case.path_parameters[name] = value
    elif where == "query":
        case.query = {**(case.query or {}), name: value}
    else:
        case.body[name] = value
    return f"{where} {name}={_show(value)}"


@pytest.fixture(scope="module")
def known_ids(demo_tokens, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            name: list(apps.get_model(model).objects.values_list("pk", flat=True)[:5]) or [1]
            for name, model in PATH_MODELS.items()
        }


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_api_never_answers_with_a_server_error(operation, demo_tokens, known_ids, db):
    client = Client(raise_request_exception=False)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # the first failing example, unshrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        case = data.draw(operation.as_strategy())
        mutation = _hostile(data, case, known_ids)
        token = data.draw(st.sampled_from(sorted(demo_tokens.values())))
        with transaction.atomic():
            before = row_count() if case.method.upper() in WRITES else None
            response = _send(client, case, token)
            where = (
                f"{case.method.upper()} {case.operation.path} path={_show(case.path_parameters)}"
                f" query={_show(case.query)} body={_show(case.body)} [{mutation}]"
            )
            assert response.status_code < 500, f"{where} -> {_failure(response)}"
            if response.status_code >= 400:
                if response["Content-Type"].startswith("application/"):
                    assert "detail" in response.json(), f"{where} -> {response.content[:300]}"
                if before is not None:
                    stored = row_count() - before
                    assert stored == 0, f"{where} -> {response.status_code}, {stored} rows stored"
            transaction.set_rollback(True)

    check()


def test_row_count_sees_a_stored_row(demo_tokens, db):
    from bouwplaats.accounts.models import Organisation

    before = row_count()
    Organisation.objects.create(name="Gemeente Telstad")
    assert row_count() == before + 1
