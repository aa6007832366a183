"""Session mails come from core.mail: member text adds no header; a bad address fails alone."""

from django.core import mail

from bouwplaats.events import mails, services
from bouwplaats.events.models import Registration
from tests.factories import RegistrationFactory, UserFactory

INJECTED = "Jan\r\nReply-To: phish@evil.example\r\nBcc: all@evil.example"


def _headers(message) -> str:
    return message.message().as_string().split("\n\n", 1)[0]


def test_registration_change_and_cancel_mails_carry_no_injected_header(session, run_on_commit):
    member = UserFactory(full_name=INJECTED)
    services.registration_create(session=session, member=member)
    session.refresh_from_db()
    services.session_update(session=session, actor=session.host, location="Zaal 2")
    services.session_cancel(session=session, actor=session.host, reason="Zaal vervallen")
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        headers = _headers(message)
        assert "Reply-To" not in headers and "Bcc" not in headers and "evil.example" not in headers
        assert message.to == [member.email]


def test_one_unsendable_address_does_not_stop_the_others(session, run_on_commit):
    good = RegistrationFactory(session=session, status=Registration.Status.CONFIRMED)
    bad_member = UserFactory(email="bestuur@coöperatie-.nl")
    RegistrationFactory(session=session, member=bad_member, status=Registration.Status.CONFIRMED)
    later = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    mails.send_participants_message(session.pk, "Koffie", "Neem uw koffertje mee.")
    mails.send_cancellation_mail(session.pk)
    # Addresses only: the participant message names its recipient ("Naam <adres>").
    recipients = [m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mail.outbox]
    assert recipients.count(good.member.email) == 2
    assert recipients.count(later.member.email) == 1
    assert bad_member.email not in recipients
