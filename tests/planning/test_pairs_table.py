"""The stored pairs equal the full analysis after every kind of change, on both databases."""

import datetime

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bouwplaats.accounts.models import Organisation, User
from bouwplaats.planning import analysis, permissions, selectors, services
from bouwplaats.planning.geo import to_wgs84
from bouwplaats.planning.models import Combination, Conflict, Work
from tests.factories import OrganisationFactory, UserFactory

from .conftest import feature, line

pytestmark = pytest.mark.django_db

RD = {"type": "name", "properties": {"name": "EPSG:28992"}}
X0, Y0 = 174_000.0, 448_000.0
HINDRANCES = ["geen", "beperkt", "rijstrook", "afsluiting"]
STATUSES = ["idee", "gepland", "in voorbereiding", "in uitvoering", "gereed"]


def generated(n: int, *, seed: int, side: float = 300.0, owners=("A", "B", "C")) -> dict:
    """Return a FeatureCollection (RD New) of ``n`` works crowded enough to pair often."""
    rng = np.random.default_rng(seed)
    features = []
    for i in range(n):
        x, y = X0 + rng.uniform(0, side), Y0 + rng.uniform(0, side)
        shape = rng.integers(3)
        if shape == 0:
            geometry = {"type": "Point", "coordinates": [x, y]}
        elif shape == 1:
            dx, dy = rng.uniform(-60, 60, 2)
            geometry = {"type": "LineString", "coordinates": [[x, y], [x + dx + 1, y + dy]]}
        else:
            w, h = rng.uniform(5, 40, 2)
            ring = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
            geometry = {"type": "Polygon", "coordinates": [ring]}
        start = datetime.date(2027, 1, 1) + datetime.timedelta(days=int(rng.integers(0, 500)))
        end = start + datetime.timedelta(days=int(rng.integers(0, 120)))
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "owner": owners[int(rng.integers(len(owners)))],
                    "department": ["", "wijkbeheer"][int(rng.integers(2))],
                    "kind": "riolering",
                    "title": f"Werk {seed}-{i}",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "hindrance": HINDRANCES[int(rng.integers(4))],
                    "status": STATUSES[int(rng.integers(5))],
                    "public": bool(rng.random() < 0.8),
                    "external_id": f"G-{seed}-{i}",
                },
            }
        )
    return {"type": "FeatureCollection", "crs": RD, "features": features}


def recomputed(*, public_only: bool = False):
    """Return the full analysis of the stored works, as comparable sets keyed by (a, b)."""
    qs = Work.objects.exclude(status=Work.Status.GEREED)
    if public_only:
        qs = permissions.works_visible_to(AnonymousUser(), qs)
    combos, conflicts = analysis.analyse(selectors.workset_from_rows(selectors._rows(qs)))
    return _keyed(combos.records()), _keyed_conflicts(conflicts.records())


def _key(r):
    return (min(r["work_a"], r["work_b"]), max(r["work_a"], r["work_b"]))


def _keyed(records):
    return {
        _key(r): (round(r["distance_m"], 2), r["gap_days"], round(r["score"], 3)) for r in records
    }


def _keyed_conflicts(records):
    out = {}
    for r in records:
        start = r["overlap_start"]
        if isinstance(start, str):
            start = datetime.date.fromisoformat(start).toordinal()
            end = datetime.date.fromisoformat(r["overlap_end"]).toordinal()
        else:
            end = r["overlap_end"]
        out[_key(r)] = (r["severity"], round(r["distance_m"], 2), r["buffer_m"], start, end)
    return out


def stored(user):
    combos, conflicts = selectors.stored_pairs(user=user)
    return _keyed(list(combos)), _keyed_conflicts(list(conflicts))


def assert_exact():
    staff = User.objects.filter(is_staff=True).first() or UserFactory(is_staff=True)
    combos, conflicts = recomputed()
    assert stored(staff) == (combos, conflicts)
    assert stored(AnonymousUser()) == recomputed(public_only=True)
    # Each pair once, lower id first.
    assert not Combination.objects.filter(work_a__gte=F("work_b")).exists()
    return combos, conflicts


@pytest.fixture
def staff(db):
    for name in ("A", "B", "C"):
        OrganisationFactory(name=name, kind=Organisation.Kind.NETBEHEERDER)
    return UserFactory(is_staff=True)


def test_imported_works_have_exactly_the_pairs_of_the_full_analysis(staff):
    services.works_import(actor=staff, data=generated(150, seed=1))
    combos, conflicts = assert_exact()
    # The generated set is crowded: the comparison covers many pairs of both kinds.
    assert len(combos) > 50 and len(conflicts) > 10
    assert any(v[0] == "zwaar" for v in conflicts.values())


