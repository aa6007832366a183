"""A member asks to act for an organisation, its administrator approves, the member enters a work.

Every page on the way is checked with axe-core (site.check), the 403 page included.
"""

import datetime
import json
import re

from django.core import mail
from django.utils import timezone

from bouwplaats.accounts.models import Organisation, OrganisationMembership
from bouwplaats.planning.models import Work
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory, UserFactory

from .conftest import login

LON, LAT = 5.6650, 52.0405


def test_member_requests_membership_admin_approves_member_enters_a_work(site, db):
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    admin = PlannerFactory(
        email="beheer@ede.nl", full_name="Beheer Ede", organisation=ede, membership_role="admin"
    )
    member = UserFactory(email="sanne@example.nl", full_name="Sanne Visser", organisation=None)

    # The member cannot enter works yet.
    login(site, member.email, PASSWORD)
    response = site.goto("/werk-met-werk/nieuw/")
    assert response.status == 403

    site.goto("/profiel/")
    site.get_by_role("link", name="Lidmaatschap aanvragen of bekijken").click()
    site.check()
    site.get_by_label("Organisatie").select_option(label="Gemeente Ede")
    site.get_by_role("button", name="Lidmaatschap aanvragen").click()
    site.check()
    assert "Uw verzoek is verstuurd naar de beheerders van Gemeente Ede." in site.content()
    assert "Aangevraagd" in site.content()
    membership = OrganisationMembership.objects.get(user=member)
    assert membership.status == "requested"
    [request_mail] = [m for m in mail.outbox if m.to == [admin.email]]
    queue_url = re.search(r"https?://\S+/profiel/organisaties/verzoeken/", request_mail.body)
    assert queue_url is not None
    assert site.goto("/werk-met-werk/nieuw/").status == 403
    site.get_by_role("button", name="Uitloggen").click()

    # The organisation's administrator approves it from the queue.
    login(site, admin.email, PASSWORD)
    site.goto("/profiel/organisaties/verzoeken/")
    assert "sanne@example.nl" in site.content()
    site.get_by_role("button", name=re.compile("Goedkeuren")).click()
    site.check()
    assert "Besluit opgeslagen voor Sanne Visser (Gemeente Ede)." in site.content()
    membership.refresh_from_db()
    assert membership.status == "approved" and membership.decided_by == admin
    assert any(m.to == [member.email] and "geverifieerd lid" in m.body for m in mail.outbox)
    # The organisation's page: an administrator proposes a mail domain for staff to check.
    site.get_by_role("link", name="Contact en domeinen van Gemeente Ede").click()
    site.check()
    site.get_by_label("Domein").fill("@Ede.nl")
    site.get_by_role("button", name="Domein aanmelden").click()
    site.check()
    assert "wacht op controle" in site.content()
    site.get_by_role("button", name="Uitloggen").click()

    # Now the member enters a work for Gemeente Ede.
    login(site, member.email, PASSWORD)
    site.goto("/werk-met-werk/nieuw/")
    assert "U voert werk in namens Gemeente Ede." in site.content()
    today = timezone.localdate()
    site.get_by_label("Titel").fill("Herinrichting Kerkstraat")
    site.get_by_label("Soort werk").select_option("asfalt")
    site.get_by_label("Begin").fill((today + datetime.timedelta(days=30)).isoformat())
    site.get_by_label("Einde").fill((today + datetime.timedelta(days=60)).isoformat())
    line = {"type": "LineString", "coordinates": [[LON, LAT], [LON + 0.001, LAT]]}
    site.get_by_label("Geometrie (GeoJSON)").fill(json.dumps(line))
    site.get_by_role("button", name="Werk opslaan").click()
    site.check()
    work = Work.objects.get(title="Herinrichting Kerkstraat")
    assert work.owner == ede and work.created_by == member

    # Her memberships page shows the approval.
    site.goto("/profiel/organisaties/")
    assert "Goedgekeurd" in site.content()


SHOTS = "/tmp/hfixplan/shots"


