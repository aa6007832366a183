"""Issue 15 §10 and §11 for the nieuwsflits: mail from a person, one greeting, teasers cut at
a word with start-end time, a readable text part; the screens show what will be sent."""

import datetime
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.errors import DomainError, InvalidInput
from bouwplaats.events.calendar import AMSTERDAM
from bouwplaats.newsletters import delivery, rendering, selectors, services
from bouwplaats.newsletters.models import Issue
from tests.factories import SessionFactory, UserFactory

INTRO = (
    "Beste lezer,\n\n"
    "Er staan nog een paar **online** sessies in de planning. Lees de "
    "[aankondiging](https://mirt.example.nl/nieuws).\n\n"
    "- Ede\n- Utrecht"
)


@pytest.fixture
def team_member(programme):
    from tests.factories import MembershipFactory

    user = UserFactory(full_name="Diana Kool", email="diana@example.nl")
    MembershipFactory(programme=programme, user=user, role="trekker")
    return user


@pytest.fixture
def issue(newsletter_list, team_member):
    return services.issue_create(
        newsletter_list=newsletter_list,
        user=team_member,
        subject="Nieuwsflits december",
        intro=INTRO,
        blocks=[{"title": "Koffertjes", "text": "Wat neemt u **mee**?"}],
        signature_name="Diana Kool",
        signature_role="Trekker Leerplatform MIRT",
    )


def _send(issue, team_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue, user=team_member)
    return mail.outbox


