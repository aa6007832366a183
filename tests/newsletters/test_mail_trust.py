"""Mail that always goes out, to the right person only (issue 11 §3) for newsletters."""

import email
import email.policy
import re
import unicodedata
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction

from bouwplaats.newsletters import avg, delivery, services, tasks
from bouwplaats.newsletters.models import Delivery, Issue, Subscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COOPERATIE = "bestuur@coöperatie-ede.nl"
COOPERATIE_ASCII = "bestuur@xn--coperatie-ede-jmb.nl"
INJECTION = "Kees\r\nReply-To: boef@example.com"


def _parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def _subscribe_page(client, newsletter_list, address, name=""):
    prefix = f"list{newsletter_list.pk}"
    return client.post(
        f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
        {f"{prefix}-email": address, f"{prefix}-name": name},
    )


def _subscribe_api(api, newsletter_list, address, user=None):
    return api(user).post(
        f"/newsletters/lists/{newsletter_list.pk}/subscribers", {"email": address}
    )


@pytest.fixture
def draft(newsletter_list, team_member):
    return services.issue_create(
        newsletter_list=newsletter_list, user=team_member, subject="Nieuwsflits december"
    )


# One bad row never stops a batch ---------------------------------------------------------


def test_real_smtp_idn_subscriber_among_plain_ones_each_get_exactly_one_copy(
    smtp_settings, draft, confirmed, team_member, django_capture_on_commit_callbacks
):
    """Acceptance: the IDN one receives at its punycode address; nobody twice, nobody skipped."""
    handler = smtp_settings
    plain = [f"lezer{n}@example.nl" for n in range(5)]
    for address in plain[:2]:
        confirmed(address, "Lezer")
    confirmed(COOPERATIE, "Coöperatie Ede")
    for address in plain[2:]:
        confirmed(address)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)

    received = Counter(rcpt[0] for rcpt, _data in handler.messages)
    assert received == Counter(dict.fromkeys([*plain, COOPERATIE_ASCII], 1))
    idn = next(_parse(data) for rcpt, data in handler.messages if rcpt == [COOPERATIE_ASCII])
    assert idn["To"].addresses[0].addr_spec == COOPERATIE_ASCII
    assert idn["To"].addresses[0].display_name == "Coöperatie Ede"
    draft.refresh_from_db()
    assert (draft.status, draft.sent_count, draft.failed_count) == ("sent", 6, 0)


def test_an_unsendable_row_fails_alone_with_its_reason_and_resume_finishes_the_issue(
    smtp_settings, draft, confirmed, team_member, django_capture_on_commit_callbacks
):
    handler = smtp_settings
    for n in range(3):
        confirmed(f"voor{n}@example.nl")
    bad = confirmed("kapot@example.nl")
    # A row from before the validators (no IDNA form exists for this domain).
    Subscription.objects.filter(pk=bad.pk).update(email="kapot@co☃.nl")
    for n in range(3):
        confirmed(f"na{n}@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)
    failed = Delivery.objects.get(subscription=bad)
    assert failed.status == "failed" and "IDNA" in failed.last_error
    assert len(handler.messages) == 6
    draft.refresh_from_db()
    assert (draft.status, draft.sent_count, draft.failed_count) == ("sent", 6, 1)


def test_resume_hervatten_with_an_idn_row_left_pending_sends_it(
    smtp_settings, draft, confirmed, team_member
):
    """The crash on "hervatten": the resumed run reaches the IDN row and sends it."""
    handler = smtp_settings
    confirmed("eerst@example.nl")
    confirmed(COOPERATIE)
    services.issue_send(issue=draft, user=team_member)  # not delivered: on_commit not run
    draft.refresh_from_db()
    services.issue_resume(issue=draft, user=team_member)
    delivery.issue_deliver(draft.pk)
    assert sorted(rcpt[0] for rcpt, _data in handler.messages) == [
        COOPERATIE_ASCII,
        "eerst@example.nl",
    ]


def test_a_message_that_cannot_be_built_for_one_subscriber_fails_only_that_one(
    draft, confirmed, team_member, monkeypatch, django_capture_on_commit_callbacks
):
    confirmed("a@example.nl", "Anna")
    confirmed("b@example.nl", "Bram")
    original = delivery.rendering.issue_message

    def fragile(rendered, **kwargs):
        if kwargs["name"] == "Anna":
            raise UnicodeEncodeError("ascii", "x", 0, 1, "kapot")
        return original(rendered, **kwargs)

    monkeypatch.setattr(delivery.rendering, "issue_message", fragile)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)
    assert [m.to for m in mail.outbox] == [["Bram <b@example.nl>"]]
    anna = Delivery.objects.get(subscription__email="a@example.nl")
    assert anna.status == "failed" and "kapot" in anna.last_error
    draft.refresh_from_db()
    assert draft.status == "sent"


