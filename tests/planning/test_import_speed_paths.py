"""The upload's bulk paths: what makes a yearly upload fast must keep its rows exact."""

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.audit import audit_entries, audit_entry
from bouwplaats.core.errors import InvalidInput
from bouwplaats.core.models import AuditEntry
from bouwplaats.planning import pairs, selectors, services
from bouwplaats.planning.models import Combination, Conflict, Work
from tests.factories import OrganisationFactory, UserFactory

from .conftest import feature, line
from .test_pairs_table import generated

pytestmark = pytest.mark.django_db


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def test_the_works_of_an_upload_go_in_one_insert_and_read_back_exact(ede_planner):
    features = [feature(line(dx_m=300 * i), external_id=f"S-{i}") for i in range(30)]
    with CaptureQueriesContext(connection) as queries:
        saved = services.works_import(actor=ede_planner, data=collection(features))
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "planning_work"')]
    if connection.vendor == "postgresql":
        # rd_wkb (WkbField) no longer forces one parameter per value: one array per column.
        assert len(inserts) == 1
        assert "UNNEST" in inserts[0]
    stored = {w.pk: w for w in Work.objects.filter(pk__in=[s.work.pk for s in saved])}
    for item in saved:
        assert bytes(stored[item.work.pk].rd_wkb) == item.work.rd_wkb
        assert shapely.from_wkb(bytes(stored[item.work.pk].rd_wkb)).geom_type == "LineString"


def test_stored_pairs_are_the_analysis_with_public_only_when_both_works_are(ede_planner):
    # Overlapping works (conflicts and combinations), every other one not public.
    features = [
        feature(line(dx_m=10 * i), external_id=f"P-{i}", public=i % 2 == 0) for i in range(8)
    ]
    saved = services.works_import(actor=ede_planner, data=collection(features))
    public = {s.work.pk: s.work.public for s in saved}
    combos = list(Combination.objects.values_list("work_a", "work_b", "public", "score"))
    conflicts = list(Conflict.objects.values_list("work_a", "work_b", "public", "heavy"))
    assert combos or conflicts
    for a, b, shown, *_rest in combos + conflicts:
        assert a < b
        assert shown == (public[a] and public[b])
    # The same rows as the full rebuild (the analysis over all works).
    before = (sorted(combos), sorted(conflicts))
    pairs.pairs_rebuild()
    after = (
        sorted(Combination.objects.values_list("work_a", "work_b", "public", "score")),
        sorted(Conflict.objects.values_list("work_a", "work_b", "public", "heavy")),
    )
    assert before == after


@pytest.mark.parametrize(
    ("title", "refused"),
    [
        ("Kabel\x85werk", True),  # NEL: a C1 control character
        ("Kabel\x07werk", True),
        ("Kabel\nwerk", True),  # a line break in a one-line text
        ("Kabel\u00a0werk\u200d", False),  # not printable, yet no control character
        ("Kabelwerk Ærø ʻŌlelo", False),
    ],
)
def test_a_control_character_in_the_middle_of_an_upload_refuses_it_in_dutch(
    api, ede_planner, monkeypatch, title, refused
):
    monkeypatch.setattr(services, "IMPORT_BATCH", 10)
    features = [feature(line(dx_m=300 * i), external_id=f"C-{i}") for i in range(25)]
    features[14]["properties"]["title"] = title
    response = api(ede_planner).post("/works", collection(features))
    if refused:
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["index"] == 14 and body["field"] == "title"
        assert "stuurtekens" in body["detail"]
        assert not Work.objects.exists() and not Combination.objects.exists()
    else:
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert body["count"] == 25 and len(body["results"]) == 25
        assert body["features"][14]["properties"]["title"] == title
        assert Work.objects.get(pk=body["results"][14]["id"]).title == title


def test_an_uploads_field_checks_run_once_per_distinct_value(ede_planner, monkeypatch):
    # services._Checks: the model's checks per distinct value of a field, not per work.
    kind = Work._meta.get_field("kind")
    seen = []
    real_clean = kind.clean
    monkeypatch.setattr(
        kind, "clean", lambda value, instance: seen.append(value) or real_clean(value, instance)
    )
    full_cleans = []
    real_full_clean = Work.full_clean
    monkeypatch.setattr(
        Work,
        "full_clean",
        lambda self, *a, **k: full_cleans.append(self) or real_full_clean(self, *a, **k),
    )
    features = [
        feature(line(dx_m=300 * i), external_id=f"K-{i}", kind=("riolering", "asfalt")[i % 2])
        for i in range(30)
    ]
    saved = services.works_import(actor=ede_planner, data=collection(features))
    assert len(saved) == 30
    assert sorted(seen) == ["asfalt", "riolering"]
    assert full_cleans == []


