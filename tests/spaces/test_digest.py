import datetime
import io
from email.utils import getaddresses

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.errors import NotAllowed
from bouwplaats.spaces import avg, services
from bouwplaats.spaces.digest import digest_send_all
from bouwplaats.spaces.models import DigestSubscription

from .files import pdf_bytes


def later(hours=1):
    return timezone.now() + datetime.timedelta(hours=hours)


def test_participant_opts_in_on_the_page_and_gets_new_items(
    client, session, participant, host, upload
):
    client.force_login(participant)
    url = reverse("spaces:digest", kwargs={"session_pk": session.pk})
    response = client.post(url, {"subscribed": "1"}, follow=True)
    assert "U krijgt voortaan elke dag een mail" in response.content.decode()
    assert "Geen dagelijkse mail meer" in response.content.decode()
    services.comment_create(session=session, user=host, body="Nieuwe **vraag** voor jullie")
    services.comment_create(session=session, user=participant, body="Mijn eigen reactie")
    hidden = services.comment_create(session=session, user=host, body="Verborgen tekst")
    services.comment_hide(comment=hidden, user=host, reason="Dubbel")
    services.document_upload(session=session, user=host, upload=upload("Plan.pdf", pdf_bytes()))

    assert digest_send_all(now=later()) == 1
    message = mail.outbox[0]
    assert [addr for _name, addr in getaddresses(message.to)] == [participant.email]
    assert session.title in message.subject
    assert "Nieuwe **vraag** voor jullie" in message.body
    assert "Plan.pdf" in message.body
    assert "Mijn eigen reactie" not in message.body
    assert "Verborgen tekst" not in message.body
    assert "<strong>vraag</strong>" in message.alternatives[0][0]
    assert f"/sessieruimte/sessie/{session.pk}/" in message.body

    # Nothing new: no second mail, and the same items are never mailed twice.
    assert digest_send_all(now=later(2)) == 0
    assert len(mail.outbox) == 1

    client.post(url, {"subscribed": "0"})
    assert not DigestSubscription.objects.exists()


def test_member_without_registration_cannot_opt_in(session, member):
    with pytest.raises(NotAllowed):
        services.digest_subscription_set(session=session, user=member, subscribed=True)
    assert not DigestSubscription.objects.exists()


def test_cancelled_participant_gets_no_mail(session, participant, host):
    services.digest_subscription_set(session=session, user=participant, subscribed=True)
    session.registrations.filter(member=participant).update(status="cancelled")
    services.comment_create(session=session, user=host, body="Alleen voor deelnemers")
    out = io.StringIO()
    call_command("send_space_digests", stdout=out)
    assert out.getvalue().strip() == "0 overzichten gemaild."
    assert mail.outbox == []


def test_digest_in_avg(session, participant):
    services.digest_subscription_set(session=session, user=participant, subscribed=True)
    exported = avg.export(user=participant)["session_space"]["daily_mail_sessions"]
    assert exported == [{"session": session.title, "session_id": session.pk}]
    avg.forget(user=participant)
    assert not DigestSubscription.objects.exists()


def test_a_line_break_in_the_members_name_adds_no_header_and_idn_goes_out_in_punycode(
    session, participant, host
):
    """Issue 11 §3: the digest is built by core.mail like every other mail."""
    import email
    import email.policy

    type(participant).objects.filter(pk=participant.pk).update(
        full_name="Kees\r\nReply-To: boef@example.com", email="kees@coöperatie-ede.nl"
    )
    participant.refresh_from_db()
    services.digest_subscription_set(session=session, user=participant, subscribed=True)
    services.comment_create(session=session, user=host, body="Iets nieuws")
    assert digest_send_all(now=later()) == 1
    (sent,) = mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert parsed["Reply-To"] is None
    (address,) = parsed["To"].addresses
    assert address.addr_spec == "kees@xn--coperatie-ede-jmb.nl"
    assert "\n" not in address.display_name


def test_one_unsendable_address_does_not_stop_the_others_digest(session, participant, host):
    from tests.factories import RegistrationFactory, UserFactory

    other = UserFactory(email="ander@example.nl")
    RegistrationFactory(session=session, member=other)
    type(participant).objects.filter(pk=participant.pk).update(email="kapot@co☃.nl")
    participant.refresh_from_db()
    for person in (participant, other):
        services.digest_subscription_set(session=session, user=person, subscribed=True)
    services.comment_create(session=session, user=host, body="Iets nieuws")
    assert digest_send_all(now=later()) == 1
    assert [getaddresses(m.to)[0][1] for m in mail.outbox] == ["ander@example.nl"]
