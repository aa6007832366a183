"""Co-hosts are invited and accept; the answer to an invitation never reveals an account."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bouwplaats.accounts.services import member_delete
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.events import services
from bouwplaats.events.models import CoHostInvitation, Session
from tests.factories import SessionFactory, UserFactory

from .test_views import form_data

pytestmark = pytest.mark.django_db
Status = CoHostInvitation.Status


@pytest.fixture
def draft(member, programme):
    return SessionFactory(programme=programme, host=member, status="draft")


def invite(session, email, actor=None):
    [invitation] = services.cohost_invite(
        session=session, actor=actor or session.host, emails=[email]
    )
    return invitation


def accept_url(invitation):
    return reverse("events:cohost_invitation_accept", kwargs={"token": invitation.token})


def decline_url(invitation):
    return reverse("events:cohost_invitation_decline", kwargs={"token": invitation.token})


# Enumeration: the same answer for a member's address and an unknown one.


def _edit_answer(client, session, email, django_capture_on_commit_callbacks):
    data = form_data(session.programme, cohost_emails=email)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:edit", args=[session.pk]), data, follow=True)
    assert response.status_code == 200
    # Everything that differs by nature (the address typed, ids, the CSRF token) is blanked.
    text = response.text.replace(email, "ADRES")
    text = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+\"", "", text)
    text = re.sub(r"/uitnodigingen/\d+/", "/uitnodigingen/N/", text)
    return re.sub(r"/sessies/\d+/", "/sessies/N/", text)


def test_answer_is_identical_for_member_and_unknown_address(
    client, member, other_member, programme, django_capture_on_commit_callbacks
):
    client.force_login(member)
    first = SessionFactory(programme=programme, host=member, status="draft", title="Sessie")
    second = SessionFactory(programme=programme, host=member, status="draft", title="Sessie")
    known = _edit_answer(client, first, other_member.email, django_capture_on_commit_callbacks)
    unknown = _edit_answer(client, second, "niemand@example.nl", django_capture_on_commit_callbacks)
    assert known == unknown
    assert "Uitnodiging verstuurd naar: ADRES" in known
    assert "Geen lid" not in known
    # Both got the same mail (apart from address, link and the greeting: only the invitee reads
    # it, so a verified account's name is used); neither became co-host.
    assert [m.to for m in mail.outbox] == [[other_member.email], ["niemand@example.nl"]]
    bodies = [
        re.sub(r"uitnodiging/[\w-]+/", "LINK", m.body.replace(m.to[0], "ADRES"))
        for m in mail.outbox
    ]
    bodies = [re.sub(r"/sessies/\d+/", "/sessies/N/", b.partition("\n")[2]) for b in bodies]
    assert bodies[0] == bodies[1]
    assert mail.outbox[0].subject == mail.outbox[1].subject
    assert not first.co_hosts.exists() and not second.co_hosts.exists()


def test_form_refuses_only_malformed_addresses_and_stores_nothing(client, member, programme):
    client.force_login(member)
    data = form_data(programme, cohost_emails="goed@example.nl\ngeen-adres")
    response = client.post(reverse("events:create"), data)
    assert response.status_code == 200
    assert "Dit is geen geldig e-mailadres: geen-adres" in response.text
    assert not Session.objects.exists() and not CoHostInvitation.objects.exists()


def test_service_refuses_too_many_and_malformed_naming_the_field(draft):
    with pytest.raises(InvalidInput) as error:
        services.cohost_invite(session=draft, actor=draft.host, emails=["a@b@c"])
    assert set(error.value.errors) == {"cohost_emails"}
    emails = [f"lid{n}@example.nl" for n in range(services.sessions.COHOST_INVITES_MAX + 1)]
    with pytest.raises(InvalidInput):
        services.cohost_invite(session=draft, actor=draft.host, emails=emails)
    assert not CoHostInvitation.objects.exists()


def test_an_open_invitation_is_not_sent_twice(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(draft, "Gast@Example.nl")
        assert (
            services.cohost_invite(session=draft, actor=draft.host, emails=["gast@example.nl"])
            == []
        )
    assert len(mail.outbox) == 1
    assert CoHostInvitation.objects.get().email == "gast@example.nl"


def test_only_managers_invite(draft, other_member):
    with pytest.raises(NotAllowed):
        services.cohost_invite(session=draft, actor=other_member, emails=["x@example.nl"])
    assert not CoHostInvitation.objects.exists()


# Consent: nobody is co-host before accepting.


def test_invited_member_manages_only_after_accepting(
    client, draft, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(draft, other_member.email)
    assert AuditEntry.objects.filter(action="events.cohost.invited").count() == 1
    assert not draft.can_manage(other_member)
    client.force_login(other_member)
    assert client.get(reverse("events:manage", args=[draft.pk])).status_code == 404

    # The mailed link opens the invitation page with an accept button.
    link = re.search(r"https?://\S+/uitnodiging/[\w-]+/", mail.outbox[0].body).group(0)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Aanvaarden" in page.text and draft.title in page.text

    response = client.post(accept_url(invitation), follow=True)
    assert response.status_code == 200
    assert "U organiseert nu mee" in response.text
    assert draft.can_manage(other_member)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.answered_by) == (Status.ACCEPTED, other_member)
    assert AuditEntry.objects.filter(action="events.cohost.accepted", actor=other_member).exists()


def test_another_member_cannot_accept_someone_elses_invitation(client, draft, other_member):
    invitation = invite(draft, "genodigde@example.nl")
    intruder = UserFactory()
    client.force_login(intruder)
    page = client.get(invitation.get_absolute_url())
    assert "Aanvaarden kan alleen met een account waarop" in page.text
    assert client.post(accept_url(invitation)).status_code == 403
    with pytest.raises(NotAllowed):
        services.cohost_invitation_accept(token=invitation.token, actor=intruder)
    invitation.refresh_from_db()
    assert invitation.status == Status.PENDING
    assert not draft.co_hosts.exists()


def test_an_unverified_address_does_not_count(draft):
    invitation = invite(draft, "tweede@example.nl")
    member = UserFactory()
    address = EmailAddress.objects.create(user=member, email="tweede@example.nl", verified=False)
    with pytest.raises(NotAllowed):
        services.cohost_invitation_accept(token=invitation.token, actor=member)
    address.verified = True
    address.save()
    services.cohost_invitation_accept(token=invitation.token, actor=member)
    assert draft.co_hosts.filter(pk=member.pk).exists()


def test_visitor_is_sent_to_log_in(client, draft):
    invitation = invite(draft, "gast@example.nl")
    page = client.get(invitation.get_absolute_url())
    assert "Maak een account" in page.text
    response = client.post(accept_url(invitation))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    with pytest.raises(NotAllowed) as error:
        services.cohost_invitation_accept(token=invitation.token, actor=None)
    assert error.value.status_code == 401


def test_declined_invitation_cannot_be_accepted(client, draft, other_member):
    invitation = invite(draft, other_member.email)
    response = client.post(decline_url(invitation))  # the link alone is enough to decline
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED
    client.force_login(other_member)
    response = client.post(accept_url(invitation), follow=True)
    assert "al beantwoord" in response.text
    assert client.get(invitation.get_absolute_url()).status_code == 410
    with pytest.raises(DomainError) as error:
        services.cohost_invitation_accept(token=invitation.token, actor=other_member)
    assert error.value.status_code == 410
    assert not draft.co_hosts.exists()


def test_expired_and_withdrawn_invitations_are_refused(draft, other_member):
    expired = invite(draft, other_member.email)
    CoHostInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(DomainError, match="verlopen"):
        services.cohost_invitation_accept(token=expired.token, actor=other_member)
    with pytest.raises(DomainError, match="verlopen"):
        services.cohost_invitation_decline(token=expired.token)
    withdrawn = invite(draft, "ander@example.nl")
    services.cohost_invitation_withdraw(invitation=withdrawn, actor=draft.host)
    with pytest.raises(DomainError) as error:
        services.cohost_invitation_decline(token=withdrawn.token)
    assert error.value.status_code == 410
    assert not draft.co_hosts.exists()


def test_unknown_token_is_not_found(client, member):
    client.force_login(member)
    url = reverse("events:cohost_invitation_accept", kwargs={"token": "nee"})
    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("events:cohost_invitation", kwargs={"token": "nee"})).status_code == 404
    )


def test_manage_page_lists_invitations_and_removes_co_host(client, draft, other_member):
    invitation = invite(draft, "wacht@example.nl")
    draft.co_hosts.add(other_member)
    client.force_login(draft.host)
    page = client.get(reverse("events:manage", args=[draft.pk]))
    assert "wacht@example.nl" in page.text and escape(other_member.display_name) in page.text
    client.post(reverse("events:cohost_withdraw", args=[draft.pk, invitation.pk]))
    client.post(reverse("events:cohost_remove", args=[draft.pk, other_member.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Status.WITHDRAWN
    assert not draft.co_hosts.exists()


def test_api_create_and_patch_add_no_co_hosts(api, member, other_member, programme):
    start = timezone.now() + datetime.timedelta(days=5)
    payload = {
        "programme": programme.pk, "type": "bouwsessie", "title": "Via de API",
        "start": start.isoformat(), "end": (start + datetime.timedelta(hours=1)).isoformat(),
        "location": "Utrecht", "co_hosts": [other_member.pk],
    }  # fmt: skip
    response = api(member).post("/sessions", payload)
    assert response.status_code == 201  # an unknown field is not read
    session_id = response.json()["id"]
    response = api(member).patch(f"/sessions/{session_id}", {"co_hosts": [other_member.pk]})
    assert response.status_code == 200
    assert not Session.co_hosts.through.objects.exists()


def test_deleting_an_account_removes_only_its_own_invitations(draft):
    han = UserFactory(email="han@example.nl")
    invite(draft, "han@example.nl")
    invite(draft, "johan@example.nl")
    member_delete(user=han)
    assert list(CoHostInvitation.objects.values_list("email", flat=True)) == ["johan@example.nl"]


def test_a_member_cannot_mail_strangers_in_bulk(draft, settings):
    from bouwplaats.events.services import sessions

    limit = sessions.COHOST_INVITES_PER_DAY
    for start in range(0, limit, 10):
        emails = [f"gast{n}@example.nl" for n in range(start, start + 10)]
        services.cohost_invite(session=draft, actor=draft.host, emails=emails)
    with pytest.raises(DomainError) as error:
        services.cohost_invite(session=draft, actor=draft.host, emails=["nog1@example.nl"])
    assert error.value.status_code == 429
    assert CoHostInvitation.objects.count() == limit
