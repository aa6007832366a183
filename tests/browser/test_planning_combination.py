"""Combination requests carry people: the sender and a contact are named, the accepter
answers with a message, and the two owners agree one joint period on the joint work."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, JointWork
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory

from .conftest import login


def _work(planner, title, coords, days):
    today = timezone.localdate()
    return services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {
                "title": title,
                "kind": "riolering",
                "hindrance": "afsluiting",
                "start": (today + datetime.timedelta(days=days)).isoformat(),
                "end": (today + datetime.timedelta(days=days + 60)).isoformat(),
            },
        },
    )


def test_request_with_people_accepted_with_a_message_and_a_joint_period(site, db):
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    liander = OrganisationFactory(name="Liander", kind=Organisation.Kind.NETBEHEERDER)
    wijkbeheer = PlannerFactory(
        email="wijkbeheer@example.nl", full_name="Petra Wijkbeheer", organisation=ede
    )
    netbeheer = PlannerFactory(
        email="net@example.nl", full_name="Niels Netplanner", organisation=liander
    )
    sewer = _work(wijkbeheer, "Riolering Molenstraat", [[5.6618, 52.0442], [5.6642, 52.0448]], 60)
    cable = _work(netbeheer, "Kabel Molenstraat", [[5.66182, 52.04425], [5.66418, 52.04485]], 90)
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())

    # The sender names a contact for the other side.
    login(site, wijkbeheer.email, PASSWORD)
    site.goto(f"/werk-met-werk/{sewer.pk}/combinatieverzoek/{cable.pk}/")
    assert "Petra Wijkbeheer" in site.get_by_label("Contactpersoon").input_value()
    site.get_by_label("Contactpersoon").fill("Petra Wijkbeheer, 0318 123 456")
    site.get_by_label("Toelichting").fill("Wij openen de straat in mei.")
    site.get_by_role("button", name="Verzoek versturen").click()
    site.check()
    request_mail = next(m for m in mail.outbox if m.to == ["net@example.nl"])
    assert "Verstuurd door: Petra Wijkbeheer" in request_mail.body
    assert "Contactpersoon: Petra Wijkbeheer, 0318 123 456" in request_mail.body
    site.get_by_role("button", name="Uitloggen").click()

    # The other side sees who asked, accepts with a message.
    login(site, netbeheer.email, PASSWORD)
    site.goto("/werk-met-werk/verzoeken/")
    incoming = site.locator("main table").first.inner_text()
    assert "Verstuurd door Petra Wijkbeheer" in incoming and "0318 123 456" in incoming
    site.get_by_role("link", name=re.compile("Accepteren")).click()
    site.check()
    site.get_by_label("Bericht aan de aanvrager").fill("Prima, wij leggen de kabel mee.")
    site.get_by_role("button", name="Ja, accepteer het verzoek").click()
    site.check()
    req = CombinationRequest.objects.get()
    assert req.status == "accepted" and req.answer == "Prima, wij leggen de kabel mee."
    answered = [m for m in mail.outbox if m.subject.startswith("[Bouwplaats] Geaccepteerd")]
    assert answered and "Prima, wij leggen de kabel mee." in answered[0].body
    assert "Bericht van Niels Netplanner" in answered[0].body

    # Liander proposes the one period.
    joint = JointWork.objects.get()
    start = timezone.localdate() + datetime.timedelta(days=75)
    end = start + datetime.timedelta(days=40)
    site.get_by_text("Een periode voorstellen").click()
    site.get_by_label("Begin").fill(start.isoformat())
    site.get_by_label("Einde").fill(end.isoformat())
    site.get_by_role("button", name="Periode voorstellen").click()
    site.check()
    assert "Wacht op het akkoord van de andere eigenaar." in site.content()
    assert site.get_by_role("button", name="Akkoord met deze periode").count() == 0
    site.get_by_role("button", name="Uitloggen").click()

    # Ede agrees: the joint work shows the agreed period.
    login(site, wijkbeheer.email, PASSWORD)
    site.goto(joint.get_absolute_url())
    assert "Voorstel van Niels Netplanner (Liander)" in site.content()
    site.get_by_role("button", name="Akkoord met deze periode").click()
    site.check()
    joint.refresh_from_db()
    assert joint.agreed_period == (start, end)
    notice = site.locator("#periode .bp-notice").inner_text()
    assert "Afgesproken" in notice and str(start.year) in notice