# Names never reach headers raw -----------------------------------------------------------


def test_a_line_break_in_a_subscribers_name_adds_no_header_over_smtp(
    smtp_settings, draft, confirmed, team_member, django_capture_on_commit_callbacks
):
    handler = smtp_settings
    kees = confirmed("kees@example.nl")
    # Stored before the validators refused control characters.
    Subscription.objects.filter(pk=kees.pk).update(name=INJECTION)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)
    ((rcpt, data),) = handler.messages
    message = _parse(data)
    assert rcpt == ["kees@example.nl"]
    # One Reply-To, the issue's writer (issue 15 §10); the name added none.
    assert [a.addr_spec for a in message["Reply-To"].addresses] == [team_member.email]
    assert message["To"].addresses[0].addr_spec == "kees@example.nl"
    assert len(re.findall(rb"^Reply-To:", data, re.MULTILINE | re.IGNORECASE)) == 1


def test_a_line_break_in_a_name_adds_no_header_through_the_reference_build(
    draft, confirmed, team_member, django_capture_on_commit_callbacks
):
    kees = confirmed("kees@example.nl")
    Subscription.objects.filter(pk=kees.pk).update(name=INJECTION)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)
    (sent,) = mail.outbox
    message = _parse(sent.message().as_bytes())
    assert [a.addr_spec for a in message["Reply-To"].addresses] == [team_member.email]
    assert sent.reply_to == [f"{team_member.display_name} <{team_member.email}>"]
    assert message["To"].addresses[0].addr_spec == "kees@example.nl"


