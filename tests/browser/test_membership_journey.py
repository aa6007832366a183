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


def test_resident_proposes_an_initiative(site, db):
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    resident = UserFactory(email="bewoner@example.nl", organisation=None)
    login(site, resident.email, PASSWORD)
    site.goto("/werk-met-werk/initiatieven/")
    today = timezone.localdate()
    site.get_by_label("Gemeente").select_option(label="Gemeente Ede")
    site.get_by_label("Titel").fill("Geveltuinen Molenstraat")
    site.get_by_label("Begin").fill((today + datetime.timedelta(days=30)).isoformat())
    site.get_by_label("Einde").fill((today + datetime.timedelta(days=40)).isoformat())
    point = {"type": "Point", "coordinates": [LON, LAT]}
    site.get_by_label("Geometrie (GeoJSON)").fill(json.dumps(point))
    site.get_by_role("button", name="Initiatief voorstellen").click()
    site.check()
    assert "Uw initiatief is voorgesteld aan Gemeente Ede." in site.content()
    work = Work.objects.get(title="Geveltuinen Molenstraat")
    assert work.initiative == "proposed" and not work.public
