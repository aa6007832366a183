"""One mailbox, one subscription: a matching key per address, unique per list.

Existing addresses are stored NFC with their domain in Unicode form and keyed (core.mail);
rows of one list that turn out to be one mailbox are merged first: the confirmed (else the
pending, else the oldest) row stays, the others' deliveries move to it where it has none for
that issue.
"""

from django.db import migrations, models

from bouwplaats.core.mail import email_key, normalise_email

_RANK = {"confirmed": 0, "pending": 1, "unsubscribed": 2}


def fill_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Check the moved deliveries' foreign keys now: deferred checks still pending would
        # stop the ALTER TABLE that adds the constraint in this same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Subscription = apps.get_model("newsletters", "Subscription")
    Delivery = apps.get_model("newsletters", "Delivery")
    groups: dict[tuple[int, str], list] = {}
    for subscription in Subscription.objects.order_by("created_at", "pk").iterator():
        subscription.email = normalise_email(subscription.email)
        subscription.email_key = email_key(subscription.email)
        groups.setdefault((subscription.newsletter_list_id, subscription.email_key), []).append(
            subscription
        )
    for rows in groups.values():
        rows.sort(key=lambda row: (_RANK.get(row.status, 3), row.created_at, row.pk))
        kept, *duplicates = rows
        for duplicate in duplicates:
            taken = set(Delivery.objects.filter(subscription=kept).values_list("issue_id", flat=True))
            Delivery.objects.filter(subscription=duplicate).exclude(issue_id__in=taken).update(
                subscription=kept
            )
            duplicate.delete()
        kept.save(update_fields=["email", "email_key"])


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0004_validation")]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="email_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=400),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(
            model_name="subscription", name="unique_subscription_per_list"
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                fields=("newsletter_list", "email_key"), name="unique_mailbox_per_list"
            ),
        ),
    ]
