import django.core.validators
from django.db import migrations, models


def _reason_for_earlier_declines(apps, schema_editor):
    # A declined initiative carries a reason from now on (Work.clean): earlier ones say so.
    Work = apps.get_model("planning", "Work")
    Work.objects.filter(initiative="declined", initiative_reason="").update(
        initiative_reason="Afgewezen voordat een reden werd gevraagd."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0009_pairs_hide_public_ideas"),
    ]

    operations = [
        migrations.AddField(
            model_name="work",
            name="initiative_reason",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="reden van afwijzen",
            ),
        ),
        migrations.RunPython(_reason_for_earlier_declines, migrations.RunPython.noop),
    ]
