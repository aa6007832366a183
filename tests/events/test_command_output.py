"""The events commands count in Dutch words: "1 overzicht", "2 overzichten" (ngettext)."""

import io

from django.core.management import call_command

from bouwplaats.events.models import Registration
from tests.factories import RegistrationFactory, SessionFactory, UserFactory


def _output(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


def test_host_digests_count_one_and_many(programme):
    assert _output("send_host_digests") == "0 overzichten gemaild."
    session = SessionFactory(programme=programme, host=UserFactory(host_notices="digest"))
    RegistrationFactory(session=session, status="pending")
    assert _output("send_host_digests") == "1 overzicht gemaild."
    Registration.objects.all().delete()  # nothing waits for the first host any more
    for _ in range(2):
        other = SessionFactory(programme=programme, host=UserFactory(host_notices="digest"))
        RegistrationFactory(session=other, status="pending")
    assert _output("send_host_digests") == "2 overzichten gemaild."


def test_registration_mails_count_one_and_many(programme):
    assert _output("send_registration_mails") == "Aanmeldberichten verstuurd voor 0 sessies."
    first = SessionFactory(programme=programme)
    RegistrationFactory(session=first, mail_due="confirmed")
    assert _output("send_registration_mails") == "Aanmeldberichten verstuurd voor 1 sessie."
    Registration.objects.all().delete()
    for _ in range(2):
        RegistrationFactory(session=SessionFactory(programme=programme), mail_due="confirmed")
    assert _output("send_registration_mails") == "Aanmeldberichten verstuurd voor 2 sessies."
