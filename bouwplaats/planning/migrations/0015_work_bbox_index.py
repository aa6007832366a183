"""Map windows as index-only reads at 100,000 works: the works' extent index covers the
lists' order and the filter columns (selectors.in_bbox; GET /works?bbox and the maps)."""

from django.db import migrations, models


def refresh_statistics(apps, schema_editor):
    # As 0014: SQLite keeps planner statistics only once ANALYZE ran; then the new index
    # needs its figures too, or the planner guesses.
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return
        cursor.execute("ANALYZE planning_work")


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0014_filter_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="work", name="planning_work_rd_x"),
        migrations.AddIndex(
            model_name="work",
            index=models.Index(
                fields=[
                    "rd_minx",
                    "rd_maxx",
                    "rd_miny",
                    "rd_maxy",
                    "start",
                    "id",
                    "end",
                    "public",
                    "status",
                    "kind",
                    "owner",
                ],
                name="planning_work_rd_box",
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
