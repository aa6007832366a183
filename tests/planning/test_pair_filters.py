"""The list's filters read the facts stored on the pairs: the same pairs as both works matching
the filter (the unindexed computation), after every kind of change, on both databases."""

import datetime
import random

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import analysis, selectors, services
from bouwplaats.planning.models import Combination, Conflict, Work
from tests.factories import OrganisationFactory, UserFactory

from .test_pairs_table import _key, _keyed, _keyed_conflicts, generated

pytestmark = pytest.mark.django_db

KINDS = ["riolering", "asfalt", "groen"]
STATUSES = ["idee", "gepland", "in voorbereiding", "in uitvoering", "gereed"]
OWNERS = ["A", "B", "C"]


def varied(n: int, *, seed: int) -> dict:
    """Return ``generated`` works with varied kinds (the generator has one kind)."""
    data = generated(n, seed=seed)
    rng = random.Random(seed)
    for item in data["features"]:
        item["properties"]["kind"] = rng.choice(KINDS)
    return data


def filter_sample(seed: int, n: int = 40) -> list[selectors.Filters]:
    """Return every single filter and ``n`` random combinations of them."""
    owners = {o.name: o.pk for o in Organisation.objects.filter(name__in=OWNERS)}
    rng = random.Random(seed)
    first = datetime.date(2027, 1, 1)
    singles = [
        *(selectors.Filters(owner=pk) for pk in owners.values()),
        *(selectors.Filters(kind=kind) for kind in KINDS),
        *(selectors.Filters(status=status) for status in STATUSES),
        selectors.Filters(period_from=first + datetime.timedelta(days=200)),
        selectors.Filters(period_to=first + datetime.timedelta(days=200)),
    ]
    sample = []
    for _ in range(n):
        start = first + datetime.timedelta(days=rng.randint(-30, 600))
        sample.append(
            selectors.Filters(
                owner=rng.choice([None, *owners.values()]),
                kind=rng.choice(["", *KINDS]),
                status=rng.choice(["", *STATUSES]),
                period_from=rng.choice([None, start]),
                period_to=rng.choice([None, start + datetime.timedelta(days=rng.randint(0, 200))]),
            )
        )
    return singles + sample


def unindexed(user, filters: selectors.Filters):
    """Return the pairs among the works ``user`` sees under ``filters``, computed: the full
    analysis of the visible works, kept where both works are in ``work_list``, in rank order."""
    visible = selectors.work_list(user=user).exclude(status=Work.Status.GEREED)
    combos, conflicts = analysis.analyse(selectors.workset_from_rows(selectors._rows(visible)))
    kept = set(selectors.work_list(user=user, filters=filters).values_list("pk", flat=True))
    combos = [r for r in combos.records() if r["work_a"] in kept and r["work_b"] in kept]
    conflicts = [r for r in conflicts.records() if r["work_a"] in kept and r["work_b"] in kept]
    combos.sort(key=lambda r: (-round(r["score"], 3), r["distance_m"], *_key(r)))
    conflicts.sort(key=lambda r: (r["severity"] != "zwaar", r["distance_m"], *_key(r)))
    return combos, conflicts


def assert_filters_exact(user, sample) -> int:
    """Assert stored_pairs under each filter of ``sample`` equals ``unindexed``; return how
    many pairs the sample kept in all (so a test can tell it compared something)."""
    kept = 0
    for filters in sample:
        expected_combos, expected_conflicts = unindexed(user, filters)
        combos, conflicts = selectors.stored_pairs(user=user, filters=filters)
        combos, conflicts = list(combos), list(conflicts)
        assert _keyed(combos) == _keyed(expected_combos), filters
        assert _keyed_conflicts(conflicts) == _keyed_conflicts(expected_conflicts), filters
        # The ranks too (ties in score and distance aside, which keep the ids' order).
        assert [r["severity"] for r in conflicts] == [r["severity"] for r in expected_conflicts]
        assert [r["score"] for r in combos] == [round(r["score"], 3) for r in expected_combos]
        kept += len(combos) + len(conflicts)
    return kept


