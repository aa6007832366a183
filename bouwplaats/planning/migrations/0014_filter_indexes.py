"""The list's filters as indexed reads at 100,000 works (issue 17, point 4), part two.

Covering filter indexes on the pairs (their facts, 0013) and on the works, in the lists'
order; the owner's own index gives way to planning_work_owner_all, which leads with it.
"""

import django.db.models.deletion
from django.db import migrations, models

FACTS = ["public", "shared_owner", "shared_kind", "shared_status", "latest_start", "earliest_end"]


def refresh_statistics(apps, schema_editor):
    # SQLite keeps planner statistics only when ANALYZE ran once: then the old indexes have
    # figures and the new ones none, and the planner, guessing the new ones selective, led
    # joins from the organisations through planning_work_owner_all (tens of milliseconds per
    # look-up by id). Complete figures, or none, give the plans the filters are built for.
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return
        for table in ("planning_work", "planning_combination", "planning_conflict"):
            cursor.execute(f"ANALYZE {table}")


def rank_all(prefix: str, rank: list[str]) -> list:
    indexes = [models.Index(fields=[*rank, *FACTS], name=f"{prefix}_rank_all")]
    for lead in ("shared_owner", "shared_kind", "shared_status"):
        rest = [name for name in FACTS if name != lead]
        short = lead.removeprefix("shared_")
        indexes.append(models.Index(fields=[lead, *rank, *rest], name=f"{prefix}_{short}_all"))
    return indexes


WORK_FACTS = ["end", "public", "status", "kind", "owner"]


def work_indexes() -> list:
    indexes = [models.Index(fields=["start", "id", *WORK_FACTS], name="planning_work_order_all")]
    for lead in ("owner", "kind", "status"):
        rest = [name for name in WORK_FACTS if name != lead]
        indexes.append(
            models.Index(fields=[lead, "start", "id", *rest], name=f"planning_work_{lead}_all")
        )
    return indexes


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0013_pair_filter_facts"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="combination", name="planning_combo_rank"),
        migrations.RemoveIndex(model_name="conflict", name="planning_conflict_rank"),
        *(
            migrations.AddIndex(model_name="combination", index=index)
            for index in rank_all("planning_combo", ["-score", "distance_m", "work_a", "work_b"])
        ),
        *(
            migrations.AddIndex(model_name="conflict", index=index)
            for index in rank_all("planning_conflict", ["-heavy", "distance_m", "work_a", "work_b"])
        ),
        migrations.RemoveIndex(model_name="work", name="planning_work_kind_order"),
        migrations.RemoveIndex(model_name="work", name="planning_work_status_order"),
        migrations.RemoveIndex(model_name="work", name="planning_work_residents"),
        migrations.RemoveIndex(model_name="work", name="planning_work_period"),
        migrations.RemoveIndex(model_name="work", name="planning_work_list_order"),
        *(migrations.AddIndex(model_name="work", index=index) for index in work_indexes()),
        migrations.AddIndex(
            model_name="work",
            index=models.Index(
                fields=["public", "status", "start", "end"], name="planning_work_residents_period"
            ),
        ),
        migrations.AlterField(
            model_name="work",
            name="owner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="planning_works",
                to="accounts.organisation",
                verbose_name="eigenaar",
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop),
    ]