def _shots(site, name: str) -> None:
    """Look at the page at a desktop's and a phone's width (axe at both)."""
    import pathlib

    pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        site.page.set_viewport_size({"width": width, "height": 900})
        site.check()
        assert site.page.evaluate("document.documentElement.scrollWidth") <= width
        site.page.screenshot(path=f"{SHOTS}/{name}_{width}.png", full_page=True)
    site.page.set_viewport_size({"width": 1280, "height": 900})


def test_resident_proposes_an_initiative_and_follows_the_decision(site, db):
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    ede = OrganisationFactory(
        name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE, contact="Telefoon 14 0318"
    )
    planner = PlannerFactory(
        email="wijkbeheer@ede.nl", full_name="Wijkbeheer Ede", organisation=ede
    )
    resident = UserFactory(email="bewoner@example.nl", full_name="Anna de Vries", organisation=None)
    login(site, resident.email, PASSWORD)
    site.goto("/werk-met-werk/initiatieven/")
    # Residents' words, and no links to the members' map they cannot open.
    subnav = site.locator("nav.bp-subnav")
    assert subnav.get_by_role("link", name="Kaart").count() == 0
    assert subnav.get_by_role("link", name="Werk in uw straat").count() == 1
    today = timezone.localdate()
    for title, days in [("Geveltuinen Molenstraat", 30), ("Speelplek Kerkstraat", 50)]:
        site.get_by_label("Gemeente").select_option(label="Gemeente Ede")
        site.get_by_label("Titel").fill(title)
        site.get_by_label("Begin").fill((today + datetime.timedelta(days=days)).isoformat())
        site.get_by_label("Einde").fill((today + datetime.timedelta(days=days + 10)).isoformat())
        point = {"type": "Point", "coordinates": [LON, LAT]}
        site.get_by_label("Waar? Teken de plek op de kaart").fill(json.dumps(point))
        site.get_by_role("button", name="Initiatief voorstellen").click()
        site.check()
        assert "Uw initiatief is voorgesteld aan Gemeente Ede." in site.content()
    work = Work.objects.get(title="Geveltuinen Molenstraat")
    assert work.initiative == "proposed" and not work.public
    assert [m for m in mail.outbox if m.to == [planner.email] and "Geveltuinen" in m.subject]
    _shots(site, "initiatives_resident")

    # Her own page of the second one, then withdrawn after the confirmation page.
    site.get_by_role("link", name="Speelplek Kerkstraat").click()
    _shots(site, "initiative_detail")
    site.get_by_role("link", name="Initiatief intrekken").click()
    _shots(site, "initiative_withdraw")
    site.get_by_role("button", name="Ja, trek het initiatief in").click()
    site.check()
    assert "is ingetrokken" in site.content()
    assert not Work.objects.filter(title="Speelplek Kerkstraat").exists()
    site.get_by_role("button", name="Uitloggen").click()

    # The municipality's planner declines the first with a reason.
    login(site, planner.email, PASSWORD)
    site.goto("/werk-met-werk/initiatieven/")
    site.get_by_role("link", name=re.compile("Afwijzen met een reden")).click()
    site.get_by_role("button", name="Ja, wijs het initiatief af").click()
    site.check()
    assert "Geef een reden op" in site.content()
    _shots(site, "initiative_decline_empty")
    site.get_by_label("Reden van afwijzen").fill("Hier komt in 2027 een nieuw fietspad.")
    site.get_by_role("button", name="Ja, wijs het initiatief af").click()
    site.check()
    assert "de bewoner krijgt de reden per e-mail" in site.content()
    [decided] = [m for m in mail.outbox if m.to == [resident.email]]
    assert "nieuw fietspad" in decided.body
    site.get_by_role("button", name="Uitloggen").click()

    # The resident reads the reason on her list and on the initiative's page.
    login(site, resident.email, PASSWORD)
    site.goto("/werk-met-werk/initiatieven/")
    assert "Hier komt in 2027 een nieuw fietspad." in site.content()
    site.get_by_role("link", name="Geveltuinen Molenstraat").click()
    _shots(site, "initiative_declined")
    assert "Hier komt in 2027 een nieuw fietspad." in site.content()
    assert site.get_by_role("link", name="Initiatief intrekken").count() == 0
