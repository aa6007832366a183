"""The planning policy as a matrix: every role × every rule, object check and queryset agree.

Each rule in bouwplaats.planning.permissions is a pair, ``can_…(user, obj)`` and the queryset
of the objects it allows; both must give the expected answer for each role, or a list page,
the API or the CSV would show what the object page refuses (or the other way round).
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bouwplaats.planning import permissions as p
from bouwplaats.planning import services
from bouwplaats.planning.models import JointWork
from tests.factories import OrganisationMembershipFactory, UserFactory

from .conftest import feature, square

pytestmark = pytest.mark.django_db

# The membership states of issue 11: a member who merely states "Gemeente Ede" on the profile
# (none), and members whose membership of Ede is requested, refused or revoked, act for Ede no
# more than a member without organisation; only an approved membership (owner_member) does.
ROLES = [
    "visitor",
    "no_organisation",
    "claims_owner",
    "requested",
    "refused",
    "revoked",
    "owner_member",
    "other_member",
    "staff",
]

# Expected answers per rule, in the order of ROLES. The objects: a public and a hidden work of
# Ede, an open request from Liander's work to Ede's public work, a joint work, and an interest
# zone drawn by Ede's planner. The owner member is Ede's planner; the other member Liander's.
#                       visitor none   claims requested refused revoked owner  other  staff
EXPECTED = {
    "view_public_work": [True,  True,  True,  True,  True,  True,  True,  True,  True],
    "view_hidden_work": [False, False, False, False, False, False, True,  True,  True],
    "edit_work":        [False, False, False, False, False, False, True,  False, True],
    "act_for_owner":    [False, False, False, False, False, False, True,  False, True],
    "send_request":     [False, False, False, False, False, False, True,  False, True],
    "view_request":     [False, False, False, False, False, False, True,  True,  True],
    "answer_request":   [False, False, False, False, False, False, True,  False, True],
    "view_joint":       [False, False, False, False, False, False, True,  True,  True],
    "manage_zone":      [False, False, False, False, False, False, True,  False, True],
}  # fmt: skip


def _ede_member(ede, status):
    user = UserFactory(organisation=ede)
    if status:
        OrganisationMembershipFactory(user=user, organisation=ede, status=status)
    return user


@pytest.fixture
def world(ede_planner, liander_planner, ede_work, liander_work):
    hidden = services.work_create(
        actor=ede_planner, feature=feature(public=False, title="Intern plan")
    )
    request = services.combination_request_send(
        actor=liander_planner,
        from_work=liander_work,
        to_work=ede_work,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    zone = services.interest_zone_create(actor=ede_planner, name="Centrum", geometry=square())
    joint = JointWork.objects.create(title="Samen")
    users = {
        "visitor": AnonymousUser(),
        "no_organisation": UserFactory(organisation=None),
        "claims_owner": _ede_member(ede_planner.organisation, None),
        "requested": _ede_member(ede_planner.organisation, "requested"),
        "refused": _ede_member(ede_planner.organisation, "refused"),
        "revoked": _ede_member(ede_planner.organisation, "revoked"),
        "owner_member": ede_planner,
        "other_member": liander_planner,
        "staff": UserFactory(organisation=None, is_staff=True),
    }
    return {
        "users": users,
        "public": ede_work,
        "hidden": hidden,
        "request": request,
        "joint": joint,
        "zone": zone,
    }


def _pair(rule: str, w: dict, user) -> tuple[bool, bool]:
    """Return (object check, object in the rule's queryset) for one rule and user."""
    if rule == "view_public_work":
        work = w["public"]
        return p.can_view_work(user, work), p.works_visible_to(user).filter(pk=work.pk).exists()
    if rule == "view_hidden_work":
        work = w["hidden"]
        return p.can_view_work(user, work), p.works_visible_to(user).filter(pk=work.pk).exists()
    if rule == "edit_work":
        work = w["public"]
        return p.can_edit_work(user, work), p.works_editable_by(user).filter(pk=work.pk).exists()
    if rule == "act_for_owner":
        owner = w["public"].owner
        return (
            p.can_act_for_owner(user, owner.pk),
            p.organisations_for(user).filter(pk=owner.pk).exists(),
        )
    if rule == "send_request":
        work = w["public"]
        return p.can_send_request(user, work), p.works_editable_by(user).filter(pk=work.pk).exists()
    if rule == "view_request":
        req = w["request"]
        return p.can_view_request(user, req), p.requests_visible_to(user).filter(pk=req.pk).exists()
    if rule == "answer_request":
        req = w["request"]
        return (
            p.can_answer_request(user, req),
            p.requests_answerable_by(user).filter(pk=req.pk).exists(),
        )
    if rule == "view_joint":
        joint = w["joint"]
        return p.can_view_joint(user, joint), p.joints_visible_to(user).filter(pk=joint.pk).exists()
    if rule == "manage_zone":
        zone = w["zone"]
        return p.can_manage_zone(user, zone), p.zones_managed_by(user).filter(pk=zone.pk).exists()
    raise AssertionError(rule)


@pytest.mark.parametrize("rule", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_object_check_and_queryset_agree_with_the_matrix(world, role, rule):
    expected = EXPECTED[rule][ROLES.index(role)]
    allowed, listed = _pair(rule, world, world["users"][role])
    assert (allowed, listed) == (expected, expected)


@pytest.mark.parametrize(
    ("role", "planner", "zone"),
    [
        ("visitor", False, False),
        ("no_organisation", False, False),
        ("claims_owner", False, False),
        ("requested", False, False),
        ("refused", False, False),
        ("revoked", False, False),
        ("owner_member", True, True),
        ("other_member", True, True),
        # Staff enter works for any owner, but a zone belongs to an organisation of one's own.
        ("staff", True, False),
    ],
)
def test_who_may_enter_works_and_draw_zones(world, role, planner, zone):
    user = world["users"][role]
    assert p.is_planner(user) is planner
    assert p.can_create_zone(user) is zone


def test_answered_request_is_answerable_by_nobody(world):
    req = world["request"]
    services.combination_request_decline(
        actor=world["users"]["owner_member"], request=req, reason="Geen ruimte."
    )
    req.refresh_from_db()
    for user in world["users"].values():
        assert not p.can_answer_request(user, req)
        assert not p.requests_answerable_by(user).filter(pk=req.pk).exists()


def test_an_inactive_member_is_a_visitor(world):
    planner = world["users"]["owner_member"]
    planner.is_active = False
    assert not p.can_edit_work(planner, world["public"])
    assert not p.works_visible_to(planner).filter(pk=world["hidden"].pk).exists()
    assert p.acting_organisation_id(planner) is None


def test_a_revoked_member_loses_the_zones_they_drew(world):
    planner = world["users"]["owner_member"]
    membership = planner.memberships.get()
    membership.status = "revoked"
    membership.save()
    fresh = type(planner).objects.get(pk=planner.pk)
    assert not p.can_manage_zone(fresh, world["zone"])
    assert not p.zones_managed_by(fresh).exists()
    assert not p.can_create_zone(fresh)


def test_a_member_of_two_organisations_acts_for_both(world, liander):
    planner = world["users"]["owner_member"]
    OrganisationMembershipFactory(user=planner, organisation=liander)
    fresh = type(planner).objects.get(pk=planner.pk)
    assert p.can_act_for_owner(fresh, liander.pk) and p.can_act_for_owner(
        fresh, planner.organisation_id
    )
    assert set(p.organisations_for(fresh)) == {liander, planner.organisation}
    # The stated organisation is the default owner while it is verified.
    assert p.acting_organisation_id(fresh) == planner.organisation_id
