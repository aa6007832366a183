"""An upload is read, checked and written in batches: all or nothing, each feature checked."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.planning import services
from bouwplaats.planning.models import Combination, Work
from bouwplaats.search.models import Entry

from .conftest import feature, line, square

pytestmark = pytest.mark.django_db
# The queries of one upload of 20 features (savepoints included). A larger upload adds only
# the inserts Django splits off by the database's parameter limit (SQLite: 999 values, about
# 40 works a statement), never a query per work.
MAX_UPLOAD_QUERIES = 17


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def many(n, **props):
    return [feature(line(dx_m=200 * i), external_id=f"U-{i}", **props) for i in range(n)]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 40)


def nothing_stored():
    return (
        not Work.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="planning.work").exists()
        and not Entry.objects.filter(kind="work").exists()
        and not Combination.objects.exists()
    )


def test_every_work_gets_its_audit_entry_search_entry_and_pairs(
    ede_planner, liander_work, django_capture_on_commit_callbacks
):
    # The search rows of new works are written by a task once the upload commits.
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.works_import(actor=ede_planner, data=collection(many(5)))
    ids = [s.work.pk for s in saved]
    assert all(s.created for s in saved)
    created = AuditEntry.objects.filter(action="planning.work.created", object_type="planning.work")
    assert sorted(int(i) for i in created.values_list("object_id", flat=True)) == sorted(
        [*ids, liander_work.pk]
    )
    assert all(e.actor_id == ede_planner.pk for e in created.exclude(object_id=liander_work.pk))
    assert set(Entry.objects.filter(kind="work").values_list("object_id", flat=True)) >= set(ids)
    # The first one lies 8 m from Liander's cable: its pair is stored at once.
    assert Combination.objects.filter(work_a=min(ids[0], liander_work.pk)).exists()


def test_a_bad_feature_in_a_later_batch_stores_nothing_and_is_named(ede_planner, small_batches):
    features = many(100)
    features[87]["properties"]["kind"] = "tunnelbouw"
    with pytest.raises(InvalidInput) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert caught.value.index == 87 and "kind" in caught.value.errors
    assert nothing_stored()


@pytest.mark.parametrize(
    ("read_at", "model_at", "expected"),
    [(7, 3, 3), (2, 5, 2), (45, 41, 41), (41, 45, 41)],
)
def test_the_first_refused_feature_is_reported_whichever_check_refuses_it(
    ede_planner, small_batches, read_at, model_at, expected
):
    features = many(60)
    features[read_at]["properties"]["start"] = "1 mei"  # cannot be read
    features[model_at]["properties"]["hindrance"] = "heel veel"  # the model refuses it
    with pytest.raises(DomainError) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert caught.value.index == expected
    assert caught.value.code == ("start" if expected == read_at else "hindrance")
    assert nothing_stored()


def test_another_organisations_feature_refuses_the_whole_upload(ede_planner, liander):
    features = many(30)
    features[12]["properties"]["owner"] = "Liander"
    with pytest.raises(NotAllowed) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert caught.value.index == 12
    assert nothing_stored()


def test_the_same_external_id_twice_in_one_upload_updates_the_first(
    ede_planner, small_batches, django_capture_on_commit_callbacks
):
    features = many(90)
    features[80]["properties"]["external_id"] = "U-10"
    features[80]["properties"]["title"] = "Later in de upload"
    features[20]["properties"]["external_id"] = "U-5"
    features[20]["properties"]["status"] = "in uitvoering"
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.works_import(actor=ede_planner, data=collection(features))
    assert [s.created for s in saved].count(False) == 2
    assert saved[80].work is saved[10].work and saved[20].work is saved[5].work
    assert Work.objects.count() == 88
    assert Work.objects.get(external_id="U-10").title == "Later in de upload"
    assert Work.objects.get(external_id="U-5").status == "in uitvoering"
    updated = AuditEntry.objects.filter(action="planning.work.updated")
    assert updated.count() == 2
    # Each work's documents once in the search index.
    assert Entry.objects.filter(kind="work").count() == 88


def test_a_reupload_updates_in_bulk_with_the_changes_in_the_history(
    ede_planner, django_capture_on_commit_callbacks
):
    first = services.works_import(actor=ede_planner, data=collection(many(20)))
    features = many(20, status="in uitvoering")
    features[3]["properties"]["title"] = "Nieuwe titel"
    with django_capture_on_commit_callbacks(execute=True):
        again = services.works_import(actor=ede_planner, data=collection(features))
    assert [s.work.pk for s in again] == [s.work.pk for s in first]
    assert not any(s.created for s in again)
    assert Work.objects.filter(status="in uitvoering").count() == 20
    changes = AuditEntry.objects.filter(
        action="planning.work.updated", object_id=str(first[3].work.pk)
    ).get()
    assert set(changes.data["changes"]) == {"status", "title"}
    entry = Entry.objects.get(kind="work", object_id=first[3].work.pk)
    assert entry.title == "Nieuwe titel"
    assert all(w.updated_at > w.created_at for w in Work.objects.all())


def test_interest_zones_hear_of_every_new_work_of_an_upload(
    ede_planner, liander_planner, django_capture_on_commit_callbacks
):
    services.interest_zone_create(actor=liander_planner, name="Centrum", geometry=square(0.01))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.works_import(actor=ede_planner, data=collection(many(3)))
    # For the upload, not per work: one notification task and one search index task, and
    # the notification task's one enqueue of the notices it owes (core.background.owe_each).
    assert len(callbacks) == 3
    assert len([m for m in mail.outbox if liander_planner.email in m.to]) == 3


def test_queries_do_not_grow_with_the_number_of_features(ede_planner):
    def count(n, offset):
        features = [
            feature(line(dx_m=200 * i), external_id=f"Q{offset}-{i}", owner="Gemeente Ede")
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            services.works_import(actor=ede_planner, data=collection(features))
        return len(ctx.captured_queries)

    count(5, 0)  # the membership and owner look-ups warm up
    small, large = count(20, 1), count(150, 2)
    # Only Django's multi-row inserts (works, pairs, search rows, audit entries) split: it
    # binds at most 999 values per statement on SQLite; PostgreSQL takes them all at once.
    assert large <= small + 150 // 10
    if connection.vendor == "postgresql":
        assert large == small


def test_refused_uploads_raise_before_anything_is_written(ede_planner):
    for bad in ({"type": "FeatureCollection", "features": []}, {"type": "Punt"}, [1, 2]):
        with pytest.raises(DomainError):
            services.works_import(actor=ede_planner, data=bad)
    assert nothing_stored()


OUTSIDE = {"type": "Point", "coordinates": [4.35, 50.85]}  # Brussels


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # A geometry refused in the middle of a later batch: named, nothing stored.
        ({37: {"geometry": OUTSIDE}}, (37, "geometry")),
        # An earlier unreadable date is reported first; a later one waits.
        ({37: {"geometry": OUTSIDE}, 20: {"start": "1 mei"}}, (20, "start")),
        ({37: {"geometry": OUTSIDE}, 50: {"start": "1 mei"}}, (37, "geometry")),
        # In one feature the geometry is read before the dates, after the owner.
        ({37: {"geometry": OUTSIDE, "start": "1 mei"}}, (37, "geometry")),
        ({37: {"geometry": OUTSIDE, "owner": "Onbekend"}}, (37, "owner")),
        # The model's refusal of an earlier feature comes before a later geometry.
        ({37: {"geometry": OUTSIDE}, 30: {"hindrance": "heel veel"}}, (30, "hindrance")),
    ],
)
def test_batched_geometry_checks_report_the_first_refusal_in_feature_order(
    ede_planner, small_batches, changes, expected
):
    features = many(60)
    for index, change in changes.items():
        for key, value in change.items():
            if key == "geometry":
                features[index]["geometry"] = value
            else:
                features[index]["properties"][key] = value
    with pytest.raises(DomainError) as caught:
        services.works_import(actor=ede_planner, data=collection(features))
    assert (caught.value.index, caught.value.code) == expected
    assert nothing_stored()


def test_batched_geometries_are_those_of_one_feature_at_a_time():
    from bouwplaats.planning.geo import parse_geometries, parse_geometry, to_rd

    x, y = to_rd().transform(5.665, 52.0405)
    hole = {
        "type": "Polygon",
        "coordinates": [
            [[5.66, 52.04], [5.67, 52.04], [5.67, 52.05], [5.66, 52.05], [5.66, 52.04]],
            [[5.662, 52.042], [5.664, 52.042], [5.664, 52.044], [5.662, 52.042]],
        ],
    }
    items = [
        (line(), None),
        (square(), None),
        (hole, None),
        ({"type": "MultiPoint", "coordinates": [[5.1, 52.1], [5.2, 52.2]]}, None),
        ({"type": "Point", "coordinates": [x, y]}, None),  # RD New by its range
        ({"type": "Point", "coordinates": [x + 10, y]}, "rd"),
        ({"type": "Point", "coordinates": [5.123456789, 52.1, 4.0]}, None),  # 3D
        ({"type": "LineString", "coordinates": [[5.1, 52.1], [5.10000012, 52.1]]}, None),
    ]
    batch = parse_geometries(items)
    single = [parse_geometry(data, crs=crs) for data, crs in items]
    assert [(g.geojson, g.rd_wkb) for g in batch] == [(g.geojson, g.rd_wkb) for g in single]


@pytest.mark.parametrize("n", [20, 150])
def test_an_uploads_queries_do_not_grow_with_its_size(
    ede_planner, django_assert_max_num_queries, n
):
    services.works_import(actor=ede_planner, data=collection(many(3)))  # warm the look-ups
    features = [feature(line(dx_m=200 * i, dy_m=50), external_id=f"N-{i}") for i in range(n)]
    fields = [f for f in Work._meta.concrete_fields if not f.primary_key]
    per_insert = connection.ops.bulk_batch_size(fields, features)
    extra_inserts = -(-n // per_insert) - 1
    with django_assert_max_num_queries(MAX_UPLOAD_QUERIES + extra_inserts):
        services.works_import(actor=ede_planner, data=collection(features))
    assert Work.objects.count() == 3 + n