def test_from_is_the_programme_and_replies_reach_the_writer(
    issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl", "Anna")
    (message,) = _send(issue, team_member, django_capture_on_commit_callbacks)
    assert message.from_email == "Beter Benutten <noreply@bouwplaats.nl>"
    assert message.reply_to == ["Diana Kool <diana@example.nl>"]


def test_the_lists_own_sender_name_and_reply_address_win(
    issue, newsletter_list, team_member, confirmed, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    newsletter_list.sender_name = "Leerplatform MIRT"
    newsletter_list.reply_to = "programmateam@mirt.example.nl"
    newsletter_list.save()
    confirmed("anna@example.nl", "Anna")
    (message,) = _send(issue, team_member, django_capture_on_commit_callbacks)
    assert message.from_email == "Leerplatform MIRT <noreply@bouwplaats.nl>"
    assert message.reply_to == ["Leerplatform MIRT <programmateam@mirt.example.nl>"]


def test_smtp_build_carries_the_same_from_and_reply_to(
    smtp_settings, issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl", "Anna")
    _send(issue, team_member, django_capture_on_commit_callbacks)
    ((_rcpt, data),) = smtp_settings.messages
    message = message_from_bytes(data, policy=policy.default)
    assert message["From"].addresses[0].display_name == "Beter Benutten"
    assert [a.addr_spec for a in message["Reply-To"].addresses] == ["diana@example.nl"]


def test_one_greeting_the_personal_one_replaces_the_writers(
    issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl", "Anna de Vries")
    (message,) = _send(issue, team_member, django_capture_on_commit_callbacks)
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert part.count("Beste Anna de Vries,") == 1
        assert "Beste lezer" not in part


def test_text_part_is_readable_text_not_markdown(
    issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl", "Anna")
    (message,) = _send(issue, team_member, django_capture_on_commit_callbacks)
    body = message.body
    assert "**" not in body and "](" not in body
    assert "Er staan nog een paar online sessies" in body
    assert "aankondiging (https://mirt.example.nl/nieuws)" in body
    assert "- Ede\n- Utrecht" in body
    assert "Wat neemt u mee?" in body


def test_markdown_text_keeps_numbers_code_and_plain_links():
    text = rendering.markdown_text(
        "## Kop\n\n1. een\n2. twee\n\nZie https://x.nl en `code` en [https://y.nl](https://y.nl)."
    )
    assert text == "Kop\n\n1. een\n2. twee\n\nZie https://x.nl en code en https://y.nl."


def test_teaser_is_cut_at_a_word_and_shows_start_and_end_time(
    issue, programme, team_member, confirmed, django_capture_on_commit_callbacks
):
    start = (timezone.now() + datetime.timedelta(days=14)).astimezone(AMSTERDAM)
    start = start.replace(hour=13, minute=0, second=0, microsecond=0)
    long_intro = "Welke waardevolle lessen willen we verankeren " * 10
    SessionFactory(
        programme=programme,
        title="Door ná 2017",
        intro=long_intro,
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    confirmed("anna@example.nl", "Anna")
    (message,) = _send(issue, team_member, django_capture_on_commit_callbacks)
    (item,) = Issue.objects.get(pk=issue.pk).agenda
    line = item["line"]
    assert len(line) <= 160 and line.endswith("…")
    assert long_intro.startswith(line[:-1] + " ")
    assert rendering.when(start, start + datetime.timedelta(hours=3)) in message.body
    assert ", 13:00–16:00" in message.body


def test_one_line_never_cuts_a_word():
    assert selectors.one_line("kort") == "kort"
    assert selectors.one_line("woord " * 40, length=20) == "woord woord woord…"
    assert selectors.one_line("a" * 300, length=20) == "a" * 19 + "…"


def test_two_day_session_shows_both_days():
    start = datetime.datetime(2027, 6, 10, 9, 0, tzinfo=AMSTERDAM)
    end = datetime.datetime(2027, 6, 11, 17, 0, tzinfo=AMSTERDAM)
    assert (
        rendering.when(start, end) == "donderdag 10 juni 2027, 09:00 – vrijdag 11 juni 2027, 17:00"
    )


# §11: the screens show what will be sent -------------------------------------------------


def test_issue_page_shows_the_whole_issue_before_sending(
    client, issue, programme, team_member, confirmed
):
    SessionFactory(programme=programme, title="Door ná 2017")
    confirmed("anna@example.nl")
    client.force_login(team_member)
    page = client.get(reverse("newsletters:manage", args=[issue.pk])).content.decode()
    whole = page.split('id="hele-uitgave"')[1]
    assert "Er staan nog een paar <strong>online</strong> sessies" in whole
    assert "Beste lezer" not in whole and whole.count("Beste Diana Kool,") == 1
    assert "Koffertjes" in whole and "Trekker Leerplatform MIRT" in whole
    assert "Door ná 2017" in whole


def test_sending_asks_to_confirm_with_the_recipient_count(
    client, issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl")
    confirmed("bram@example.nl")
    client.force_login(team_member)
    url = reverse("newsletters:send", args=[issue.pk])
    page = client.get(url).content.decode()
    assert "De nieuwsflits gaat nu naar 2 bevestigde abonnees." in page
    assert "Ja, verzend naar 2 abonnees" in page
    client.post(url)  # without the confirmation: nothing happens
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"bevestigd": "1"})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and len(mail.outbox) == 2


def test_the_polled_progress_says_verzonden_by_itself(
    client, issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl")
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue, user=team_member)
    partial = client.get(reverse("newsletters:progress", args=[issue.pk])).content.decode()
    assert '<span class="bp-badge" id="issue-status">Verzonden</span>' in partial
    assert "hx-trigger" not in partial


def test_scheduled_issue_goes_out_by_itself_at_its_moment(
    client, issue, team_member, confirmed, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl")
    client.force_login(team_member)
    at = (timezone.now() + datetime.timedelta(days=2)).astimezone(AMSTERDAM)
    response = client.post(
        reverse("newsletters:schedule", args=[issue.pk]),
        {"date": at.date().isoformat(), "time": at.strftime("%H:%M")},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.scheduled_at == at.replace(second=0, microsecond=0)
    page = client.get(reverse("newsletters:manage", args=[issue.pk])).content.decode()
    assert "Gaat vanzelf uit op" in page
    # Before its moment nothing goes; at its moment it is sent.
    assert delivery.start_scheduled(issue.pk, now=timezone.now()) is False
    assert delivery.start_all_scheduled(now=at + datetime.timedelta(minutes=1)) == [issue.pk]
    delivery.issue_deliver(issue.pk)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and len(mail.outbox) == 1


def test_scheduling_refuses_the_past_a_sent_issue_and_others(issue, team_member):
    with pytest.raises(InvalidInput) as refused:
        services.issue_schedule(
            issue=issue, user=team_member, at=timezone.now() - datetime.timedelta(minutes=1)
        )
    assert set(refused.value.errors) == {"scheduled_at"}
    with pytest.raises(DomainError):
        services.issue_schedule(
            issue=issue, user=UserFactory(), at=timezone.now() + datetime.timedelta(days=1)
        )
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT)
    with pytest.raises(DomainError):
        services.issue_schedule(
            issue=issue, user=team_member, at=timezone.now() + datetime.timedelta(days=1)
        )
    issue.refresh_from_db()
    assert issue.scheduled_at is None


def test_a_withdrawn_schedule_sends_nothing(issue, team_member, confirmed):
    confirmed("anna@example.nl")
    at = timezone.now() + datetime.timedelta(hours=1)
    services.issue_schedule(issue=issue, user=team_member, at=at)
    services.issue_schedule(issue=issue, user=team_member, at=None)
    assert delivery.start_all_scheduled(now=at + datetime.timedelta(hours=1)) == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
