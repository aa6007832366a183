import datetime
import email
import email.policy
import os
import re
import socket
import subprocess
import sys
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from bouwplaats.core.errors import DomainError
from bouwplaats.newsletters import delivery, services
from bouwplaats.newsletters.models import Delivery, Issue, Subscription

pytestmark = pytest.mark.django_db


def _parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def _newsletters(handler, subject):
    return [
        (rcpt, _parse(data))
        for rcpt, data in handler.messages
        if _parse(data)["Subject"] == subject
    ]


def test_subscribe_confirm_send_receive_once_and_one_click_unsubscribe(
    client, smtp_settings, newsletter_list, team_member, django_capture_on_commit_callbacks
):
    handler = smtp_settings
    people = [("anna@example.nl", "Anna"), ("bram@example.nl", ""), ("chris@example.nl", "Chris")]
    prefix = f"list{newsletter_list.pk}"
    for address, name in people:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
                {f"{prefix}-email": address, f"{prefix}-name": name},
            )
        assert response.status_code == 200
    # The confirmation mails went over SMTP; each carries its own link.
    assert sorted(rcpt[0] for rcpt, _data in handler.messages) == [p[0] for p in people]
    for _rcpt, data in list(handler.messages):
        body = _parse(data).get_body(("plain",)).get_content()
        path = re.search(r"https://bouwplaats\.example\.nl(/nieuwsflits/bevestigen/\S+/)", body)
        assert client.get(path.group(1)).status_code == 200
        assert client.post(path.group(1)).status_code == 200
    assert Subscription.objects.filter(status="confirmed").count() == 3

    issue = services.issue_create(
        newsletter_list=newsletter_list,
        user=team_member,
        subject="Nieuwsflits oktober",
        intro="Er staan nog een paar online sessies in de planning.",
        signature_name="Diana Kool",
        signature_role="Trekker Leerplatform MIRT",
    )
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/nieuwsflits/uitgave/{issue.pk}/verzenden/", {"bevestigd": "1"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.total, issue.sent_count, issue.failed_count) == (3, 3, 0)

    received = _newsletters(handler, "Nieuwsflits oktober")
    assert Counter(rcpt[0] for rcpt, _m in received) == {p[0]: 1 for p in people}
    for rcpt, message in received:
        assert message.get_content_type() == "multipart/alternative"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert str(message["List-Unsubscribe"]).strip().startswith("<https://")
        assert message["List-Id"] and message["Message-ID"]
        name = dict(people)[rcpt[0]]
        greeting = f"Beste {name}," if name else "Beste lezer,"
        assert greeting in message.get_body(("plain",)).get_content()

    # One-click unsubscribe: POST to the header's URL, no session, no CSRF token.
    rcpt, message = next(m for m in received if m[0] == ["bram@example.nl"])
    url = str(message["List-Unsubscribe"]).strip()[1:-1]
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("https://bouwplaats.example.nl"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get(email="bram@example.nl").status == "unsubscribed"


@pytest.fixture
def draft(newsletter_list, team_member):
    return services.issue_create(
        newsletter_list=newsletter_list, user=team_member, subject="Nieuwsflits november"
    )


def test_permanent_refusal_fails_temporary_refusal_is_retried(
    smtp_settings, draft, confirmed, team_member, django_capture_on_commit_callbacks
):
    handler = smtp_settings
    handler.temporary_refusals = 2
    confirmed("goed@example.nl")
    confirmed("weiger@example.nl")
    confirmed("later@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)
    draft.refresh_from_db()
    assert draft.status == Issue.Status.SENT
    rows = {d.subscription.email: d for d in Delivery.objects.select_related("subscription")}
    assert rows["goed@example.nl"].status == "sent" and rows["goed@example.nl"].attempts == 1
    assert rows["weiger@example.nl"].status == "failed"
    assert "550" in rows["weiger@example.nl"].last_error
    assert rows["later@example.nl"].status == "sent" and rows["later@example.nl"].attempts == 3
    assert (draft.sent_count, draft.failed_count, draft.total) == (2, 1, 3)
    assert Counter(r[0] for r, _m in _newsletters(handler, "Nieuwsflits november")) == {
        "goed@example.nl": 1,
        "later@example.nl": 1,
    }


def test_temporary_refusals_give_up_after_the_maximum(
    settings, smtp_settings, draft, confirmed, team_member
):
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    smtp_settings.temporary_refusals = 10
    confirmed("later@example.nl")
    services.issue_send(issue=draft, user=team_member)
    delivery.issue_deliver(draft.pk, sleep=lambda seconds: None)
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == ("failed", 3)
    assert "451" in row.last_error


def test_sending_twice_is_refused_and_resending_skips_sent_rows(
    smtp_settings, draft, confirmed, team_member
):
    confirmed("een@example.nl")
    confirmed("twee@example.nl")
    services.issue_send(issue=draft, user=team_member)
    delivery.issue_deliver(draft.pk)
    with pytest.raises(DomainError):
        services.issue_send(issue=draft, user=team_member)
    Issue.objects.filter(pk=draft.pk).update(status=Issue.Status.SENDING)
    delivery.issue_deliver(draft.pk)
    assert len(_newsletters(smtp_settings, "Nieuwsflits november")) == 2
    assert Delivery.objects.count() == 2


def test_unsubscribed_while_sending_gets_nothing(smtp_settings, draft, confirmed, team_member):
    stays = confirmed("blijft@example.nl")
    leaves = confirmed("gaat@example.nl")
    services.issue_send(issue=draft, user=team_member)
    Subscription.objects.filter(pk=leaves.pk).update(status="unsubscribed")
    delivery.issue_deliver(draft.pk)
    received = _newsletters(smtp_settings, "Nieuwsflits november")
    assert [rcpt for rcpt, _m in received] == [[stays.email]]


def test_send_without_confirmed_subscribers_is_refused(draft, team_member, newsletter_list):
    Subscription.objects.create(newsletter_list=newsletter_list, email="wacht@example.nl")
    with pytest.raises(DomainError, match="geen bevestigde abonnees"):
        services.issue_send(issue=draft, user=team_member)
    assert not Delivery.objects.exists()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_only_the_programme_team_sends(draft, member, confirmed):
    confirmed("iemand@example.nl")
    with pytest.raises(DomainError):
        services.issue_send(issue=draft, user=member)
    assert not Delivery.objects.exists()


def test_empty_subject_is_refused_and_nothing_stored(newsletter_list, team_member):
    with pytest.raises(DomainError, match="onderwerp"):
        services.issue_create(newsletter_list=newsletter_list, user=team_member, subject="  ")
    assert not Issue.objects.exists()


def test_a_live_worker_keeps_the_issue_and_a_dead_one_is_taken_over(
    smtp_settings, draft, confirmed, team_member
):
    confirmed("een@example.nl")
    services.issue_send(issue=draft, user=team_member)
    host = socket.gethostname()
    now = draft.created_at.__class__.now(tz=draft.created_at.tzinfo)

    # Another process on this host that is alive holds the issue: nothing is sent.
    Issue.objects.filter(pk=draft.pk).update(
        worker=f"{host}:{os.getpid()}:ander", worker_seen_at=now
    )
    assert delivery.issue_deliver(draft.pk) is None
    assert _newsletters(smtp_settings, "Nieuwsflits november") == []

    # The holder died (SIGKILL leaves its name behind): the next worker takes over at once.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    Issue.objects.filter(pk=draft.pk).update(worker=f"{host}:{gone.pid}:dood", worker_seen_at=now)
    issue = delivery.issue_deliver(draft.pk)
    assert issue.status == Issue.Status.SENT and issue.worker == ""
    assert len(_newsletters(smtp_settings, "Nieuwsflits november")) == 1


def test_a_silent_worker_on_another_host_is_taken_over_after_the_lease(
    settings, smtp_settings, draft, confirmed, team_member
):
    confirmed("een@example.nl")
    services.issue_send(issue=draft, user=team_member)
    recent = timezone.now() - datetime.timedelta(seconds=10)
    Issue.objects.filter(pk=draft.pk).update(worker="elders:1:x", worker_seen_at=recent)
    assert delivery.issue_deliver(draft.pk) is None
    settings.NEWSLETTER_WORKER_LEASE = 5
    assert delivery.issue_deliver(draft.pk).status == Issue.Status.SENT


def test_subscribing_does_not_wait_for_the_mail_server_and_a_failed_link_is_sent_later(
    client, settings, smtp_settings, newsletter_list, django_capture_on_commit_callbacks
):
    """The request only queues the confirmation: a refusing or absent server changes nothing
    in the answer; the link whose mail failed goes out on the next request."""
    from .conftest import free_port

    handler = smtp_settings
    prefix = f"list{newsletter_list.pk}"
    path = f"/nieuwsflits/{newsletter_list.slug}/aanmelden/"
    up = settings.EMAIL_PORT
    with django_capture_on_commit_callbacks(execute=False) as queued:
        refused = client.post(path, {f"{prefix}-email": "weiger@example.nl"})
        settings.EMAIL_PORT = free_port()
        down = client.post(path, {f"{prefix}-email": "iemand@example.nl"})
    assert refused.status_code == down.status_code == 200
    strip = lambda r: re.sub(r'value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(refused) == strip(down)
    for callback in queued:  # the tasks run; the immediate backend records their failure
        callback()
    assert handler.messages == []
    assert set(Subscription.objects.values_list("confirmation_sent_at", flat=True)) == {None}
    settings.EMAIL_PORT = up
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {f"{prefix}-email": "iemand@example.nl"})
    assert [rcpt for rcpt, _data in handler.messages] == [["iemand@example.nl"]]


def test_a_dropped_connection_is_replaced_and_nobody_is_skipped(
    smtp_settings, draft, confirmed, team_member, monkeypatch
):
    for n in range(3):
        confirmed(f"lezer{n}@example.nl")
    services.issue_send(issue=draft, user=team_member)
    original = delivery.Sender.send
    calls = []

    def flaky(self, **kwargs):
        calls.append(kwargs["email_address"])
        if len(calls) == 2:
            # The line drops under the second message.
            self.backend.connection.sock.shutdown(socket.SHUT_RDWR)
        return original(self, **kwargs)

    monkeypatch.setattr(delivery.Sender, "send", flaky)
    issue = delivery.issue_deliver(draft.pk)
    assert issue.status == Issue.Status.SENT and issue.sent_count == 3
    received = Counter(r[0] for r, _m in _newsletters(smtp_settings, "Nieuwsflits november"))
    assert received == {f"lezer{n}@example.nl": 1 for n in range(3)}
    assert Delivery.objects.get(subscription__email="lezer1@example.nl").attempts == 2


def test_server_down_ends_the_run_and_a_resume_finishes(
    settings, smtp_settings, draft, confirmed, team_member
):
    from .conftest import free_port

    port = settings.EMAIL_PORT
    confirmed("een@example.nl")
    confirmed("twee@example.nl")
    services.issue_send(issue=draft, user=team_member)
    settings.EMAIL_PORT = free_port()
    with pytest.raises(ConnectionRefusedError):
        delivery.issue_deliver(draft.pk, sleep=lambda seconds: None)
    draft.refresh_from_db()
    assert draft.status == Issue.Status.SENDING and draft.worker == ""
    assert Delivery.objects.filter(status="pending").count() == 2

    settings.EMAIL_PORT = port
    assert delivery.issue_deliver(draft.pk).status == Issue.Status.SENT
    assert len(_newsletters(smtp_settings, "Nieuwsflits november")) == 2
