"""The list's filters as indexed reads at 100,000 works (issue 17, point 4), part one.

Stored pairs get what both of their works share (models.PairFacts: owner, kind, status,
latest start, earliest end), filled from their works here with the historical models; from
then on pairs.pairs_refresh and pairs.pairs_rebuild write them. 0014 adds the indexes (on
PostgreSQL an index cannot be built in the transaction that updated the rows).
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Greatest, Least

# Replaced by fill() before any read: every stored pair has two works.
PLACEHOLDER = datetime.date(2000, 1, 1)


def fill(apps, schema_editor):
    works = apps.get_model("planning", "Work").objects
    pair_models = [apps.get_model("planning", n) for n in ("Combination", "Conflict")]
    if works.exists() and not any(m.objects.exists() for m in pair_models):
        # Came through 0007 with works but without its rebuild (see there): rebuild now,
        # with today's code, when its pair columns are this state's.
        from bouwplaats.planning.models import Combination
        from bouwplaats.planning.pairs import pairs_rebuild

        here = {f.attname for f in pair_models[0]._meta.concrete_fields}
        if {f.attname for f in Combination._meta.concrete_fields} <= here:
            pairs_rebuild()
        return
    for name in ("Combination", "Conflict"):
        pairs = apps.get_model("planning", name).objects

        def side(field: str, column: str):
            return Subquery(works.filter(pk=OuterRef(field)).values(column)[:1])

        # Work a's facts and the pair's period, then each fact cleared where b differs.
        pairs.update(
            shared_owner_id=side("work_a_id", "owner_id"),
            shared_kind=side("work_a_id", "kind"),
            shared_status=side("work_a_id", "status"),
            latest_start=Greatest(side("work_a_id", "start"), side("work_b_id", "start")),
            earliest_end=Least(side("work_a_id", "end"), side("work_b_id", "end")),
        )
        for fact, column, empty in (
            ("shared_owner_id", "owner_id", None),
            ("shared_kind", "kind", ""),
            ("shared_status", "status", ""),
        ):
            same = works.filter(pk=OuterRef("work_b_id"), **{column: OuterRef(fact)})
            pairs.exclude(Exists(same)).update(**{fact: empty})


def pair_fields(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name,
            name="shared_owner",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="shared_kind",
            field=models.CharField(blank=True, max_length=30, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="shared_status",
            field=models.CharField(blank=True, max_length=20, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="latest_start",
            field=models.DateField(default=PLACEHOLDER),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="earliest_end",
            field=models.DateField(default=PLACEHOLDER),
            preserve_default=False,
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("planning", "0012_work_list_indexes"),
    ]

    operations = [
        *pair_fields("combination"),
        *pair_fields("conflict"),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