@pytest.fixture
def staff(db):
    for name in OWNERS:
        OrganisationFactory(name=name, kind=Organisation.Kind.NETBEHEERDER)
    return UserFactory(is_staff=True)


def test_filtered_pairs_equal_the_unindexed_computation(staff):
    services.works_import(actor=staff, data=varied(150, seed=21))
    sample = filter_sample(1)
    assert assert_filters_exact(staff, sample) > 100
    # Visitors: only pairs of two works they see (public, not an idea).
    assert assert_filters_exact(AnonymousUser(), sample) > 20


def test_filtered_pairs_follow_every_change_of_their_works(staff):
    data = varied(100, seed=22)
    services.works_import(actor=staff, data=data)
    rng = random.Random(3)
    # A re-upload that changes only kinds (pairs.PAIR_INPUTS: the kind is a fact of a pair).
    for item in data["features"][::2]:
        item["properties"]["kind"] = rng.choice(KINDS)
    saved = services.works_import(actor=staff, data=data)
    assert any(s.changed for s in saved)
    sample = filter_sample(2, n=25)
    assert_filters_exact(staff, sample)
    # Status and period changed one work at a time through the page's service.
    for work in rng.sample(list(Work.objects.order_by("pk")), 8):
        start = work.start + datetime.timedelta(days=rng.randint(-150, 150))
        services.work_update(
            actor=staff,
            work=work,
            feature={
                "type": "Feature",
                "geometry": work.geometry,
                "properties": {
                    "kind": rng.choice(KINDS),
                    "title": work.title,
                    "start": start.isoformat(),
                    "end": (start + datetime.timedelta(days=rng.randint(0, 90))).isoformat(),
                    "hindrance": work.hindrance,
                    "status": rng.choice(STATUSES),
                    "public": rng.random() < 0.7,
                },
            },
        )
    assert assert_filters_exact(staff, sample) > 20
    assert_filters_exact(AnonymousUser(), sample)


def test_the_migration_fills_the_facts_the_upkeep_writes(staff):
    """Migration 0013 fills the facts of pairs stored before it with the values that
    pairs_refresh writes."""
    import importlib

    fill = importlib.import_module("bouwplaats.planning.migrations.0013_pair_filter_facts").fill
    services.works_import(actor=staff, data=varied(120, seed=23))
    facts = ["shared_owner_id", "shared_kind", "shared_status", "latest_start", "earliest_end"]
    written = {
        model: sorted(model.objects.values_list("work_a", "work_b", *facts))
        for model in (Combination, Conflict)
    }
    assert all(written.values())
    assert any(row[2] is not None for row in written[Conflict])  # a shared owner
    placeholder = datetime.date(2000, 1, 1)
    for model in (Combination, Conflict):
        model.objects.update(
            shared_owner=None,
            shared_kind="x",
            shared_status="x",
            latest_start=placeholder,
            earliest_end=placeholder,
        )
    fill(apps, None)
    for model in (Combination, Conflict):
        assert sorted(model.objects.values_list("work_a", "work_b", *facts)) == written[model]


def test_filtered_pairs_read_no_work_rows(staff):
    """Under any filter the pairs are one query on their own table (a filter index), no EXISTS
    or IN over the works: an owner filter walked every pair with two probes (0.5–1 s)."""
    services.works_import(actor=staff, data=varied(40, seed=24))
    owner = Organisation.objects.get(name="A").pk
    for filters in [
        selectors.Filters(owner=owner),
        selectors.Filters(owner=owner, kind="asfalt", status="gepland"),
        selectors.Filters(period_from=datetime.date(2027, 3, 1)),
    ]:
        for pairs in selectors.stored_pairs(user=staff, filters=filters):
            with CaptureQueriesContext(connection) as ctx:
                pairs.count_upto(1001)
                pairs[:50]
            assert len(ctx.captured_queries) == 2
            for query in ctx.captured_queries:
                assert "planning_work" not in query["sql"]


