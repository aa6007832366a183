"""Point the search index's pilot entries at the pilots' new addresses (/pilots/<id>/).

A pilot's pages moved from /oproepen/pilots/<id>/ (the old ones answer 301); the index stores
each entry's address when it is indexed, so existing entries are rewritten here rather than
leaving every search result one redirect away until the next ``search_rebuild``.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD, NEW = "/oproepen/pilots/", "/pilots/"


def forwards(apps, schema_editor):
    Entry = apps.get_model("search", "Entry")
    Entry.objects.filter(kind="pilot", url__startswith=OLD).update(
        url=Concat(Value(NEW), Substr("url", len(OLD) + 1))
    )


def backwards(apps, schema_editor):
    Entry = apps.get_model("search", "Entry")
    Entry.objects.filter(kind="pilot", url__startswith=NEW).update(
        url=Concat(Value(OLD), Substr("url", len(NEW) + 1))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_milestone_reopenings"),
        ("search", "0007_title_fulltext"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