@pytest.mark.parametrize(
    ("prop", "value", "field"),
    [
        ("kind", "tunnelbouw", "kind"),
        ("status", "klaar", "status"),
        ("hindrance", "veel", "hindrance"),
        ("department", "inkoop", "department"),
        ("title", "T" * 201, "title"),
        ("contact", "c" * 201, "contact"),
        ("external_id", "E" * 101, "external_id"),
        ("description", "d" * 5001, "description"),
        ("start", "1850-01-01", "start"),
        ("end", "2000-01-01", "end"),  # before its start
    ],
)
def test_every_model_rule_refuses_one_row_of_a_batched_upload_with_its_index(
    ede_planner, monkeypatch, prop, value, field
):
    # The rows before it warm the per-value checks: the refused value is still judged by
    # the model (validate_instance's own errors), and nothing is stored.
    monkeypatch.setattr(services, "IMPORT_BATCH", 5)
    features = [feature(line(dx_m=300 * i), external_id=f"R-{i}") for i in range(12)]
    features[7]["properties"][prop] = value
    with pytest.raises(InvalidInput) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert caught.value.index == 7
    assert field in caught.value.errors
    assert not Work.objects.exists() and not AuditEntry.objects.exists()


def test_an_uploads_new_works_are_built_by_position_with_owner_and_actor_cached(
    ede, ede_planner, monkeypatch, django_assert_num_queries
):
    # services._new_work: Model.__init__'s positional path, not one descriptor per keyword.
    calls = []
    real_init = Work.__init__

    def init(self, *args, **kwargs):
        calls.append(bool(kwargs))
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Work, "__init__", init)
    features = [feature(line(dx_m=300 * i), external_id=f"N-{i}") for i in range(10)]
    saved = services.works_import(actor=ede_planner, data=collection(features))
    monkeypatch.setattr(Work, "__init__", real_init)
    assert calls and not any(calls)
    with django_assert_num_queries(0):
        assert {(s.work.owner.name, s.work.created_by.pk) for s in saved} == {
            ("Gemeente Ede", ede_planner.pk)
        }
    stored = Work.objects.get(pk=saved[3].work.pk)
    assert (stored.owner_id, stored.created_by_id, stored.external_id) == (
        ede.pk,
        ede_planner.pk,
        "N-3",
    )
    assert (stored.initiative, stored.initiative_reason, stored.joint_id) == ("", "", None)