LIST_FILTERS = {
    "owner": lambda owner: {"owner": owner},
    "kind": lambda owner: {"kind": "riolering"},
    "status": lambda owner: {"status": "gepland"},
    "period": lambda owner: {"period_from": "2027-03-01", "period_to": "2027-09-01"},
    "combined": lambda owner: {
        "owner": owner,
        "kind": "riolering",
        "status": "gepland",
        "period_from": "2027-01-01",
        "period_to": "2028-12-31",
    },
}


# Per page (pinned): the owner filter's choice is looked up once more (the form's field).
QUERIES = {"planning:list": 11, "planning:map": 8}
WITH_OWNER = {"owner", "combined"}


def crowded(n: int, *, seed: int) -> dict:
    """Return ``generated`` works where every filter of LIST_FILTERS keeps both kinds of pair."""
    data = generated(n, seed=seed, owners=("A", "B"))
    rng = random.Random(seed)
    for item in data["features"]:
        props = item["properties"]
        props["kind"] = rng.choice(["riolering", "riolering", "asfalt"])
        props["status"] = rng.choice(["gepland", "gepland", "in uitvoering"])
        props["hindrance"] = rng.choice(["afsluiting", "rijstrook"])
    return data


@pytest.mark.parametrize("name", sorted(LIST_FILTERS))
@pytest.mark.parametrize("page", ["planning:list", "planning:map"])
def test_filtered_pages_take_pinned_queries(client, staff, name, page, django_assert_num_queries):
    """The list's and the map's queries under each filter: as many for 250 works as for 120."""
    services.works_import(actor=staff, data=crowded(120, seed=25))
    owner = Organisation.objects.get(name="A").pk
    params = LIST_FILTERS[name](owner)
    client.force_login(staff)
    client.get(reverse(page), params)
    expected = QUERIES[page] + (name in WITH_OWNER)
    with django_assert_num_queries(expected):
        response = client.get(reverse(page), params)
    assert response.context["combinations"] and response.context["conflicts"]
    services.works_import(actor=staff, data=crowded(130, seed=26))
    with django_assert_num_queries(expected):
        response = client.get(reverse(page), params)
    assert response.status_code == 200


def test_the_owner_filter_keeps_pairs_of_one_owners_departments(staff):
    """Combinations are between owners (PRODUCT.md §6), so within one organisation only
    between its departments; conflicts between any two works. The owner filter keeps both."""
    data = generated(80, seed=27, owners=("A",))
    services.works_import(actor=staff, data=data)
    owner = Organisation.objects.get(name="A").pk
    combos, conflicts = selectors.stored_pairs(user=staff, filters=selectors.Filters(owner=owner))
    assert len(combos) == Combination.objects.count() > 0
    assert len(conflicts) == Conflict.objects.count() > 0
    other = Organisation.objects.get(name="B").pk
    assert not any(selectors.stored_pairs(user=staff, filters=selectors.Filters(owner=other)))


def test_covering_indexes_hold_every_filter_column():
    """Each filter index of works and pairs holds every filter column, so a combination of
    filters is checked in the index (no row read for works or pairs that do not match)."""
    work_filters = {"start", "end", "public", "status", "kind", "owner"}
    found = [i for i in Work._meta.indexes if i.name.endswith("_all")]
    assert len(found) == 4
    for index in found:
        assert work_filters <= set(index.fields)
    pair_facts = {"public", "shared_owner", "shared_kind", "shared_status"}
    pair_facts |= {"latest_start", "earliest_end"}
    for model in (Combination, Conflict):
        found = [i for i in model._meta.indexes if i.name.endswith("_all")]
        assert len(found) == 4
        for index in found:
            assert pair_facts <= {f.lstrip("-") for f in index.fields}
