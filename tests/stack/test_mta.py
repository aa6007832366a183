"""Acceptance (issue 17 §2): the newsletter and the registration mails through a real MTA.

Django's SMTP backend (EMAIL_URL=smtp://127.0.0.1:<port>, as in production) hands the mails
to Debian's Exim on loopback, which delivers them to each recipient's maildir. Each mailbox
holds exactly one copy, and the RFC 8058 one-click headers arrive intact: the link read from
the mailbox unsubscribes with one POST.
"""

import pytest
from django.db import transaction
from django.test import Client

from bouwplaats.events.services import registrations
from bouwplaats.newsletters import services as newsletters
from bouwplaats.newsletters.models import Issue, NewsletterList, Subscription
from bouwplaats.settings import email_settings
from tests.factories import MembershipFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

SITE = "https://bouwplaats.example.nl"
READERS = [
    ("esther.delange@goedopweg.nl", "Esther de Lange"),
    ("jens.vanderweele@regio-utrecht.nl", "Jens van der Weele"),
    ("diana.kool@rws.nl", "Diana Kool"),
    ("bram@example.nl", ""),
    ("m.ozturk@gemeente.nl", "Meryem Öztürk"),
]


@pytest.fixture
def smtp_to_exim(settings, exim):
    """Send mail as production does with EMAIL_URL naming the MTA; return the Exim."""
    for name, value in email_settings(f"smtp://127.0.0.1:{exim.port}").items():
        setattr(settings, name, value)
    settings.SITE_URL = SITE
    return exim


def test_every_subscriber_gets_one_copy_with_the_one_click_headers(smtp_to_exim, programme):
    exim = smtp_to_exim
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Beter Benutten", slug="nieuwsflits-bb-mta"
    )
    for email, name in READERS:
        exim.mailbox(email)
        Subscription.objects.create(
            newsletter_list=newsletter_list, email=email, name=name,
            status=Subscription.Status.CONFIRMED, consent_source="test",
        )  # fmt: skip
    issue = Issue.objects.create(newsletter_list=newsletter_list, subject="Nieuwsflits december")
    team_member = MembershipFactory(programme=programme).user

    newsletters.issue_send(issue=issue, user=team_member)  # the task runs after commit
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.failed_count) == ("sent", len(READERS), 0)
    exim.wait_until_delivered()

    for email, _name in READERS:
        received = exim.messages(email)
        assert len(received) == 1, email
        message = received[0]
        assert message["Subject"] == "Nieuwsflits december"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = str(message["List-Unsubscribe"]).strip()  # folded: a long line goes on the next
        assert link.startswith(f"<{SITE}/") and link.endswith(">"), link
        assert message["Envelope-to"] == email, "Exim delivered it to this mailbox"

    # The header's link, as a mail program reads it from the mailbox, unsubscribes in one POST.
    link = str(exim.messages("bram@example.nl")[0]["List-Unsubscribe"]).strip()[1:-1]
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(SITE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get(email="bram@example.nl").status == "unsubscribed"


def test_every_registrant_gets_one_registration_mail(smtp_to_exim, programme):
    exim = smtp_to_exim
    session = SessionFactory(programme=programme, title="Bouwsessie Slim Reizen", capacity=2)
    members = [
        UserFactory(email=f"deelnemer{n}@regio-utrecht.nl", full_name=f"Deelnemer {n}")
        for n in range(3)
    ]
    for member in members:
        exim.mailbox(member.email)
        with transaction.atomic():
            registrations.registration_create(session=session, member=member)
    exim.wait_until_delivered()

    subjects = []
    for member in members:
        received = exim.messages(member.email)
        assert len(received) == 1, member.email
        assert "Bouwsessie Slim Reizen" in received[0]["Subject"]
        subjects.append(received[0]["Subject"])
    assert subjects[0] == subjects[1] != subjects[2], "two seats, the third on the waiting list"