def test_the_test_mail_and_the_confirmation_mail_take_no_header_from_a_name(
    draft, team_member, newsletter_list, django_capture_on_commit_callbacks
):
    type(team_member).objects.filter(pk=team_member.pk).update(full_name=INJECTION)
    team_member.refresh_from_db()
    services.issue_send_test(issue=draft, user=team_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_start(
            newsletter_list=newsletter_list, email="nieuw@example.nl", name="Nieuw", source="t"
        )
    Subscription.objects.filter(email="nieuw@example.nl").update(
        name=INJECTION, confirmation_sent_at=None
    )
    tasks.subscription_confirmation_send.call(Subscription.objects.get().pk)
    assert len(mail.outbox) == 3
    for sent in mail.outbox:
        message = _parse(sent.message().as_bytes())
        # At most the writer's own address as Reply-To: a name never adds an address.
        reply_to = message["Reply-To"].addresses if message["Reply-To"] else ()
        assert [a.addr_spec for a in reply_to] in ([], [team_member.email]), sent.subject
        assert len(message["To"].addresses) == 1


def test_the_form_and_the_api_refuse_a_name_with_a_line_break(
    client, api, newsletter_list, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _subscribe_page(client, newsletter_list, "kees@example.nl", INJECTION)
        response = api().post(
            f"/newsletters/lists/{newsletter_list.pk}/subscribers",
            {"email": "kees@example.nl", "name": INJECTION},
        )
    assert page.status_code == 400
    assert response.status_code == 422 and response.json()["code"] == "name"
    assert not Subscription.objects.exists() and mail.outbox == []


# One mailbox, one subscription -----------------------------------------------------------

VARIANTS = [
    "Bestuur@Coöperatie-Ede.nl",
    "bestuur@coöperatie-ede.nl",
    unicodedata.normalize("NFD", "BESTUUR@COÖPERATIE-EDE.NL"),
    "bestuur@XN--COPERATIE-EDE-JMB.NL",
]


def test_case_and_unicode_variants_are_one_subscription_via_page_and_api(
    client, api, newsletter_list
):
    for n, variant in enumerate(VARIANTS):
        if n % 2:
            assert _subscribe_api(api, newsletter_list, variant).status_code == 202
        else:
            assert _subscribe_page(client, newsletter_list, variant).status_code == 200
    (subscription,) = Subscription.objects.all()
    assert subscription.email == "Bestuur@coöperatie-ede.nl"
    assert unicodedata.is_normalized("NFC", subscription.email)
    assert subscription.email_key == "bestuur@xn--coperatie-ede-jmb.nl"


def test_the_database_refuses_a_second_row_for_one_mailbox(newsletter_list, confirmed):
    confirmed("anna@example.nl")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(newsletter_list=newsletter_list, email="ANNA@Example.NL")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.bulk_create(
            [Subscription(newsletter_list=newsletter_list, email="Anna@EXAMPLE.nl")]
        )


def test_a_confirmed_variant_gets_no_second_delivery(
    draft, confirmed, team_member, client, newsletter_list, django_capture_on_commit_callbacks
):
    confirmed("anna@example.nl")
    _subscribe_page(client, newsletter_list, "ANNA@example.NL")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft, user=team_member)
    assert len(mail.outbox) == 1


# Own verified addresses directly, any other by double opt-in ------------------------------


def test_a_member_subscribing_someone_elses_address_gets_double_opt_in_and_cannot_confirm_it(
    client, member, newsletter_list, django_capture_on_commit_callbacks
):
    """The case from the audit: subscribed someone else's address, confirmed it herself on
    "Mijn nieuwsbrieven", and that consent record showed in her AVG export."""
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe_page(client, newsletter_list, "buurman@example.nl", "Buurman")
    other = Subscription.objects.get(email="buurman@example.nl")
    assert (other.status, other.member) == ("pending", None)
    assert [m.to for m in mail.outbox] == [["Buurman <buurman@example.nl>"]]

    page = client.get("/nieuwsflits/mijn/").content.decode()
    assert "buurman@example.nl" not in page and "Niet aangemeld" in page
    client.post("/nieuwsflits/mijn/", {"list": newsletter_list.pk, "action": "subscribe"})
    other.refresh_from_db()
    assert other.status == "pending"
    own = Subscription.objects.get(email=member.email)
    assert own.status == "confirmed" and own.member == member

    exported = avg.export(user=member)["nieuwsbrieven"]
    assert [row["email"] for row in exported] == [member.email]
    avg.forget(user=member)
    other.refresh_from_db()
    assert other.status == "pending"


def test_someone_elses_address_through_the_api_is_double_opt_in_too(
    api, member, newsletter_list, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe_api(api, newsletter_list, "buurvrouw@example.nl", member)
    assert response.status_code == 202 and "bevestigen" in response.json()["detail"]
    assert Subscription.objects.get().status == "pending"
    assert len(mail.outbox) == 1


def test_own_verified_address_in_the_form_or_api_is_subscribed_at_once(
    client, api, member, other_member, newsletter_list, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        page = _subscribe_page(client, newsletter_list, member.email.upper())
        response = _subscribe_api(api, newsletter_list, other_member.email, other_member)
    assert "U bent geabonneerd" in page.content.decode()
    assert response.status_code == 202 and "geabonneerd" in response.json()["detail"]
    assert set(Subscription.objects.values_list("email", "status", "member")) == {
        (member.email, "confirmed", member.pk),
        (other_member.email, "confirmed", other_member.pk),
    }
    assert mail.outbox == []


def test_a_second_verified_address_is_own_an_unverified_one_is_not(
    client, member, newsletter_list, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=member, email="werk@example.nl", verified=True)
    EmailAddress.objects.create(user=member, email="oud@example.nl", verified=False)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe_page(client, newsletter_list, "werk@example.nl")
        _subscribe_page(client, newsletter_list, "oud@example.nl")
    statuses = dict(Subscription.objects.values_list("email", "status"))
    assert statuses == {"werk@example.nl": "confirmed", "oud@example.nl": "pending"}
    assert [m.to for m in mail.outbox] == [["oud@example.nl"]]
    assert [row["email"] for row in avg.export(user=member)["nieuwsbrieven"]] == ["werk@example.nl"]


def test_mijn_nieuwsbrieven_refuses_an_unverified_account_address(client, newsletter_list):
    unverified = UserFactory(email="onbevestigd@example.nl")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    client.force_login(unverified)
    response = client.post(
        "/nieuwsflits/mijn/", {"list": newsletter_list.pk, "action": "subscribe"}, follow=True
    )
    assert "Bevestig eerst uw e-mailadres" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_confirmation_link_from_before_normalisation_still_confirms(
    client, newsletter_list, confirmed
):
    from bouwplaats.newsletters import mails

    subscription = Subscription.objects.create(
        newsletter_list=newsletter_list, email="Piet@example.nl"
    )
    token = mails.confirm_token(subscription).replace("Piet@", "PIET@", 1)
    # Altered after signing: refused.
    assert client.post(f"/nieuwsflits/bevestigen/{token}/").status_code == 400
    good = mails.confirm_token(subscription)
    assert client.post(f"/nieuwsflits/bevestigen/{good}/").status_code == 200


def test_the_list_teams_view_and_own_view_follow_verified_addresses(
    member, newsletter_list, confirmed
):
    from bouwplaats.newsletters import permissions

    mine = confirmed(member.email.upper())
    theirs = confirmed("ander@example.nl")
    Subscription.objects.filter(pk=theirs.pk).update(member=member)
    visible = set(permissions.subscriptions_visible_to(member).values_list("pk", flat=True))
    assert visible == {mine.pk}


# Subscribing answers in the same time for known and unknown addresses ---------------------


@pytest.mark.parametrize("channel", ["page", "api"])
def test_subscribing_answers_alike_for_every_state_and_sends_nothing_in_the_request(
    client, api, settings, newsletter_list, confirmed, channel, django_capture_on_commit_callbacks
):
    # No mail in the request (mail.outbox stays empty), so no answer waits for a mail server
    # and known and unknown addresses cannot be told apart by time.
    confirmed("bevestigd@example.nl")
    Subscription.objects.create(newsletter_list=newsletter_list, email="wacht@example.nl")
    Subscription.objects.create(
        newsletter_list=newsletter_list, email="weg@example.nl", status="unsubscribed"
    )
    answers, queued = [], []
    for address in ("bevestigd@example.nl", "wacht@example.nl", "weg@example.nl", "nieuw@x.nl"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            if channel == "page":
                response = _subscribe_page(client, newsletter_list, address)
                body = re.sub(r'value="[^"]+"', "", response.content.decode())
            else:
                response = _subscribe_api(api, newsletter_list, address)
                body = response.json()
        answers.append((response.status_code, body))
        queued.append(len(callbacks))
    assert all(answer == answers[0] for answer in answers)
    assert queued == [1, 1, 1, 1]
    assert mail.outbox == []


def test_the_queued_task_mails_only_who_still_waits(newsletter_list, confirmed):
    done = confirmed("bevestigd@example.nl")
    waiting = Subscription.objects.create(newsletter_list=newsletter_list, email="wacht@example.nl")
    tasks.subscription_confirmation_send.call(done.pk)
    tasks.subscription_confirmation_send.call(waiting.pk)
    tasks.subscription_confirmation_send.call(waiting.pk)  # within ten minutes: no second
    assert [m.to for m in mail.outbox] == [["wacht@example.nl"]]


# A send resumes by itself ----------------------------------------------------------------


def test_the_delivery_task_queues_a_watchdog_for_after_the_lease(
    settings, draft, confirmed, team_member
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.NEWSLETTER_WORKER_LEASE = 60
    from django_tasks import default_task_backend

    confirmed("a@example.nl")
    services.issue_send(issue=draft, user=team_member)
    # Another worker holds a live lease: this run only watches it.
    Issue.objects.filter(pk=draft.pk).update(
        worker="elders:1:x", worker_seen_at=delivery.timezone.now()
    )
    default_task_backend.clear()
    tasks.issue_deliver.call(draft.pk)
    (watchdog,) = default_task_backend.results
    assert watchdog.args == [draft.pk]
    wait = (watchdog.task.run_after - delivery.timezone.now()).total_seconds()
    assert 55 < wait < 62
    assert mail.outbox == []

    # That worker died (its lease ran out): the watchdog's run takes over and finishes.
    Issue.objects.filter(pk=draft.pk).update(
        worker_seen_at=delivery.timezone.now() - delivery.datetime.timedelta(seconds=61)
    )
    tasks.issue_deliver.call(draft.pk)
    draft.refresh_from_db()
    assert draft.status == "sent" and len(mail.outbox) == 1
    # Its own watchdog then finds the issue sent and does nothing.
    tasks.issue_deliver.call(draft.pk)
    assert len(mail.outbox) == 1


def test_a_dead_local_worker_is_taken_over_before_its_lease_ends(draft, confirmed, team_member):
    import socket

    confirmed("a@example.nl")
    services.issue_send(issue=draft, user=team_member)
    Issue.objects.filter(pk=draft.pk).update(
        worker=f"{socket.gethostname()}:999999999:dood", worker_seen_at=delivery.timezone.now()
    )
    delivery.issue_deliver(draft.pk)
    draft.refresh_from_db()
    assert draft.status == "sent"
