import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from bouwplaats.newsletters import services
from bouwplaats.newsletters.models import Issue, NewsletterList
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _sent(newsletter_list, subject, days_ago):
    return Issue.objects.create(
        newsletter_list=newsletter_list,
        subject=subject,
        status=Issue.Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=days_ago),
        agenda=[
            {
                "session_id": 1,
                "start": "2021-09-30T12:45:00+02:00",
                "title": "Leerplatformsessie - Opgaven verbinden",
                "line": "Integraal, gebiedsgericht of opgavegericht werken?",
                "url": "https://bouwplaats.example.nl/sessies/1/",
                "changed": True,
                "changes": ["datum", "programma"],
            }
        ],
    )


def test_index_lists_every_newsletter_with_a_form_in_fixed_queries(
    client, newsletter_list, django_assert_max_num_queries
):
    for n in range(3):
        NewsletterList.objects.create(
            programme=ProgrammeFactory(), name=f"Nieuwsflits {n}", slug=f"nieuwsflits-{n}"
        )
    with django_assert_max_num_queries(3):
        response = client.get("/nieuwsflits/")
    content = response.content.decode()
    assert content.count('type="email"') == 4
    assert newsletter_list.name in content


def test_index_empty_state(client, db):
    assert "Er zijn nog geen nieuwsflitsen." in client.get("/nieuwsflits/").content.decode()


def test_archive_shows_sent_issues_newest_first_and_hides_drafts(
    client, newsletter_list, django_assert_max_num_queries
):
    _sent(newsletter_list, "Nieuwsflits juli", 60)
    for n in range(5):
        _sent(newsletter_list, f"Nieuwsflits voorjaar {n}", 200 + n)
    _sent(newsletter_list, "Nieuwsflits september", 5)
    Issue.objects.create(newsletter_list=newsletter_list, subject="Geheim concept")
    with django_assert_max_num_queries(3):
        content = client.get(f"/nieuwsflits/{newsletter_list.slug}/").content.decode()
    assert content.index("Nieuwsflits september") < content.index("Nieuwsflits juli")
    assert "Geheim concept" not in content


def test_sent_issue_is_a_public_page_with_the_frozen_agenda(client, newsletter_list):
    issue = _sent(newsletter_list, "Nieuwsflits september", 5)
    content = client.get(issue.get_absolute_url()).content.decode()
    assert "Leerplatformsessie - Opgaven verbinden" in content
    assert "Let op: de datum en het programma zijn gewijzigd sinds de vorige nieuwsbrief" in content


def test_draft_is_hidden_from_visitors_and_opens_the_manage_page_for_the_team(
    client, newsletter_list, team_member
):
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Concept")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(team_member)
    response = client.get(draft.get_absolute_url())
    assert (
        response.status_code == 302 and response["Location"] == f"/nieuwsflits/uitgave/{draft.pk}/"
    )


def test_team_pages_refuse_others(client, newsletter_list, member):
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Concept")
    client.force_login(member)
    assert client.get(f"/nieuwsflits/{newsletter_list.slug}/nieuw/").status_code == 403
    for path in ("", "bewerken/", "voorbeeld/", "voorbeeld.html", "voortgang/"):
        assert client.get(f"/nieuwsflits/uitgave/{draft.pk}/{path}").status_code == 403
    for path in ("test/", "verzenden/", "hervatten/"):
        assert client.post(f"/nieuwsflits/uitgave/{draft.pk}/{path}").status_code == 403
    assert mail.outbox == []


def test_write_issue_with_empty_subject_shows_error_and_stores_nothing(
    client, newsletter_list, team_member
):
    client.force_login(team_member)
    response = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/nieuw/",
        {"subject": "", "intro": "Tekst", "agenda_days": "30"},
    )
    assert response.status_code == 200
    assert "Geef de nieuwsflits een onderwerp." in response.content.decode()
    assert not Issue.objects.exists()


def test_write_preview_test_and_count(client, newsletter_list, team_member, confirmed):
    confirmed("een@example.nl")
    confirmed("twee@example.nl")
    client.force_login(team_member)
    response = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/nieuw/",
        {
            "subject": "Nieuwsflits oktober",
            "intro": "Beste partners en collega's,\n\nEr staan nog **sessies** gepland.",
            "blocks": "## MIRT light webinar\nOp 5 oktober.\n\n## M.e.r. cursus\nOp 30 november.",
            "signature_name": "Diana Kool",
            "signature_role": "Trekker Leerplatform MIRT",
            "agenda_days": "60",
        },
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"/nieuwsflits/uitgave/{issue.pk}/"
    assert issue.blocks == [
        {"title": "MIRT light webinar", "text": "Op 5 oktober."},
        {"title": "M.e.r. cursus", "text": "Op 30 november."},
    ]
    manage = client.get(f"/nieuwsflits/uitgave/{issue.pk}/").content.decode()
    assert "Deze nieuwsflits gaat naar 2 bevestigde abonnees." in manage
    text = client.get(f"/nieuwsflits/uitgave/{issue.pk}/voorbeeld/").content.decode()
    assert f"Beste {escape(team_member.full_name)}," in text and "M.e.r. cursus" in text
    html = client.get(f"/nieuwsflits/uitgave/{issue.pk}/voorbeeld.html").content.decode()
    assert "<strong>sessies</strong>" in html and 'style="' in html

    client.post(f"/nieuwsflits/uitgave/{issue.pk}/test/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [f"{team_member.full_name} <{team_member.email}>"]
    assert mail.outbox[0].subject == "[Test] Nieuwsflits oktober"
    issue.refresh_from_db()
    assert issue.status == "draft"

    edit = client.post(
        f"/nieuwsflits/uitgave/{issue.pk}/bewerken/",
        {"subject": "Nieuwsflits oktober 2021", "agenda_days": "400"},
    )
    assert "Het aantal dagen ligt tussen 0 en 366." in edit.content.decode()
    issue.refresh_from_db()
    assert issue.subject == "Nieuwsflits oktober"


def test_progress_polls_while_sending_and_stops_when_sent(
    client, newsletter_list, team_member, confirmed
):
    confirmed("een@example.nl")
    issue = services.issue_create(newsletter_list=newsletter_list, user=team_member, subject="X")
    services.issue_send(issue=issue, user=team_member)
    client.force_login(team_member)
    sending = client.get(f"/nieuwsflits/uitgave/{issue.pk}/voortgang/").content.decode()
    assert 'hx-trigger="every 2s"' in sending and "0 van 1 verzonden, 0 mislukt." in sending
    from bouwplaats.newsletters import delivery

    delivery.issue_deliver(issue.pk)
    done = client.get(f"/nieuwsflits/uitgave/{issue.pk}/voortgang/").content.decode()
    assert "hx-trigger" not in done and "1 van 1 verzonden, 0 mislukt." in done


def test_mijn_nieuwsbrieven_lists_every_newsletter_in_fixed_queries(
    client, member, newsletter_list, django_assert_max_num_queries
):
    for n in range(5):
        NewsletterList.objects.create(
            programme=ProgrammeFactory(), name=f"Nieuwsflits {n}", slug=f"nieuwsflits-{n}"
        )
    client.force_login(member)
    # Session and user, the member's verified addresses, their subscriptions, the lists.
    with django_assert_max_num_queries(5):
        content = client.get("/nieuwsflits/mijn/").content.decode()
    assert content.count("Abonneren op de") == 6
