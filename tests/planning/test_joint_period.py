"""Combination requests carry people; the joint period; an accept undone within a day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, JointWork, Work
from tests.factories import PlannerFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _send(ede_planner, ede_work, liander_work, **kwargs):
    return services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=TODAY + datetime.timedelta(days=14),
        **kwargs,
    )


@pytest.fixture
def joint(ede_planner, liander_planner, ede_work, liander_work):
    req = _send(ede_planner, ede_work, liander_work)
    return services.combination_request_accept(actor=liander_planner, request=req, message="Prima.")


def test_request_names_its_sender_as_contact_by_default(ede_planner, ede_work, liander_work):
    req = _send(ede_planner, ede_work, liander_work)
    assert req.contact == f"{ede_planner.display_name} ({ede_planner.email})"
    req = CombinationRequest.objects.get()
    assert req.requested_by == ede_planner


@pytest.mark.parametrize("contact", ["x" * 201, "regel\neen"])
def test_a_bad_contact_is_refused_naming_the_field(ede_planner, ede_work, liander_work, contact):
    with pytest.raises(InvalidInput) as caught:
        _send(ede_planner, ede_work, liander_work, contact=contact)
    assert "contact" in caught.value.errors
    assert not CombinationRequest.objects.exists()


def test_accept_carries_its_message(joint):
    assert CombinationRequest.objects.get().answer == "Prima."


def test_period_proposed_by_one_owner_agreed_by_the_other(joint, ede_planner, liander_planner):
    start, end = TODAY + datetime.timedelta(days=40), TODAY + datetime.timedelta(days=80)
    services.joint_period_propose(actor=ede_planner, joint=joint, start=start, end=end)
    # The proposer cannot agree to their own proposal.
    with pytest.raises(NotAllowed):
        services.joint_period_agree(actor=ede_planner, joint=joint)
    joint = services.joint_period_agree(actor=liander_planner, joint=joint)
    assert joint.agreed_period == (start, end)
    assert joint.proposed_start is None


def test_outsiders_propose_nothing_and_bad_periods_are_refused(joint, ede_planner):
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        services.joint_period_propose(
            actor=outsider, joint=joint, start=TODAY, end=TODAY + datetime.timedelta(days=1)
        )
    with pytest.raises(InvalidInput) as caught:
        services.joint_period_propose(
            actor=ede_planner, joint=joint, start=TODAY, end=TODAY - datetime.timedelta(days=1)
        )
    assert "proposed_end" in caught.value.errors
    with pytest.raises(InvalidInput):
        services.joint_period_propose(
            actor=ede_planner, joint=joint, start=datetime.date(9999, 1, 1),
            end=datetime.date(9999, 2, 1),
        )  # fmt: skip
    joint.refresh_from_db()
    assert joint.proposed_start is None


def test_the_accepter_undoes_an_accept_within_a_day(joint, liander_planner, ede_planner):
    req = CombinationRequest.objects.get()
    with pytest.raises(NotAllowed):
        services.combination_request_undo(actor=ede_planner, request=req)
    services.combination_request_undo(actor=liander_planner, request=req)
    req.refresh_from_db()
    assert req.status == "open" and req.answered_by is None
    assert not JointWork.objects.exists()
    assert not Work.objects.filter(joint__isnull=False).exists()


def test_no_undo_after_a_day(joint, liander_planner):
    req = CombinationRequest.objects.get()
    CombinationRequest.objects.filter(pk=req.pk).update(
        answered_at=timezone.now() - datetime.timedelta(hours=25)
    )
    with pytest.raises(NotAllowed):
        services.combination_request_undo(actor=liander_planner, request=req)
    assert JointWork.objects.count() == 1


def test_joint_page_proposes_and_refuses_a_bad_period(client, joint, ede_planner):
    client.force_login(ede_planner)
    url = reverse("planning:joint", args=[joint.pk])
    response = client.post(url, {"action": "propose", "start": "2030-05-10", "end": "2030-05-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "bp-error-summary" in html and "De einddatum ligt voor de begindatum." in html
    response = client.post(url, {"action": "propose", "start": "2030-05-01", "end": "2030-05-10"})
    assert response.status_code == 302
    joint.refresh_from_db()
    assert joint.proposed_start == datetime.date(2030, 5, 1)


def test_another_organisation_may_not_agree(joint, ede_planner, client):
    services.joint_period_propose(
        actor=ede_planner, joint=joint, start=TODAY, end=TODAY + datetime.timedelta(days=3)
    )
    vitens = PlannerFactory()
    client.force_login(vitens)
    response = client.post(reverse("planning:joint", args=[joint.pk]), {"action": "agree"})
    assert response.status_code in (403, 404)
    joint.refresh_from_db()
    assert joint.agreed_period is None


def test_undo_refused_once_more_works_joined(joint, liander_planner, ede_planner):
    third = services.work_create(
        actor=ede_planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [5.6651, 52.0405]},
            "properties": {"title": "Derde", "kind": "groen",
                           "start": TODAY.isoformat(), "end": TODAY.isoformat()},
        },
    )  # fmt: skip
    Work.objects.filter(pk=third.pk).update(joint=joint)
    with pytest.raises(DomainError):
        services.combination_request_undo(
            actor=liander_planner, request=CombinationRequest.objects.get()
        )
