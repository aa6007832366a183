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


@pytest.mark.parametrize(
    "email", ["geen-adres", "a" * 300 + "@example.nl", "", "bé\x00wo<ner>@" + "x" * 10_000]
)
def test_bad_addresses_follow_nothing(client, locator_knows_molenstraat, email):
    response = client.post(
        "/werk-met-werk/in-uw-straat/volgen/", {"q": "Molenstraat", "email": email}
    )
    # The street's page again: the error beside the field, named in the summary, the
    # address kept, the follow box still open (no fold-out to close).
    assert response.status_code == 422
    html = response.content.decode()
    box = html[html.index('id="volgen"') :]
    assert 'id="id_email_errors"' in box
    assert "Uw e-mailadres:" in box[box.index("bp-error-summary") :]
    assert '<details class="planning-follow"' not in html
    if not email:
        assert "Uw e-mailadres: Vul uw e-mailadres in om deze straat te volgen." in html
    if email and "\x00" not in email:
        assert f'value="{email}"' in box
    assert "Molenstraat, Ede" in html
    assert not StreetFollow.objects.exists()
    assert mail.outbox == []


def test_the_follow_offer_comes_right_after_the_street(
    client, ede_planner, locator_knows_molenstraat
):
    _work(ede_planner, "Geveltuinen Molenstraat", 5.663, 52.0445)
    html = client.get(URL, {"q": "Molenstraat"}).content.decode()
    offer = html.index("Volg deze straat: u krijgt een mail bij nieuw werk")
    assert html.index('id="place-heading"') < offer < html.index("Geveltuinen Molenstraat")
    assert '<details class="planning-follow"' not in html


def test_a_visitor_gets_no_menu_holding_only_this_page(client, ede_planner):
    assert "bp-subnav" not in client.get(URL).content.decode()
    client.force_login(ede_planner)
    assert "bp-subnav" in client.get(URL).content.decode()


def test_confirming_names_the_street_and_offers_the_way_out(
    client, locator_knows_molenstraat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/werk-met-werk/in-uw-straat/volgen/",
            {"q": "Molenstraat", "email": "bewoner@example.nl"},
        )
    confirm = _link(mail.outbox[-1].body, "bevestigen")
    follow = StreetFollow.objects.get()
    stop = f"/werk-met-werk/straat/afmelden/{follow.token}/"
    html = client.get(confirm).content.decode()
    assert "Molenstraat, Ede" in html and "Ja, bevestig" in html
    html = client.post(confirm).content.decode()
    assert "U krijgt een mail zodra er nieuw werk in Molenstraat, Ede gepland is." in html
    assert f'href="{stop}"' in html
    # Opening the link again says so, still with the way out.
    html = client.get(confirm).content.decode()
    assert "U volgt Molenstraat, Ede al." in html and f'href="{stop}"' in html
    assert "Ja, bevestig" not in html
    html = client.get(stop).content.decode()
    assert "Wilt u geen mail meer over werk in Molenstraat, Ede?" in html
    html = client.post(stop).content.decode()
    assert "U krijgt geen mail meer over werk in Molenstraat, Ede." in html


@pytest.mark.parametrize("kind", ["bevestigen", "afmelden"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_dead_links_say_so_at_once(client, kind, method):
    response = getattr(client, method)(f"/werk-met-werk/straat/{kind}/onbekend/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze link werkt niet (meer)" in html
    assert "Ja, bevestig" not in html and "Ja, stop" not in html
    assert "Zoek uw straat" in html


def test_an_older_confirm_link_says_it_no_longer_works(
    client, locator_knows_molenstraat, django_capture_on_commit_callbacks
):
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/werk-met-werk/in-uw-straat/volgen/",
                {"q": "Molenstraat", "email": "bewoner@example.nl"},
            )
    first, newest = (_link(m.body, "bevestigen") for m in mail.outbox)
    html = client.get(first).content.decode()
    assert "Deze link werkt niet (meer)" in html and "Ja, bevestig" not in html
    assert "Ja, bevestig" in client.get(newest).content.decode()
