import pytest

from bouwplaats.accounts.demo import DEMO_PASSWORD
from bouwplaats.accounts.models import User
from bouwplaats.planning import demo, selectors
from bouwplaats.planning.models import InterestZone, Work

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_with_the_combination_and_the_heavy_conflict(admin_user):
    demo.load()
    demo.load()
    assert Work.objects.count() == len(demo.WORKS)
    assert InterestZone.objects.count() == 1
    planner = User.objects.get(email="planner.liander@demo.bouwplaats.nl")
    assert planner.check_password(DEMO_PASSWORD)
    assert planner.organisation.name == "Liander"
    assert planner.emailaddress_set.get().verified

    combos, conflicts = selectors.planning_analysis(user=admin_user)
    titles = {frozenset({c["a"].title, c["b"].title}): c for c in selectors.with_works(combos)}
    sewer_and_cable = frozenset(
        {"Vervangen riolering Molenstraat", "Vervangen middenspanningskabel Molenstraat"}
    )
    assert sewer_and_cable in titles
    assert titles[sewer_and_cable]["distance_m"] < 10
    heavy = [
        {c["a"].title, c["b"].title}
        for c in selectors.with_works(conflicts)
        if c["severity"] == "zwaar"
    ]
    assert {
        "Vernieuwen drinkwaterleiding Stationsweg",
        "Herinrichting kruispunt Stationsweg",
    } in heavy