def test_pairs_stay_exact_through_updates_moves_dates_status_and_deletes(staff):
    services.works_import(actor=staff, data=generated(120, seed=2))
    before = assert_exact()
    works = list(Work.objects.order_by("pk"))
    rng = np.random.default_rng(5)
    to_wgs = to_wgs84()
    for work in rng.choice(works, 12, replace=False):
        x, y = X0 + rng.uniform(0, 300), Y0 + rng.uniform(0, 300)
        lon, lat = to_wgs.transform(x, y)
        start = work.start + datetime.timedelta(days=int(rng.integers(-200, 200)))
        services.work_update(
            actor=staff,
            work=work,
            feature={
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "kind": work.kind,
                    "title": work.title,
                    "start": start.isoformat(),
                    "end": (start + datetime.timedelta(days=30)).isoformat(),
                    "hindrance": HINDRANCES[int(rng.integers(4))],
                    "status": STATUSES[int(rng.integers(5))],
                    "public": bool(rng.random() < 0.5),
                },
            },
        )
        assert_exact()
    for work in rng.choice(works, 5, replace=False):
        Work.objects.get(pk=work.pk).delete()
    after = assert_exact()
    assert after != before


def test_reupload_updates_and_moves_pairs(staff):
    data = generated(80, seed=3)
    services.works_import(actor=staff, data=data)
    assert_exact()
    for item in data["features"][::3]:
        item["geometry"] = {"type": "Point", "coordinates": [X0 + 150.0, Y0 + 150.0]}
        item["properties"]["status"] = "gepland"
    saved = services.works_import(actor=staff, data=data)
    assert not any(s.created for s in saved)
    assert_exact()


def test_joint_works_lose_their_mutual_pairs_and_an_undo_brings_them_back(
    ede_planner, liander_planner, ede_work, liander_work
):
    assert Combination.objects.filter(work_a=min(ede_work.pk, liander_work.pk)).exists()
    req = services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=datetime.date.today() + datetime.timedelta(days=20),
    )
    services.combination_request_accept(actor=liander_planner, request=req)
    assert not Combination.objects.exists() and not Conflict.objects.exists()
    assert_exact()
    services.combination_request_undo(actor=liander_planner, request=req)
    assert Combination.objects.count() == 1 and Conflict.objects.count() == 1
    assert_exact()


def test_initiatives_and_their_decision_keep_the_pairs(ede, ede_planner, liander_work):
    member = UserFactory()
    initiative = services.initiative_propose(
        actor=member,
        owner=ede,
        title="Geveltuintjes",
        description="",
        geometry=line(dy_m=4),
        start=liander_work.start,
        end=liander_work.end,
    )
    assert_exact()
    assert Combination.objects.filter(public=False).count() == 1  # the idea is not public
    services.initiative_decide(actor=ede_planner, work=initiative, accept=True)
    assert_exact()
    assert Combination.objects.filter(public=True).count() == 1


