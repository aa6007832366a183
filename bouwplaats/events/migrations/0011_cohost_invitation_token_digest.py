"""Co-host invitations keep only their link token's digest (issue 17).

Existing invitations get the SHA-256 digest of their stored token, so that the links already
mailed keep working, and the plain token is dropped. Going back stores the digest as the token:
the schema returns, the links mailed before do not (their tokens are gone).
"""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    invitation = apps.get_model("events", "CoHostInvitation")
    for pk, token in list(invitation.objects.values_list("pk", "token")):
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        invitation.objects.filter(pk=pk).update(token_hash=digest)


def digests_as_tokens(apps, schema_editor):
    invitation = apps.get_model("events", "CoHostInvitation")
    invitation.objects.update(token=models.F("token_hash"))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_part_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohostinvitation",
            name="token_seed",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="cohostinvitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Not unique while it goes (and, going back, until every row has one again).
        migrations.AlterField(
            model_name="cohostinvitation",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, digests_as_tokens),
        migrations.RemoveField(
            model_name="cohostinvitation",
            name="token",
        ),
        migrations.AlterField(
            model_name="cohostinvitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
