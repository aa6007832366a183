"""Property-based tests over the whole /api/v1, generated from its OpenAPI description.

Whatever a client sends that the description allows (and much that it does not), the answer is
never a 5xx, and every refusal is JSON with a ``detail``.
"""

import json

import pytest
import schemathesis
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core import NOT_SET

from bouwplaats.accounts.models import User
from bouwplaats.accounts.services import api_token_create
from bouwplaats.api import api

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def demo_token(db):
    call_command("load_demo")
    member = User.objects.get(email="jaco.pieper@demo.bouwplaats.nl")
    return api_token_create(user=member, name="fuzz")[1]


def _send(client: Client, case, token: str):
    headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    kwargs = {"headers": headers, "QUERY_STRING": ""}
    path = case.formatted_path
    if case.query:
        from urllib.parse import urlencode

        kwargs["QUERY_STRING"] = urlencode(case.query, doseq=True)
    method = case.method.lower()
    if method in {"post", "patch", "put"} and case.body is not NOT_SET:
        if case.media_type and case.media_type.startswith("multipart/"):
            return getattr(client, method)(path, data={}, **kwargs)
        return getattr(client, method)(
            path, data=json.dumps(case.body), content_type="application/json", **kwargs
        )
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_api_never_answers_with_a_server_error(operation, demo_token):
    client = Client(raise_request_exception=False)

    @settings(
        max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(data=st.data())
    def check(data):
        case = data.draw(operation.as_strategy())
        response = _send(client, case, demo_token)
        where = f"{case.method} {case.formatted_path} {case.query} {case.body!r:.200}"
        assert response.status_code < 500, (where, response.content[:500])
        if response.status_code >= 400 and response["Content-Type"].startswith("application/"):
            assert "detail" in response.json(), (where, response.content[:300])

    check()
