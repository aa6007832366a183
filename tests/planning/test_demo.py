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


def test_demo_planners_are_verified_administrators_and_the_resident_is_not(db):
    from bouwplaats.accounts import demo as accounts_demo
    from bouwplaats.accounts import permissions as accounts_permissions
    from bouwplaats.accounts.models import OrganisationMembership
    from bouwplaats.planning import permissions

    for _ in range(2):  # load_demo runs again on every `make run`
        accounts_demo.load()
        demo.load()
    for email, _name, _function, organisation in demo.PLANNERS:
        planner = User.objects.get(email=email)
        assert accounts_permissions.is_organisation_admin(planner, planner.organisation)
        assert permissions.is_planner(planner)
        assert [o.name for o in permissions.organisations_for(planner)] == [organisation]
    assert OrganisationMembership.objects.filter(user__email=demo.PLANNERS[0][0]).count() == 1
    # The people of the seeds act for the organisation they are shown with.
    jaco = User.objects.get(email="jaco.pieper@demo.bouwplaats.nl")
    assert accounts_permissions.is_verified_member(jaco, jaco.organisation)
    resident = User.objects.get(email=accounts_demo.RESIDENT[0])
    assert resident.check_password(DEMO_PASSWORD)
    assert not permissions.is_planner(resident) and not permissions.can_view_internal(resident)
    assert permissions.can_propose_initiative(resident)
