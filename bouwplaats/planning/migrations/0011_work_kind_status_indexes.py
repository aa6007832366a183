from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0010_initiative_reason"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="work",
            index=models.Index(fields=["kind"], name="planning_work_kind"),
        ),
        migrations.AddIndex(
            model_name="work",
            index=models.Index(fields=["status"], name="planning_work_status"),
        ),
    ]
