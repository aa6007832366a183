"""Issue 15 §4: the people who must act are told (hosts, the programme team, organisers)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.events import mails, outbox, services
from bouwplaats.events.models import Session
from tests.factories import MembershipFactory, RegistrationFactory, SessionFactory, UserFactory


def _to(message):
    return [address.rsplit("<", 1)[-1].rstrip(">") for address in message.to]


def test_host_gets_a_mail_for_a_registration_awaiting_approval(programme):
    host = UserFactory(full_name="Jaco Pieper", email="jaco@example.nl")
    session = SessionFactory(programme=programme, host=host, requires_approval=True)
    esther = UserFactory(full_name="Esther de Lange", function="Programmamanager")
    services.registration_create(session=session, member=esther)
    # What the registration owes is sent by the outbox (its task, or the watchdog).
    outbox.send_due_mails(session.pk)
    to_host = [m for m in mail.outbox if _to(m) == ["jaco@example.nl"]]
    assert len(to_host) == 1
    assert to_host[0].subject == f"[Bouwplaats] Aanmelding wacht op uw beoordeling: {session.title}"
    assert "Esther de Lange, Programmamanager" in to_host[0].body
    assert f"/sessies/{session.pk}/beheer/" in to_host[0].body
    # The member gets their own mail as before.
    assert [m for m in mail.outbox if _to(m) == [esther.email]]


def test_host_gets_a_mail_for_a_cancellation_and_a_co_host_on_digest_does_not(programme):
    host = UserFactory(email="jaco@example.nl")
    co_host = UserFactory(email="co@example.nl", host_notices="digest")
    session = SessionFactory(programme=programme, host=host)
    session.co_hosts.add(co_host)
    registration = RegistrationFactory(session=session)
    services.registration_cancel(registration=registration, actor=registration.member)
    outbox.send_due_mails(session.pk)
    subjects = {tuple(_to(m)): m.subject for m in mail.outbox}
    assert subjects[("jaco@example.nl",)] == f"[Bouwplaats] Afmelding: {session.title}"
    assert ("co@example.nl",) not in subjects


def test_no_host_mail_for_a_confirmed_registration(programme):
    session = SessionFactory(programme=programme, host=UserFactory(email="jaco@example.nl"))
    services.registration_create(session=session, member=UserFactory())
    outbox.send_due_mails(session.pk)
    assert len(mail.outbox) == 1
    assert all(_to(m) != ["jaco@example.nl"] for m in mail.outbox)


def test_daily_digest_lists_pending_and_cancellations_only_for_hosts_who_chose_it(programme):
    digest_host = UserFactory(email="digest@example.nl", host_notices="digest")
    mail_host = UserFactory(email="mail@example.nl")
    session = SessionFactory(programme=programme, host=digest_host, requires_approval=True)
    SessionFactory(programme=programme, host=mail_host, requires_approval=True)
    RegistrationFactory(
        session=session, status="pending", member=UserFactory(full_name="Anna Wacht")
    )
    RegistrationFactory(
        session=session, status="cancelled", member=UserFactory(full_name="Bram Weg")
    )
    assert mails.send_host_digests() == 1
    (message,) = mail.outbox
    assert _to(message) == ["digest@example.nl"]
    assert message.subject == "[Bouwplaats] Dagoverzicht van uw sessies"
    assert "wacht op uw beoordeling: Anna Wacht" in message.body
    assert "afgemeld: Bram Weg" in message.body
    digest_host.refresh_from_db()
    assert digest_host.host_digest_sent_at is not None
    # The cancellation was told; the next day only what still waits comes back.
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=1)
    assert mails.send_host_digests(now=later) == 1
    assert "Bram Weg" not in mail.outbox[0].body and "Anna Wacht" in mail.outbox[0].body


def test_digest_sends_nothing_when_nothing_waits(programme):
    SessionFactory(programme=programme, host=UserFactory(host_notices="digest"))
    assert mails.send_host_digests() == 0
    assert mail.outbox == []


def test_programme_team_hears_of_a_member_organised_session_and_a_facilitation_request(
    programme, team_member, member, django_capture_on_commit_callbacks
):
    start = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_create(
            actor=member, programme=programme, type="webinar", title="MIRT light",
            start=start, end=start + datetime.timedelta(hours=1), online=True,
        )  # fmt: skip
    (organised,) = mail.outbox
    assert _to(organised) == [team_member.email]
    assert organised.subject == "[Bouwplaats] Nieuwe sessie op eigen initiatief: MIRT light"
    assert "webinar „MIRT light”" in organised.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_request_facilitation(session=session, actor=member, note="Zaal nodig")
    (request,) = mail.outbox
    assert _to(request) == [team_member.email]
    assert request.subject == "[Bouwplaats] Facilitering gevraagd: MIRT light"
    assert "Vraag: Zaal nodig" in request.body


def test_a_session_created_by_the_team_tells_nobody(
    programme, team_member, django_capture_on_commit_callbacks
):
    start = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_create(
            actor=team_member, programme=programme, type="webinar", title="Team",
            start=start, end=start + datetime.timedelta(hours=1), online=True,
        )  # fmt: skip
    assert mail.outbox == []


def test_organiser_is_told_when_the_team_publishes(
    programme, team_member, member, django_capture_on_commit_callbacks
):
    session = SessionFactory(programme=programme, host=member, status=Session.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_publish(session=session, actor=team_member)
    (message,) = mail.outbox
    assert _to(message) == [member.email]
    assert message.subject == f"[Bouwplaats] Gepubliceerd: {session.title}"
    assert message.reply_to and team_member.email in message.reply_to[0]


def test_sent_back_mail_answers_to_the_programme_team(
    programme, team_member, member, django_capture_on_commit_callbacks
):
    session = SessionFactory(
        programme=programme, host=member, status=Session.Status.DRAFT, facilitation="requested"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_send_back(session=session, actor=team_member, comment="Graag een doel.")
    (message,) = mail.outbox
    assert _to(message) == [member.email]
    assert team_member.email in message.reply_to[0]


def test_host_message_comes_from_the_host_via_the_programme_and_answers_reach_the_host(
    programme, django_capture_on_commit_callbacks
):
    host = UserFactory(full_name="Jaco Pieper", email="jaco@example.nl")
    session = SessionFactory(programme=programme, host=host)
    RegistrationFactory(session=session, member=UserFactory(email="deelnemer@example.nl"))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_message_participants(
            session=session, actor=host, subject="Koffie", body="Neem uw koffertje mee."
        )
    (message,) = mail.outbox
    assert message.from_email == "Jaco Pieper via Beter Benutten <noreply@bouwplaats.nl>"
    assert message.reply_to == ["Jaco Pieper <jaco@example.nl>"]
    assert "noreply" not in message.reply_to[0]


def test_the_team_assigns_a_facilitator_and_answers_then_publishes(
    client, programme, team_member, member, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(programme=programme, user=UserFactory(full_name="Fien Faci")).user
    session = SessionFactory(
        programme=programme, host=member, status=Session.Status.DRAFT, facilitation="requested"
    )
    client.force_login(team_member)
    queue = client.get(reverse("events:queue")).content.decode()
    assert f"Faciliteer „{session.title}”" in queue
    assert f"Publiceer „{session.title}” zonder facilitering" in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:facilitation_accept", args=[session.pk]),
            {
                f"f{session.pk}-facilitator": colleague.pk,
                f"f{session.pk}-answer": "Wij regelen de zaal.",
            },
        )
    session.refresh_from_db()
    assert (session.facilitation, session.facilitator, session.status) == (
        "accepted",
        colleague,
        "draft",
    )
    (message,) = mail.outbox
    assert _to(message) == [member.email]
    assert message.subject == f"[Bouwplaats] Facilitering toegezegd: {session.title}"
    assert "Facilitator: Fien Faci" in message.body and "Wij regelen de zaal." in message.body
    # Still in the queue, now to be published; the host sees the answer on the manage page.
    assert f"Publiceer „{session.title}”" in client.get(reverse("events:queue")).content.decode()
    client.force_login(member)
    manage = client.get(reverse("events:manage", args=[session.pk])).content.decode()
    assert "Facilitator: Fien Faci" in manage
    services.session_publish(session=session, actor=team_member)
    session.refresh_from_db()
    assert session.facilitation == "accepted"


def test_facilitation_answer_refusals_store_nothing(programme, team_member, member):
    session = SessionFactory(
        programme=programme, host=member, status=Session.Status.DRAFT, facilitation="requested"
    )
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        services.session_facilitation_accept(
            session=session, actor=member, facilitator=team_member, answer="Ja"
        )
    with pytest.raises(InvalidInput) as refused:
        services.session_facilitation_accept(
            session=session, actor=team_member, facilitator=outsider, answer="x" * 2001
        )
    assert set(refused.value.errors) == {"facilitator", "answer"}
    with pytest.raises(InvalidInput) as refused:
        services.session_facilitation_accept(
            session=session, actor=team_member, facilitator=team_member, answer="ja\x00"
        )
    assert set(refused.value.errors) == {"answer"}
    session.refresh_from_db()
    assert (session.facilitation, session.facilitator) == ("requested", None)


def test_publish_without_facilitation_from_the_queue(client, programme, team_member, member):
    session = SessionFactory(
        programme=programme, host=member, status=Session.Status.DRAFT, facilitation="requested"
    )
    client.force_login(team_member)
    client.post(reverse("events:publish", args=[session.pk]), {"from": "queue"})
    session.refresh_from_db()
    assert (session.status, session.facilitation) == ("published", "without")


def test_the_daily_command_sends_the_overviews(programme):
    from django.core.management import call_command

    session = SessionFactory(programme=programme, host=UserFactory(host_notices="digest"))
    RegistrationFactory(session=session, status="pending")
    call_command("send_host_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_a_host_who_cancels_someones_registration_is_not_told_but_the_other_hosts_are(
    programme,
):
    host = UserFactory(email="jaco@example.nl")
    co_host = UserFactory(email="co@example.nl")
    session = SessionFactory(programme=programme, host=host)
    session.co_hosts.add(co_host)
    registration = RegistrationFactory(session=session)
    services.registration_cancel(registration=registration, actor=host)
    outbox.send_due_mails(session.pk)
    subjects = {tuple(_to(m)): m.subject for m in mail.outbox}
    assert ("jaco@example.nl",) not in subjects
    assert subjects[("co@example.nl",)] == f"[Bouwplaats] Afmelding: {session.title}"
    # The participant still gets their own mail.
    assert (registration.member.email,) in subjects
    registration.refresh_from_db()
    assert registration.changed_by == host


def test_the_daily_overview_leaves_out_the_hosts_own_cancellation(programme, team_member):
    host = UserFactory(email="digest@example.nl", host_notices="digest")
    co_host = UserFactory(email="co@example.nl", host_notices="digest")
    session = SessionFactory(programme=programme, host=host)
    session.co_hosts.add(co_host)
    by_host = RegistrationFactory(session=session, member=UserFactory(full_name="Anna Weg"))
    by_team = RegistrationFactory(session=session, member=UserFactory(full_name="Bram Weg"))
    services.registration_cancel(registration=by_host, actor=host)
    services.registration_cancel(registration=by_team, actor=team_member)
    mail.outbox.clear()
    assert mails.send_host_digests() == 2
    bodies = {tuple(_to(m)): m.body for m in mail.outbox}
    assert "Anna Weg" not in bodies[("digest@example.nl",)]
    assert "afgemeld: Bram Weg" in bodies[("digest@example.nl",)]
    assert "afgemeld: Anna Weg" in bodies[("co@example.nl",)]
    assert "afgemeld: Bram Weg" in bodies[("co@example.nl",)]
