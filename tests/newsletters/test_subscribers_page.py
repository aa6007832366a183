"""Issue 15 §11: the programme team's subscriber page: count, list, export, import, unsubscribe."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.newsletters import services
from bouwplaats.newsletters.models import Subscription
from tests.factories import UserFactory


@pytest.fixture
def team(programme):
    from tests.factories import MembershipFactory

    return MembershipFactory(programme=programme, user=UserFactory(full_name="Diana Kool")).user


def test_only_the_team_sees_the_subscribers(client, newsletter_list, team, member):
    url = reverse("newsletters:subscribers", args=[newsletter_list.slug])
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.get(url.rstrip("/") + ".csv").status_code == 403
    client.force_login(team)
    assert client.get(url).status_code == 200


def test_page_shows_counts_and_the_list(client, newsletter_list, team, confirmed):
    confirmed("anna@example.nl", "Anna")
    confirmed("bram@example.nl", "Bram")
    Subscription.objects.create(newsletter_list=newsletter_list, email="cor@example.nl")
    client.force_login(team)
    page = client.get(
        reverse("newsletters:subscribers", args=[newsletter_list.slug])
    ).content.decode()
    assert "2 bevestigd, 1 wacht op bevestiging, 0 afgemeld." in page
    assert "anna@example.nl" in page and "cor@example.nl" in page


def test_import_records_the_consent_source_and_respects_an_unsubscribe(
    client, newsletter_list, team, confirmed
):
    gone = confirmed("weg@example.nl")
    gone.status = Subscription.Status.UNSUBSCRIBED
    gone.save()
    confirmed("er@example.nl")
    csv_text = (
        "e-mailadres;naam\n"
        "nieuw@example.nl;Nina Nieuw\n"
        "WEG@example.nl;Weg\n"
        "er@example.nl;\n"
        "geen-adres;Fout\n"
        "=HYPERLINK(1)@x;Fout\n"
        "nieuw@example.nl;Dubbel\n"
    )
    client.force_login(team)
    response = client.post(
        reverse("newsletters:subscribers", args=[newsletter_list.slug]),
        {
            "file": SimpleUploadedFile("lijst.csv", csv_text.encode(), content_type="text/csv"),
            "source": "aanmeldlijst congres 10 juni 2027",
        },
    )
    assert response.status_code == 302
    new = Subscription.objects.get(email="nieuw@example.nl")
    assert (new.status, new.name, new.consent_source) == (
        "confirmed", "Nina Nieuw", "import: aanmeldlijst congres 10 juni 2027"
    )  # fmt: skip
    assert new.consent_at is not None
    assert Subscription.objects.get(email="weg@example.nl").status == "unsubscribed"
    page = client.get(response["Location"]).content.decode()
    assert "Toegevoegd: 1. Al op de lijst: 2. Eerder afgemeld" in page and "Ongeldig: 2." in page
    assert AuditEntry.objects.filter(action="newsletters.subscriptions.imported").count() == 1


@pytest.mark.parametrize(
    "content, source, field",
    [
        (b"a@example.nl\n", "", "source"),
        (b"a@example.nl\n", "bron\x00", "source"),
        (b"a@example.nl\n", "b" * 200, "source"),
        ("ë@example.nl".encode("latin-1"), "bron", "file"),
        (b"a@example.nl\n" * (services.IMPORT_MAX_ROWS + 1), "bron", "file"),
    ],
)
def test_a_refused_import_stores_nothing(newsletter_list, team, content, source, field):
    with pytest.raises(InvalidInput) as refused:
        services.subscriptions_import(
            newsletter_list=newsletter_list, user=team, content=content, source=source
        )
    assert field in refused.value.errors
    assert not Subscription.objects.exists()


def test_import_is_for_the_team_only(newsletter_list, member):
    with pytest.raises(NotAllowed):
        services.subscriptions_import(
            newsletter_list=newsletter_list, user=member, content=b"a@example.nl", source="x"
        )
    assert not Subscription.objects.exists()


def test_export_goes_through_the_safe_writer_and_is_logged(
    client, newsletter_list, team, confirmed
):
    confirmed("anna@example.nl", '=HYPERLINK("http://evil")')
    client.force_login(team)
    response = client.get(
        reverse("newsletters:subscribers_export", args=[newsletter_list.slug, "csv"])
    )
    text = response.content.decode("utf-8-sig")
    assert "anna@example.nl" in text
    assert ";'=HYPERLINK" in text or ";\"'=HYPERLINK" in text
    xlsx = client.get(
        reverse("newsletters:subscribers_export", args=[newsletter_list.slug, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "anna@example.nl"
    assert (
        client.get(
            reverse("newsletters:subscribers_export", args=[newsletter_list.slug, "pdf"])
        ).status_code
        == 404
    )
    assert AuditEntry.objects.filter(action="newsletters.subscribers.exported").count() == 2


def test_unsubscribe_on_request_asks_first(client, newsletter_list, team, confirmed):
    anna = confirmed("anna@example.nl")
    client.force_login(team)
    url = reverse("newsletters:subscriber_unsubscribe", args=[newsletter_list.slug, anna.pk])
    assert "anna@example.nl afmelden?" in client.get(url).content.decode()
    client.post(url)
    anna.refresh_from_db()
    assert anna.status == "confirmed"
    client.post(url, {"bevestigd": "1"})
    anna.refresh_from_db()
    assert anna.status == "unsubscribed" and anna.unsubscribed_at is not None
    entry = AuditEntry.objects.get(action="newsletters.subscription.unsubscribed")
    assert entry.data["source"] == "op verzoek"
