"""What an upload writes: new works indexed by an owed task, unchanged works left alone,
changed works written by key (bulk_create's upsert) with their history and search rows."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from bouwplaats.core.models import AuditEntry, OwedTask
from bouwplaats.planning import services
from bouwplaats.planning.models import Combination, Work
from bouwplaats.search.models import Entry
from bouwplaats.search.selectors import search_query
from tests.owed_work import queue_back, requeue

from .conftest import feature, line

pytestmark = pytest.mark.django_db


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def many(n, **props):
    return [
        feature(line(dx_m=200 * i), external_id=f"W-{i}", title=f"Zinkerrenovatie {i}", **props)
        for i in range(n)
    ]


INDEX_TASK = "bouwplaats.planning.tasks.index_works"


def owed_indexing():
    return OwedTask.objects.filter(task=INDEX_TASK)


def found(word: str) -> int:
    return search_query(user=AnonymousUser(), q=word).total


def test_new_works_are_found_once_the_index_task_ran(
    ede_planner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        saved = services.works_import(actor=ede_planner, data=collection(many(3)))
        # Before the commit: owed on record, not in the index yet.
        ids = [s.work.pk for s in saved]
        [owed] = owed_indexing()
        assert owed.args == [ids]
        assert not Entry.objects.filter(kind="work").exists()
    for callback in callbacks:
        callback()  # the commit: the task runs at once (the tests' immediate backend)
    assert found("zinkerrenovatie") == 3
    assert not owed_indexing().exists()


def test_an_upload_whose_index_task_was_lost_is_found_after_requeue_owed_work(
    ede_planner, queue_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.works_import(actor=ede_planner, data=collection(many(4)))
    assert Work.objects.count() == 4  # the upload stands, with the queue unreachable
    assert found("zinkerrenovatie") == 0
    assert owed_indexing().count() == 1
    queue_back(settings)
    requeue()
    assert found("zinkerrenovatie") == 4
    assert not owed_indexing().exists()


def test_a_refused_upload_owes_no_index_task(ede_planner, django_capture_on_commit_callbacks):
    features = many(5)
    features[3]["properties"]["kind"] = "tunnelbouw"
    with pytest.raises(services.DomainError), django_capture_on_commit_callbacks(execute=True):
        services.works_import(actor=ede_planner, data=collection(features))
    assert not owed_indexing().exists() and not Work.objects.exists()


def test_a_work_saved_on_its_own_is_found_at_once(ede_planner):
    services.work_create(actor=ede_planner, feature=feature(title="Zinkerrenovatie Molenstraat"))
    assert found("zinkerrenovatie") == 1
    assert not owed_indexing().exists()


def test_an_unchanged_reupload_writes_nothing(
    ede_planner, liander_work, django_assert_max_num_queries
):
    features = many(30)
    features[0]["geometry"] = line(dy_m=4)  # beside Liander's cable: a pair
    first = services.works_import(actor=ede_planner, data=collection(features))
    pairs = list(Combination.objects.values_list("pk", flat=True))
    assert pairs
    stamps = dict(Work.objects.values_list("pk", "updated_at"))
    audit = AuditEntry.objects.count()
    # Same features (their coordinates read again from JSON): the look-ups, no writes.
    again = json.loads(json.dumps(features))
    with django_assert_max_num_queries(12):
        saved = services.works_import(actor=ede_planner, data=collection(again))
    assert [s.work.pk for s in saved] == [s.work.pk for s in first]
    assert not any(s.created or s.changed for s in saved)
    assert dict(Work.objects.values_list("pk", "updated_at")) == stamps
    assert AuditEntry.objects.count() == audit
    assert list(Combination.objects.values_list("pk", flat=True)) == pairs


def test_a_changed_reupload_is_written_by_key_and_keeps_what_it_does_not_change(
    ede_planner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.works_import(actor=ede_planner, data=collection(many(60)))
    stored = {w.pk: w for w in Work.objects.all()}
    features = many(60)
    features[7]["properties"]["title"] = "Gewijzigde titel"
    features[9]["properties"]["public"] = False
    features[11]["properties"]["end"] = "2031-01-01"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        saved = services.works_import(actor=ede_planner, data=collection(features))
        # Changed works leave the index in the upload's transaction: never found as they
        # were (Zinkerrenovatie 9 is no longer public); the others stay found.
        changed = {first[i].work.pk for i in (7, 9, 11)}
        indexed = set(Entry.objects.filter(kind="work").values_list("object_id", flat=True))
        assert indexed == {s.work.pk for s in first} - changed
        assert owed_indexing().get().args == [sorted(changed)]
    assert [s.changed for s in saved].count(True) == 3
    assert Work.objects.count() == 60
    for s in saved:
        work = Work.objects.get(pk=s.work.pk)
        # The upsert's insert half never stands: created_at and created_by stay.
        assert work.created_at == stored[work.pk].created_at == s.work.created_at
        assert work.created_by_id == ede_planner.pk
    assert Work.objects.get(pk=first[7].work.pk).title == "Gewijzigde titel"
    assert str(Work.objects.get(pk=first[11].work.pk).end) == "2031-01-01"
    updated = AuditEntry.objects.filter(action="planning.work.updated")
    assert sorted(int(e.object_id) for e in updated) == sorted(changed)
    for callback in callbacks:
        callback()
    assert found("gewijzigde") == 1
    # Not number 7 (renamed), nor number 9 for a visitor (internal now).
    assert found("zinkerrenovatie") == 58
    assert Entry.objects.get(kind="work", object_id=first[9].work.pk)


def test_a_reupload_recomputes_the_pairs_only_of_works_whose_place_or_period_changed(
    ede_planner, liander_work
):
    features = many(3)
    for item in features:
        item["geometry"] = line(dy_m=4)  # beside Liander's cable and each other: pairs
    services.works_import(actor=ede_planner, data=collection(features))
    before = set(Combination.objects.values_list("pk", "work_a", "work_b"))
    assert len(before) == 3  # each with Liander's cable (an owner's own works do not pair)
    features[0]["properties"]["title"] = "Alleen een nieuwe titel"
    features[1]["properties"]["description"] = "En een beschrijving"
    saved = services.works_import(actor=ede_planner, data=collection(features))
    assert [s.changed for s in saved] == [True, True, False]
    assert set(Combination.objects.values_list("pk", "work_a", "work_b")) == before
    features[2]["properties"]["end"] = "2031-01-01"
    services.works_import(actor=ede_planner, data=collection(features))
    after = set(Combination.objects.values_list("pk", "work_a", "work_b"))
    moved = saved[2].work.pk
    # The pairs of the work whose period changed are stored again, the others stay.
    assert {p for p in after if moved not in p[1:]} == {p for p in before if moved not in p[1:]}
    assert {p for p in after if moved in p[1:]}.isdisjoint(before)


def test_a_reuploads_answer_reads_no_owner_per_work(api, ede_planner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def reupload(n: int) -> int:
        body = collection(many(n))
        assert api(ede_planner).post("/works", body).status_code in (200, 201)
        with CaptureQueriesContext(connection) as ctx:
            response = api(ede_planner).post("/works", body)
        assert response.status_code == 200
        assert {f["properties"]["owner"] for f in response.json()["features"]} == {"Gemeente Ede"}
        return len(ctx.captured_queries)

    assert reupload(20) == reupload(60)
