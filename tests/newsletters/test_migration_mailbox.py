"""The data migration that gives every subscription its mailbox key merges one mailbox's rows."""

import unicodedata

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("newsletters", "0004_validation")]
AFTER = [("newsletters", "0005_mailbox_key")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_normalised_keyed_and_merged():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("newsletters")
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Programme = old.get_model("programmes", "Programme")
    NewsletterList = old.get_model("newsletters", "NewsletterList")
    Subscription = old.get_model("newsletters", "Subscription")
    Issue = old.get_model("newsletters", "Issue")
    Delivery = old.get_model("newsletters", "Delivery")
    programme = Programme.objects.create(name="Migratie", slug="migratie")
    lijst = NewsletterList.objects.create(programme=programme, name="L", slug="l-migratie")
    unsubscribed = Subscription.objects.create(
        newsletter_list=lijst, email="Anna@Example.nl", status="unsubscribed"
    )
    kept = Subscription.objects.create(
        newsletter_list=lijst, email="anna@example.nl", status="confirmed"
    )
    nfd = Subscription.objects.create(
        newsletter_list=lijst,
        email=unicodedata.normalize("NFD", "bestuur@coöperatie-ede.nl"),
        status="confirmed",
    )
    issue = Issue.objects.create(newsletter_list=lijst, subject="Oud", status="sent")
    Delivery.objects.create(issue=issue, subscription=unsubscribed, status="sent")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Subscription = new.get_model("newsletters", "Subscription")
    Delivery = new.get_model("newsletters", "Delivery")
    rows = {s.pk: (s.email, s.email_key, s.status) for s in Subscription.objects.all()}
    assert rows == {
        kept.pk: ("anna@example.nl", "anna@example.nl", "confirmed"),
        nfd.pk: (
            "bestuur@coöperatie-ede.nl",
            "bestuur@xn--coperatie-ede-jmb.nl",
            "confirmed",
        ),
    }
    # The history of the merged row stays, on the kept one.
    assert list(Delivery.objects.values_list("subscription_id", flat=True)) == [kept.pk]

    MigrationExecutor(connection).migrate(latest)
