"""The migration that moves the search index's pilot entries to the pilots' new addresses."""

import importlib

from django.apps import apps
from django.utils import timezone

from bouwplaats.search.models import Entry

migration = importlib.import_module("bouwplaats.projects.migrations.0013_pilot_search_addresses")


def _entry(kind: str, object_id: int, url: str) -> Entry:
    return Entry.objects.create(
        kind=kind, object_id=object_id, title="Dorpskern Losser", url=url, updated_at=timezone.now()
    )


def test_pilot_entries_point_at_the_new_addresses_and_nothing_else_moves(db):
    old = _entry("pilot", 7, "/oproepen/pilots/7/")
    moved = _entry("pilot", 8, "/pilots/8/")
    call = _entry("call", 7, "/oproepen/7/")
    submission = _entry("submission", 9, "/oproepen/aanmeldingen/9/")

    migration.forwards(apps, None)
    urls = dict(Entry.objects.values_list("pk", "url"))
    assert urls == {
        old.pk: "/pilots/7/",
        moved.pk: "/pilots/8/",
        call.pk: "/oproepen/7/",
        submission.pk: "/oproepen/aanmeldingen/9/",
    }

    migration.backwards(apps, None)
    assert Entry.objects.get(pk=old.pk).url == "/oproepen/pilots/7/"
    assert Entry.objects.get(pk=call.pk).url == "/oproepen/7/"