def test_rebuild_command_restores_the_table_and_is_idempotent(staff):
    services.works_import(actor=staff, data=generated(100, seed=4))
    expected = assert_exact()
    Combination.objects.all().delete()
    Conflict.objects.filter(heavy=True).delete()
    call_command("planning_rebuild_pairs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert assert_exact() == expected
    first = sorted(Combination.objects.values_list("work_a", "work_b", "score"))
    call_command("planning_rebuild_pairs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Combination.objects.values_list("work_a", "work_b", "score")) == first


def test_reads_are_the_stored_pairs_in_the_analysis_order(api, staff):
    services.works_import(actor=staff, data=generated(120, seed=6))
    combos, conflicts = recomputed()
    body = api(staff).get("/works/combinations", {"limit": 500}).json()
    assert body["count"] == len(combos)
    items = body["items"]
    rows = selectors._rows(Work.objects.exclude(status=Work.Status.GEREED))
    full, _ = analysis.analyse(selectors.workset_from_rows(rows))
    ranked = sorted(
        zip(
            full.score,
            full.distance_m,
            np.minimum(full.a, full.b),
            np.maximum(full.a, full.b),
            strict=True,
        ),
        key=lambda t: (-t[0], t[1], t[2], t[3]),
    )
    assert [_key(i) for i in items] == [(int(t[2]), int(t[3])) for t in ranked]
    assert {_key(i): (i["distance_m"], i["gap_days"], i["score"]) for i in items} == combos
    body = api(staff).get("/works/conflicts", {"limit": 500}).json()
    assert body["count"] == len(conflicts)
    heavy = [i["severity"] != "zwaar" for i in body["items"]]
    assert heavy == sorted(heavy)


def _count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/works/combinations", "/works/conflicts"])
def test_api_lists_take_the_same_queries_for_more_works(api, staff, path):
    client = api(staff)
    services.works_import(actor=staff, data=generated(30, seed=7))
    client.get(path)  # the token and the membership caches warm up
    small = _count_queries(lambda: client.get(path, {"limit": 10}))
    services.works_import(actor=staff, data=generated(150, seed=8))
    assert Combination.objects.count() > 100
    large = _count_queries(lambda: client.get(path, {"limit": 10}))
    assert large == small
    visitor = api()
    assert _count_queries(lambda: visitor.get(path, {"limit": 10})) <= small


def test_api_list_query_count_is_pinned(api, staff, django_assert_num_queries):
    services.works_import(actor=staff, data=generated(60, seed=9))
    visitor = api()
    visitor.get("/works/combinations")
    # The page and the count: two queries, however many works and pairs there are.
    with django_assert_num_queries(2):
        assert visitor.get("/works/combinations", {"limit": 5}).status_code == 200
    with django_assert_num_queries(2):
        assert visitor.get("/works/conflicts", {"limit": 5}).status_code == 200


@pytest.mark.parametrize("name", ["planning:map", "planning:list"])
def test_pages_take_the_same_queries_for_more_works(client, staff, name):
    client.force_login(staff)
    services.works_import(actor=staff, data=generated(60, seed=10))
    assert Combination.objects.exists() and Conflict.objects.exists()
    client.get(reverse(name))
    small = _count_queries(lambda: client.get(reverse(name)))
    services.works_import(actor=staff, data=generated(150, seed=11))
    large = _count_queries(lambda: client.get(reverse(name)))
    assert large == small


def test_another_distance_needs_a_window_and_is_computed_there(api, staff):
    services.works_import(actor=staff, data=generated(150, seed=12))
    refused = api(staff).get("/works/combinations", {"distance_m": 40})
    assert refused.status_code == 422 and "bbox" in refused.json()["errors"]
    lon0, lat0 = to_wgs84().transform(X0 + 50, Y0 + 50)
    lon1, lat1 = to_wgs84().transform(X0 + 200, Y0 + 200)
    bbox = f"{lon0},{lat0},{lon1},{lat1}"
    body = (
        api(staff).get("/works/combinations", {"distance_m": 40, "bbox": bbox, "limit": 500}).json()
    )
    minx, miny, maxx, maxy = selectors_bounds(bbox)
    inside = Work.objects.exclude(status="gereed").filter(
        rd_minx__lte=maxx, rd_maxx__gte=minx, rd_miny__lte=maxy, rd_maxy__gte=miny
    )
    combos, _ = analysis.analyse(
        selectors.workset_from_rows(selectors._rows(inside)), distance_m=40
    )
    assert body["count"] == len(combos) > 0
    assert {_key(i): (i["distance_m"], i["gap_days"], i["score"]) for i in body["items"]} == (
        _keyed(combos.records())
    )
    # The default distance in the window reads the stored pairs among the window's works.
    default = api(staff).get("/works/combinations", {"bbox": bbox, "limit": 500}).json()
    at_25, _ = analysis.analyse(selectors.workset_from_rows(selectors._rows(inside)))
    assert default["count"] == len(at_25)
    conflicts = api(staff).get("/works/conflicts", {"bbox": bbox, "limit": 500})
    assert conflicts.status_code == 200


def selectors_bounds(bbox):
    from bouwplaats.planning.geo import bbox_bounds

    return bbox_bounds(bbox, max_side_m=5000)


@pytest.mark.parametrize(
    "bbox",
    [
        "1,2,3",
        "a,b,c,d",
        "5.7,52.0,5.6,52.1",
        "2.0,48.0,2.1,48.1",
        "5.0,51.5,6.0,52.5",
        "nan,1,2,3",
    ],
)
def test_bad_windows_are_refused(api, staff, bbox):
    response = api(staff).get("/works/combinations", {"distance_m": 40, "bbox": bbox})
    assert response.status_code == 422
    assert response.json()["errors"]["bbox"]


def test_post_answers_each_saved_works_pairs(api, ede_planner, liander_work):
    response = api(ede_planner).post("/works", feature(external_id="KIP-9"))
    assert response.status_code == 201
    [result] = response.json()["results"]
    assert [c["work_b"] for c in result["combinations"]] == [liander_work.pk]
    assert result["combinations"][0]["work_a"] == result["id"]


def test_a_change_in_the_admin_keeps_the_pairs(staff, rf):
    from django.contrib.admin.sites import site

    services.works_import(actor=staff, data=generated(60, seed=13))
    work = Work.objects.exclude(status="gereed").filter(
        pk__in=Combination.objects.values("work_a")
    )[0]
    work.status = Work.Status.GEREED
    request = rf.post("/")
    request.user = staff
    site._registry[Work].save_model(request, work, None, True)
    assert not Combination.objects.filter(work_a=work).exists()
    assert_exact()