def test_an_upload_part_reads_its_area_once_for_its_pairs(ede_planner, liander, monkeypatch):
    # pairs.CHUNK: a part of the size an upload sends (bench: 5,000) is one window and one
    # STRtree, not strips of 2,000 each paying its margin and tree again.
    windows = []
    real_window = pairs._window_rows
    monkeypatch.setattr(
        pairs, "_window_rows", lambda *a, **k: windows.append(1) or real_window(*a, **k)
    )
    features = [
        feature(line(dx_m=40 * (i % 50), dy_m=15 * (i // 50), length_m=20), external_id=f"W-{i}")
        for i in range(2100)
    ]
    for at in range(0, 2100, 2):  # every other work another owner's: combinations
        features[at]["properties"]["owner"] = liander.name
    monkeypatch.setattr(services, "can_act_for_owner", lambda actor, owner: True)
    services.works_import(actor=ede_planner, data=collection(features))
    assert len(windows) == 1
    found = sorted(Combination.objects.values_list("work_a", "work_b", "score"))
    conflicts = sorted(Conflict.objects.values_list("work_a", "work_b", "heavy"))
    assert found
    pairs.pairs_rebuild()
    assert found == sorted(Combination.objects.values_list("work_a", "work_b", "score"))
    assert conflicts == sorted(Conflict.objects.values_list("work_a", "work_b", "heavy"))


def test_an_uploads_audit_entries_are_built_by_position_as_audit_entry_builds_them(
    ede_planner, monkeypatch
):
    # core.audit.audit_entries: one entry per work (the work's history, the log's search by
    # object), built by position instead of by keyword.
    calls = []
    real_init = AuditEntry.__init__

    def init(self, *args, **kwargs):
        calls.append(bool(kwargs))
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(AuditEntry, "__init__", init)
    features = [feature(line(dx_m=300 * i), external_id=f"A-{i}") for i in range(6)]
    saved = services.works_import(actor=ede_planner, data=collection(features))
    monkeypatch.setattr(AuditEntry, "__init__", real_init)
    assert len(calls) == 6 and not any(calls)
    fields = ("action", "actor_id", "object_type", "object_id", "data")
    stored = sorted(AuditEntry.objects.values_list(*fields), key=lambda row: int(row[3]))
    expected = [
        audit_entry("planning.work.created", actor=ede_planner, obj=s.work, data={"title": t})
        for s, t in zip(saved, [f["properties"]["title"] for f in features], strict=True)
    ]
    assert stored == [tuple(getattr(e, name) for name in fields) for e in expected]
    assert all(e.created_at is not None for e in AuditEntry.objects.all())
    built = audit_entries([("core.x.y", None, None)], actor=None)[0]
    assert (built.action, built.actor_id, built.object_type, built.object_id, built.data) == (
        "core.x.y",
        None,
        "",
        "",
        {},
    )


@pytest.fixture
def abc_staff(db):
    for name in ("A", "B", "C"):  # the owners of test_pairs_table.generated
        OrganisationFactory(name=name, kind=Organisation.Kind.NETBEHEERDER)
    return UserFactory(is_staff=True)


def test_an_uploads_answer_lists_each_pair_once_without_reading_the_pairs_again(api, abc_staff):
    # POST /works answers with the pairs pairs_refresh just stored (SavedWorks.pairs), in
    # work_checks_many's order: the same records a later read gives, each pair once per work
    # (two works of one upload used to list their pair twice).
    body = generated(80, seed=5)
    client = api(abc_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/works", body)
    assert response.status_code == 201, response.content
    pair_reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and ("planning_combination" in q["sql"] or
                                              "planning_conflict" in q["sql"])
    ]  # fmt: skip
    assert pair_reads == []
    results = response.json()["results"]
    works = Work.objects.filter(pk__in=[r["id"] for r in results])
    again = selectors.work_checks_many(works=works, user=abc_staff)
    assert sum(len(r["combinations"]) + len(r["conflicts"]) for r in results) > 40
    for result in results:
        assert (result["combinations"], result["conflicts"]) == tuple(again[result["id"]])
        for pairs_of_work in (result["combinations"], result["conflicts"]):
            others = [p["work_b"] for p in pairs_of_work]
            assert len(others) == len(set(others))
            assert {p["work_a"] for p in pairs_of_work} <= {result["id"]}
    # Every stored pair of the upload shows for both its works.
    listed = sum(len(r["combinations"]) for r in results)
    assert listed == 2 * Combination.objects.count()


def test_an_uploads_values_are_checked_per_column_and_a_refusal_keeps_its_index(
    ede_planner, monkeypatch
):
    # services._Checks.check_many: each field's distinct values of a batch judged at once;
    # no per-work walk over the fields when every value passes, only Work.clean() per work.
    per_work = []
    real_passes = services._Checks._passes
    monkeypatch.setattr(
        services._Checks,
        "_passes",
        lambda self, field, work: per_work.append(field.name) or real_passes(self, field, work),
    )
    cleans = []
    real_clean = Work.clean
    monkeypatch.setattr(Work, "clean", lambda self: cleans.append(self) or real_clean(self))
    features = [feature(line(dx_m=300 * i), external_id=f"V-{i}") for i in range(20)]
    saved = services.works_import(actor=ede_planner, data=collection(features))
    assert per_work == []
    assert len(cleans) == 20 and {s.work.pk for s in saved} == {w.pk for w in cleans}
    # A refused value in the batch: the works go one by one, the first refusal named.
    features[4]["properties"]["hindrance"] = "veel"
    features[9]["properties"]["kind"] = "tunnelbouw"
    for f in features:
        f["properties"]["external_id"] += "-2"
    with pytest.raises(InvalidInput) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert caught.value.index == 4 and "hindrance" in caught.value.errors


def test_a_work_changed_twice_in_one_upload_is_checked_as_each_feature_left_it(ede_planner):
    # The same external id twice: the first feature's refused value is reported with its
    # index, though the second feature would make the work valid again.
    features = [feature(line(dx_m=300 * i), external_id=f"T-{i}") for i in range(4)]
    features[1]["properties"]["status"] = "klaar"
    features.append(feature(line(dx_m=300), external_id="T-1"))
    with pytest.raises(InvalidInput) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert caught.value.index == 1 and "status" in caught.value.errors
    assert not Work.objects.exists()


def test_an_uploads_answer_is_rendered_by_orjson_in_utf8(api, ede_planner):
    # POST /works renders its (large) answer with orjson: UTF-8 as the media type says, where
    # json.dumps escaped every non-ASCII character; the same JSON either way.
    title = "Kabelwerk Ærø ʻŌlelo"
    response = api(ede_planner).post(
        "/works", collection([feature(line(), external_id="U-1", title=title)])
    )
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert title.encode() in response.content
    assert response.json()["features"][0]["properties"]["title"] == title
