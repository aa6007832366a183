"""Volg deze straat: double opt-in, a mail for new work there, a one-click way out."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from bouwplaats.planning import locator, services
from bouwplaats.planning.models import StreetFollow

pytestmark = pytest.mark.django_db
URL = "/werk-met-werk/in-uw-straat/"
MOLENSTRAAT = {
    "response": {
        "docs": [
            {
                "type": "weg",
                "weergavenaam": "Molenstraat, Ede",
                "geometrie_ll": "MULTILINESTRING((5.66180 52.04420,5.66420 52.04480))",
            }
        ]
    }
}


def _work(planner, title, lon, lat, status="gepland"):
    today = timezone.localdate()
    return services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "title": title,
                "kind": "groen",
                "status": status,
                "start": (today + datetime.timedelta(days=5)).isoformat(),
                "end": (today + datetime.timedelta(days=9)).isoformat(),
            },
        },
    )


def _link(body: str, kind: str) -> str:
    return re.search(rf"https?://[^/\s]+(/werk-met-werk/straat/{kind}/[^/\s]+/)", body)[1]


@pytest.fixture
def locator_knows_molenstraat(monkeypatch):
    monkeypatch.setattr(locator, "fetch_json", lambda url, params: MOLENSTRAAT)


def test_follow_confirm_then_mail_on_new_work(
    client, ede_planner, locator_knows_molenstraat, django_capture_on_commit_callbacks
):
    def now(action, *args):
        # Run what the service schedules after its commit (the mails) right away.
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args)

    html = client.get(URL, {"q": "Molenstraat"}).content.decode()
    assert "Volg deze straat" in html
    response = now(
        client.post,
        "/werk-met-werk/in-uw-straat/volgen/",
        {"q": "Molenstraat", "email": "bewoner@example.nl"},
    )
    assert response.status_code == 302
    follow = StreetFollow.objects.get()
    assert follow.place == "Molenstraat, Ede" and follow.confirmed_at is None
    confirm = _link(mail.outbox[-1].body, "bevestigen")
    # Not confirmed before the link is used, and not by merely opening it (mail scanners).
    now(_work, ede_planner, "Voor bevestiging", 5.663, 52.0445)
    assert not any("Voor bevestiging" in m.subject for m in mail.outbox)
    assert client.get(confirm).status_code == 200
    follow.refresh_from_db()
    assert follow.confirmed_at is None
    client.post(confirm)
    follow.refresh_from_db()
    assert follow.confirmed_at is not None

    mail.outbox.clear()
    now(_work, ede_planner, "Geveltuinen Molenstraat", 5.663, 52.0445)
    now(_work, ede_planner, "Ver weg", 5.70, 52.05)
    now(_work, ede_planner, "Idee in de Molenstraat", 5.663, 52.0445, "idee")
    subjects = [m.subject for m in mail.outbox if m.to == ["bewoner@example.nl"]]
    assert subjects == ["[Bouwplaats] Nieuw werk in Molenstraat, Ede: Geveltuinen Molenstraat"]
    stop = _link(mail.outbox[-1].body, "afmelden")
    client.post(stop)
    assert not StreetFollow.objects.exists()


@pytest.mark.parametrize("email", ["geen-adres", "a" * 300 + "@example.nl", ""])
def test_bad_addresses_follow_nothing(client, locator_knows_molenstraat, email):
    response = client.post(
        "/werk-met-werk/in-uw-straat/volgen/", {"q": "Molenstraat", "email": email}
    )
    assert response.status_code == 302
    assert not StreetFollow.objects.exists()
    assert mail.outbox == []


def test_unknown_tokens_answer_404(client):
    assert client.post("/werk-met-werk/straat/bevestigen/onbekend/").status_code == 404
