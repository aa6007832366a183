import socket

import pytest
from django.test import Client
from django.utils import translation

from bouwplaats.accounts.services import api_token_create

from .factories import PASSWORD, MembershipFactory, ProgrammeFactory, UserFactory


@pytest.fixture(autouse=True)
def _dutch(settings):
    """Start every test in Dutch: a request that switched to English leaves it active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by tests (uploads, demo documents) out of var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Empty the shared cache (rate-limit counts) after a test that committed to the database.

    The cache is the database table, as in production: a test in a transaction rolls its
    entries back, one with committed transactions (live server, worker processes) does not.
    """
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = marker is not None and marker.kwargs.get("transaction", False)
    if committed or {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    return UserFactory(full_name="Esther de Lange", function="Programmamanager Goedopweg")


@pytest.fixture
def other_member(db):
    return UserFactory(full_name="Jens van der Weele", function="Communicatieadviseur")


@pytest.fixture
def admin_user(db):
    return UserFactory(full_name="Beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def programme(db):
    return ProgrammeFactory(name="Beter Benutten", slug="beter-benutten")


@pytest.fixture
def team_member(db, programme):
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Jaco Pieper")).user


class ApiClient:
    """A test client that speaks JSON to /api/v1 with an optional bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, key = api_token_create(user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {key}"

    def _call(self, method, path, data=None, **extra):
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}, **extra}
        if data is not None and method in {"post", "patch", "put"} and "format" not in kwargs:
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(url, data=data, **kwargs)

    def get(self, path, data=None, **extra):
        return self._call("get", path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, None, **extra)


@pytest.fixture
def api():
    """Return a factory: ``api()`` for a visitor, ``api(user)`` with that member's token."""
    return ApiClient


@pytest.fixture
def queue_down(settings):
    """Queue tasks on RQ at a loopback port where nothing listens (Redis stopped)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{port}/1"}}
