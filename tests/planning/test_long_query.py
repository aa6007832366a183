"""A 10,000-character street search reaches Django, which refuses it in Dutch."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bouwplaats.planning import locator

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
LONG = "Molenstraat " + "x" * 10_000
LONG_NON_ASCII = "Molenstraat " + "é" * 10_000  # 60 kB once percent-encoded


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn():
    """Serve tests/planning/echo_app.py with the project's gunicorn.conf.py; return its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "tests.planning.echo_app:app"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("query", [LONG, LONG_NON_ASCII])
def test_a_long_street_search_reaches_the_application(gunicorn, query):
    encoded = urllib.parse.urlencode({"q": query})
    assert len(encoded) > 8190  # beyond gunicorn's largest finite request line
    answer = urllib.request.urlopen(f"{gunicorn}?{encoded}", timeout=10).read()
    assert int(answer) == len(encoded)


@pytest.mark.django_db
@pytest.mark.parametrize("query", [LONG, LONG_NON_ASCII])
def test_the_street_search_refuses_it_in_dutch_without_asking_the_locator(
    client, monkeypatch, query
):
    def never(url, params):
        raise AssertionError("the locator must not be asked")

    monkeypatch.setattr(locator, "fetch_json", never)
    response = client.get("/werk-met-werk/in-uw-straat/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Een straat, postcode of adres is hoogstens 120 tekens lang." in page
    assert "bp-error-summary" in page
