"""Make stored pairs with an idea non-public: visitors never see ideas (PRODUCT.md §6).

Pairs stored before this release took "public" from the works' public flag alone, so a public
idea showed through its pairs in ``GET /works/combinations`` and ``/works/conflicts``.
"""

from django.db import migrations
from django.db.models import Q


def hide_ideas(apps, schema_editor):
    ideas = Q(work_a__status="idee") | Q(work_b__status="idee")
    for name in ("Combination", "Conflict"):
        apps.get_model("planning", name).objects.filter(ideas, public=True).update(public=False)


class Migration(migrations.Migration):
    dependencies = [("planning", "0008_list_order_index")]

    operations = [migrations.RunPython(hide_ideas, migrations.RunPython.noop)]
