"""Issue 15 §6: states said right; bulk approve; moving someone from the waiting list by hand."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.events import services
from bouwplaats.events.models import Registration
from tests.events.test_views import _edit_data
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

S = Registration.Status


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def host(db):
    return UserFactory(full_name="Jaco Pieper")


@pytest.fixture
def full_session(programme, host):
    """An approval session with one seat, taken."""
    session = SessionFactory(programme=programme, host=host, capacity=1, requires_approval=True)
    RegistrationFactory(session=session, status=S.CONFIRMED)
    return session


def test_approving_when_full_says_the_member_went_to_the_waiting_list(client, host, full_session):
    pending = RegistrationFactory(
        session=full_session, status=S.PENDING, member=UserFactory(full_name="Anna Wacht")
    )
    client.force_login(host)
    response = client.post(reverse("events:approve", args=[full_session.pk, pending.pk]))
    pending.refresh_from_db()
    assert pending.status == S.WAITLISTED
    (text,) = _messages(response)
    assert "de sessie is vol" in text and "Anna Wacht staat nu op de wachtlijst" in text
    assert "goedgekeurd;" not in text


def test_approving_with_a_free_seat_says_confirmed(client, host, programme):
    session = SessionFactory(programme=programme, host=host, capacity=3, requires_approval=True)
    pending = RegistrationFactory(session=session, status=S.PENDING)
    client.force_login(host)
    response = client.post(reverse("events:approve", args=[session.pk, pending.pk]))
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED
    assert "wachtlijst" not in _messages(response)[0]


def test_bulk_approve_in_order_of_sign_up_says_how_many_went_to_the_waiting_list(
    client, host, programme
):
    session = SessionFactory(programme=programme, host=host, capacity=2, requires_approval=True)
    first, second, third = (RegistrationFactory(session=session, status=S.PENDING) for _ in "abc")
    other = RegistrationFactory(status=S.PENDING)  # another session: never touched
    client.force_login(host)
    response = client.post(
        reverse("events:approve_many", args=[session.pk]),
        {"registration": [third.pk, first.pk, second.pk, other.pk, "x"]},
    )
    statuses = {r.pk: r.status for r in Registration.objects.all()}
    assert [statuses[r.pk] for r in (first, second, third)] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
    ]
    assert statuses[other.pk] == S.PENDING
    (text,) = _messages(response)
    assert "3 aanmeldingen goedgekeurd" in text and "1 van hen staat nu op de wachtlijst" in text


def test_bulk_approve_is_for_managers_only(programme, full_session):
    pending = RegistrationFactory(session=full_session, status=S.PENDING)
    with pytest.raises(NotAllowed):
        services.registration_approve_many(
            session=full_session, registration_ids=[pending.pk], actor=UserFactory()
        )
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_manage_page_offers_bulk_approve_and_the_waiting_list_positions(client, host, programme):
    session = SessionFactory(programme=programme, host=host, capacity=1, requires_approval=True)
    RegistrationFactory(session=session, status=S.CONFIRMED)
    RegistrationFactory(
        session=session, status=S.WAITLISTED, member=UserFactory(full_name="Wim Eerst")
    )
    RegistrationFactory(
        session=session, status=S.WAITLISTED, member=UserFactory(full_name="Wil Later")
    )
    RegistrationFactory(session=session, status=S.PENDING)
    RegistrationFactory(session=session, status=S.PENDING)
    client.force_login(host)
    content = client.get(reverse("events:manage", args=[session.pk])).content.decode()
    assert "Aangevinkte aanmeldingen goedkeuren" in content
    assert "Op de wachtlijst (plaats 1)" in content and "Op de wachtlijst (plaats 2)" in content
    assert "Plaats geven aan Wil Later" in content


def test_host_moves_someone_from_the_waiting_list_by_hand_after_confirming(client, host, programme):
    session = SessionFactory(programme=programme, host=host, capacity=1)
    RegistrationFactory(session=session, status=S.CONFIRMED)
    first = RegistrationFactory(session=session, status=S.WAITLISTED)
    chosen = RegistrationFactory(
        session=session, status=S.WAITLISTED, member=UserFactory(full_name="Wil Later")
    )
    client.force_login(host)
    url = reverse("events:promote", args=[session.pk, chosen.pk])
    page = client.get(url).content.decode()
    assert "Wil Later van de wachtlijst halen?" in page
    assert "het aantal plaatsen gaat van 1 naar 2" in page
    # A POST without the confirmation changes nothing.
    client.post(url)
    chosen.refresh_from_db()
    assert chosen.status == S.WAITLISTED
    response = client.post(url, {"bevestigd": "1"})
    chosen.refresh_from_db()
    first.refresh_from_db()
    session.refresh_from_db()
    assert chosen.status == S.CONFIRMED and chosen.mail_due == "promoted"
    assert first.status == S.WAITLISTED
    assert session.capacity == 2
    assert session.registrations.filter(status=S.CONFIRMED).count() == 2
    assert "Wil Later heeft nu een plaats" in _messages(response)[0]


def test_promote_refuses_a_registration_not_waiting_and_a_stranger(host, programme):
    session = SessionFactory(programme=programme, host=host, capacity=1)
    confirmed = RegistrationFactory(session=session, status=S.CONFIRMED)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    with pytest.raises(DomainError):
        services.registration_promote(registration=confirmed, actor=host)
    with pytest.raises(NotAllowed):
        services.registration_promote(registration=waiting, actor=UserFactory())
    session.refresh_from_db()
    assert session.capacity == 1


def test_host_is_told_participants_were_notified_after_a_date_change(
    client, host, programme, django_capture_on_commit_callbacks
):
    session = SessionFactory(programme=programme, host=host, capacity=5)
    RegistrationFactory(session=session, status=S.CONFIRMED)
    RegistrationFactory(session=session, status=S.CONFIRMED)
    client.force_login(host)
    data = _edit_data(client, session, location="Amersfoort")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:edit", args=[session.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    (text,) = _messages(response)
    assert "De 2 aangemelde deelnemers" in text and "krijgen bericht van de wijziging" in text


def test_an_edit_without_a_recorded_change_does_not_claim_a_notification(client, host, programme):
    session = SessionFactory(programme=programme, host=host)
    RegistrationFactory(session=session, status=S.CONFIRMED)
    client.force_login(host)
    data = _edit_data(client, session, title="Nieuwe titel")
    response = client.post(reverse("events:edit", args=[session.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert _messages(response) == ["De sessie is bijgewerkt."]
