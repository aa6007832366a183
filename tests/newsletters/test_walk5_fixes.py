"""Fresh-eyes walk 5: the web archive carries no mail footer, the offer to resume goes when the
sending is done, the confirmation mail's subject is prefixed like the others, one word."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from bouwplaats.newsletters import delivery, services
from bouwplaats.newsletters.models import Issue

pytestmark = pytest.mark.django_db

FOOTER = "U ontvangt deze nieuwsflits, omdat u als belangstellende geregistreerd staat"


def test_the_web_archive_shows_no_mail_footer_but_the_teams_preview_does(
    client, newsletter_list, team_member
):
    sent = Issue.objects.create(
        newsletter_list=newsletter_list,
        subject="Nieuwsflits september",
        intro="Beste lezer,\n\nWelkom.",
        status=Issue.Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=2),
        agenda=[],
    )
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "Nieuwsflits september" in page
    assert FOOTER not in page
    draft = services.issue_create(newsletter_list=newsletter_list, user=team_member, subject="X")
    client.force_login(team_member)
    assert FOOTER in client.get(f"/nieuwsflits/uitgave/{draft.pk}/").content.decode()


def test_resuming_is_offered_while_sending_only_also_in_the_polled_block(
    client, newsletter_list, team_member, confirmed
):
    confirmed("een@example.nl")
    issue = services.issue_create(newsletter_list=newsletter_list, user=team_member, subject="X")
    services.issue_send(issue=issue, user=team_member)
    client.force_login(team_member)
    manage = f"/nieuwsflits/uitgave/{issue.pk}/"
    progress = f"/nieuwsflits/uitgave/{issue.pk}/voortgang/"
    assert "Verzending hervatten" in client.get(manage).content.decode()
    assert "Verzending hervatten" in client.get(progress).content.decode()
    delivery.issue_deliver(issue.pk)
    for url in (manage, progress):
        done = client.get(url).content.decode()
        assert "1 van 1 verzonden, 0 mislukt. Klaar." in done
        assert "Verzending hervatten" not in done, url
        assert "Bekijk in het archief" in done


def test_the_confirmation_mail_subject_has_the_platform_prefix(
    client, newsletter_list, django_capture_on_commit_callbacks
):
    prefix = f"list{newsletter_list.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
            {f"{prefix}-email": "anna@example.nl", f"{prefix}-name": "Anna"},
        )
    [message] = mail.outbox
    assert message.subject == (f"[Bouwplaats] Bevestig uw abonnement op de {newsletter_list.name}")


def test_the_pages_say_nieuwsflits_not_nieuwsbrief(client, newsletter_list, member):
    pages = [f"/nieuwsflits/{newsletter_list.slug}/", "/nieuwsflits/"]
    client.force_login(member)
    pages.append("/nieuwsflits/mijn/")
    for url in pages:
        html = client.get(url).content.decode()
        assert "nieuwsbrie" not in html.lower(), url
    assert "Alle nieuwsflitsen" in client.get(pages[0]).content.decode()
    assert "Mijn nieuwsflitsen" in client.get("/nieuwsflits/mijn/").content.decode()
