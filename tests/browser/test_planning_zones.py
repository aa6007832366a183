"""Werk-met-werk in a real browser: interest zone, declining a request, slider, editing."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, InterestZone
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory

from .conftest import login

LON, LAT = 5.6650, 52.0405
M_LON, M_LAT = 1 / 68_600, 1 / 111_250


def _work(planner, *, dy_m=0.0, days=(30, 60), **props):
    today = timezone.localdate()
    y = LAT + dy_m * M_LAT
    return services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[LON, y], [LON + 60 * M_LON, y]]},
            "properties": {
                "start": (today + datetime.timedelta(days=days[0])).isoformat(),
                "end": (today + datetime.timedelta(days=days[1])).isoformat(),
                **props,
            },
        },
    )


def test_zone_decline_slider_and_edit(site, db, django_capture_on_commit_callbacks):
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    vitens = OrganisationFactory(name="Vitens", kind=Organisation.Kind.NETBEHEERDER)
    ede_planner = PlannerFactory(email="planner.verkeer@example.nl", organisation=ede)
    vitens_planner = PlannerFactory(email="planner.vitens@example.nl", organisation=vitens)
    crossing = _work(ede_planner, title="Herinrichting kruispunt", kind="verkeer")
    pipe = _work(
        vitens_planner, dy_m=6, days=(300, 330), title="Waterleiding", kind="kabels en leidingen"
    )
    services.combination_request_send(
        actor=ede_planner,
        from_work=crossing,
        to_work=pipe,
        deadline=timezone.localdate() + datetime.timedelta(days=12),
    )
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())

    login(site, vitens_planner.email, PASSWORD)
    # An interest zone: draw a rectangle around the map's centre.
    site.goto("/werk-met-werk/interessegebieden/")
    site.get_by_label("Naam van het gebied").fill("Centrum Ede")
    site.locator(".leaflet-draw-draw-rectangle").click()
    box = site.locator("#planning-draw").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    site.mouse.move(cx - 120, cy - 100)
    site.mouse.down()
    site.mouse.move(cx, cy, steps=5)
    site.mouse.move(cx + 120, cy + 100, steps=5)
    site.mouse.up()
    assert '"Polygon"' in site.get_by_label("Gebied (GeoJSON)").input_value()
    site.get_by_role("button", name="Gebied opslaan").click()
    site.check()
    assert InterestZone.objects.get().name == "Centrum Ede"
    with django_capture_on_commit_callbacks(execute=True):
        _work(ede_planner, dy_m=-3, title="Nieuwe stoep", kind="verkeer")
    assert [m.to for m in mail.outbox if "Centrum Ede" in m.subject] == [[vitens_planner.email]]

    # Decline the request with a reason; leaving the reason empty is explained.
    site.goto("/werk-met-werk/verzoeken/")
    site.get_by_role("link", name=re.compile("Afwijzen")).click()
    site.check()
    site.get_by_role("button", name="Verzoek afwijzen").click()
    site.check()
    assert "Dit veld is verplicht." in site.content()
    site.get_by_label("Reden van afwijzen").fill("De leiding is pas over een jaar aan de beurt.")
    site.get_by_role("button", name="Verzoek afwijzen").click()
    site.check()
    assert CombinationRequest.objects.get().status == "declined"

    # The period slider narrows the map to one month.
    site.goto("/werk-met-werk/")
    slider = site.locator("#planning-period")
    slider.wait_for()
    paths = site.locator(".leaflet-overlay-pane path")
    all_paths = paths.count()
    slider.fill(slider.get_attribute("max"))
    assert site.locator("#planning-period-value").inner_text() != "Alle periodes"
    assert paths.count() < all_paths

    # Editing a work keeps it in step; the list shows the change.
    site.goto(f"/werk-met-werk/{pipe.pk}/bewerken/")
    site.get_by_label("Status").select_option("in voorbereiding")
    site.get_by_role("button", name="Werk opslaan").click()
    site.check()
    assert "In voorbereiding" in site.content()
    site.goto("/werk-met-werk/lijst/?status=in+voorbereiding")
    assert "Waterleiding" in site.content()
