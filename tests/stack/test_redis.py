"""Acceptance (issue 17 §1): with CACHE_URL=redis://… the cache, the sessions and the login
rate limit are shared by every Bouwplaats process, through Debian's redis-server.

Two processes: this test process (test client A) and a peer process (tests/stack/peer.py)
that loads the settings from its own environment, as another gunicorn worker would.
"""

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, UserFactory

from .conftest import free_port

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def other(redis_server, peer):
    """Return a peer process on CACHE_URL=redis (one for the module: it takes seconds)."""
    return peer(CACHE_URL=f"{redis_server}/0")


@pytest.fixture
def shared(settings, redis_url, other):
    """Give this process the peer's cache and session settings; return (peer, Redis client).

    The settings come from the peer (the settings module reading CACHE_URL), so this test
    fails if settings.py stops putting the cache or the sessions in Redis.
    """
    loaded = other("settings")
    settings.CACHES = loaded["CACHES"]
    settings.SESSION_ENGINE = loaded["SESSION_ENGINE"]
    client = redis.Redis.from_url(f"{redis_url}/0")
    yield other, client
    client.close()


def test_the_settings_put_cache_and_sessions_in_redis(shared):
    other, _client = shared
    loaded = other("settings")
    assert loaded["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_one_process_reads_what_the_other_cached(shared):
    other, client = shared
    cache.set("programma:beter-benutten", "Beter Benutten – Vervolg", timeout=60)
    assert other("cache_get", key="programma:beter-benutten") == {
        "value": "Beter Benutten – Vervolg"
    }
    other("cache_set", key="sessie:42", value={"plaatsen": 12})
    assert cache.get("sessie:42") == {"plaatsen": 12}
    assert any(key.endswith(b"sessie:42") for key in client.keys("*")), "stored in Redis"


def test_a_session_started_in_one_process_is_valid_in_the_other(shared):
    other, client = shared
    member = UserFactory(full_name="Esther de Lange", email="esther@goedopweg.nl")
    browser = Client()
    response = browser.post("/account/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    session_key = browser.cookies["sessionid"].value
    assert any(key.endswith(session_key.encode()) for key in client.keys("*")), "in Redis"

    page = other("get", path="/profiel/", cookies={"sessionid": session_key})
    assert page["status"] == 200, page["location"]
    assert "Esther de Lange" in page["body"]

    # Redis emptied (a restart without persistence): the database still holds the session.
    client.flushdb()
    page = other("get", path="/profiel/", cookies={"sessionid": session_key})
    assert page["status"] == 200, page["location"]
    assert "Esther de Lange" in page["body"]


def test_failed_logins_in_one_process_block_the_login_in_the_other(shared):
    other, _client = shared
    target = UserFactory(email="jaco@goedopweg.nl")
    bystander = UserFactory(email="jens@goedopweg.nl")
    for _attempt in range(5):  # ACCOUNT_RATE_LIMITS: 5 failures per address in 5 minutes
        response = Client().post("/account/login/", {"login": target.email, "password": "fout"})
        assert response.status_code == 200

    refused = other("login", email=target.email, password=PASSWORD)
    assert refused["status"] == 200, "the right password no longer logs in"
    assert "Te veel mislukte inlogpogingen" in refused["body"]

    allowed = other("login", email=bystander.email, password=PASSWORD)
    assert allowed["status"] == 302, "another address is not blocked"


def test_with_redis_unreachable_pages_and_sessions_still_work(peer):
    """Redis down is a cache miss (IGNORE_EXCEPTIONS), not a 500: sessions come from the
    database. Rate-limited actions wait for Redis: allauth cannot count a login attempt, so
    it refuses it (429) instead of letting it through uncounted."""
    member = UserFactory(full_name="Diana Kool", email="diana.kool@rws.nl")
    browser = Client()
    browser.force_login(member)  # a session from before the outage, in the database
    web = peer(CACHE_URL=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there

    assert web("get", path="/")["status"] == 200
    page = web("get", path="/profiel/", cookies={"sessionid": browser.cookies["sessionid"].value})
    assert page["status"] == 200
    assert "Diana Kool" in page["body"]
    assert web("login", email=member.email, password=PASSWORD)["status"] == 429
