"""Who may see and do what in werk-met-werk: the one place pages, API, exports, forms ask.

Each rule is written once, as a pair: ``can_…(user, obj)`` answers for one object and
``…_visible_to`` / ``…_editable_by`` / ``…_for`` returns the queryset of the objects the rule
allows, so a list, an export or a form's choices never rebuild the rule. Both halves of a pair
read the same facts (see tests/planning/test_permissions.py).

Acting for an organisation asks accounts' verified memberships
(:func:`bouwplaats.accounts.permissions.verified_organisations`), never the organisation a
member states on their profile: :func:`acting_organisation_ids` is the one place.
"""

from django.db.models import Q, QuerySet

from bouwplaats.accounts import permissions as accounts_permissions
from bouwplaats.accounts.models import Organisation

from .models import CombinationRequest, InterestZone, JointWork, Work


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _staff(user) -> bool:
    return _signed_in(user) and bool(user.is_staff)


def acting_organisation_ids(user) -> set[int]:
    """Return the ids of the organisations ``user`` acts for: verified memberships only."""
    if not _signed_in(user):
        return set()
    return accounts_permissions.verified_organisation_ids(user)


def acting_organisation_id(user) -> int | None:
    """Return the organisation ``user`` enters works for by default, or None.

    The stated organisation when the membership of it is verified, else the first verified
    one (by id); None without a verified membership.
    """
    ids = acting_organisation_ids(user)
    if not ids:
        return None
    claimed = getattr(user, "organisation_id", None)
    return claimed if claimed in ids else min(ids)


# Non-public works, internal fields (contact, external id) and the analysis among them ------


def can_view_internal(user) -> bool:
    """Return whether ``user`` may see non-public works, their internal fields and history.

    Verified organisation members and staff: werk-met-werk is shared between the
    organisations, not with every account (visitors and plain members get the residents' map).
    """
    return _staff(user) or bool(acting_organisation_ids(user))


def shown_to_everyone_q() -> Q:
    """Return the condition of ``shown_to_everyone`` as a ``Q`` on works (querysets, pairs)."""
    return Q(public=True) & ~Q(status=Work.Status.IDEE)


def shown_to_everyone(work: Work) -> bool:
    """Return whether ``work`` is shown outside the organisations: public and not an idea.

    PRODUCT.md §6: what residents and visitors see holds no ideas, whatever the public flag.
    """
    return work.public and work.status != Work.Status.IDEE


def can_view_work(user, work: Work) -> bool:
    return shown_to_everyone(work) or can_view_internal(user)


def works_visible_to(user, qs: QuerySet[Work] | None = None) -> QuerySet[Work]:
    """Return the works ``user`` may see (pages, API, CSV, map and analysis): see can_view_work."""
    qs = Work.objects.all() if qs is None else qs
    if can_view_internal(user):
        return qs
    return qs.filter(shown_to_everyone_q())


def can_view_joint(user, joint: JointWork) -> bool:
    """A joint work lists every part, public or not: members only."""
    return can_view_internal(user)


def joints_visible_to(user, qs: QuerySet[JointWork] | None = None) -> QuerySet[JointWork]:
    qs = JointWork.objects.all() if qs is None else qs
    return qs if can_view_internal(user) else qs.none()


# Entering and changing works -----------------------------------------------------------------


def can_act_for_owner(user, owner_id: int) -> bool:
    """Return whether ``user`` may enter works in the name of organisation ``owner_id``."""
    return _staff(user) or owner_id in acting_organisation_ids(user)


def organisations_for(user, qs: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
    """Return the organisations ``user`` may enter works for (the form's owner choices)."""
    qs = Organisation.objects.all() if qs is None else qs
    if _staff(user):
        return qs
    return qs.filter(pk__in=acting_organisation_ids(user))


def is_planner(user) -> bool:
    """Return whether ``user`` may enter works at all: acts for an organisation, or staff."""
    return _staff(user) or bool(acting_organisation_ids(user))


def can_edit_work(user, work: Work) -> bool:
    """A member edits the works of the organisation they act for; staff edit all works."""
    return can_act_for_owner(user, work.owner_id)


def works_editable_by(user, qs: QuerySet[Work] | None = None) -> QuerySet[Work]:
    qs = Work.objects.all() if qs is None else qs
    if _staff(user):
        return qs
    return qs.filter(owner_id__in=acting_organisation_ids(user))


# Combination requests ------------------------------------------------------------------------


def can_send_request(user, from_work: Work) -> bool:
    """Only who may edit a work asks another owner to combine with it."""
    return can_edit_work(user, from_work)


def can_view_request(user, request: CombinationRequest) -> bool:
    """Either side of a request sees it: who may edit the asking or the asked work."""
    return can_edit_work(user, request.from_work) or can_edit_work(user, request.to_work)


def requests_visible_to(
    user, qs: QuerySet[CombinationRequest] | None = None
) -> QuerySet[CombinationRequest]:
    qs = CombinationRequest.objects.all() if qs is None else qs
    editable = works_editable_by(user)
    return qs.filter(from_work__in=editable) | qs.filter(to_work__in=editable)


def can_answer_request(user, request: CombinationRequest) -> bool:
    """The owner of the requested work answers an open request; staff may too."""
    return request.status == CombinationRequest.Status.OPEN and can_edit_work(user, request.to_work)


def requests_answerable_by(
    user, qs: QuerySet[CombinationRequest] | None = None
) -> QuerySet[CombinationRequest]:
    qs = CombinationRequest.objects.all() if qs is None else qs
    return qs.filter(status=CombinationRequest.Status.OPEN, to_work__in=works_editable_by(user))


# Interest zones ------------------------------------------------------------------------------


def can_create_zone(user) -> bool:
    """A zone belongs to an organisation: only a verified member acting for one draws it."""
    return acting_organisation_id(user) is not None


def can_manage_zone(user, zone: InterestZone) -> bool:
    """The member who drew a zone removes it while still acting for its organisation; staff
    may too."""
    return _staff(user) or (
        _signed_in(user)
        and zone.member_id == user.pk
        and zone.owner_id in acting_organisation_ids(user)
    )


def zones_managed_by(user, qs: QuerySet[InterestZone] | None = None) -> QuerySet[InterestZone]:
    qs = InterestZone.objects.all() if qs is None else qs
    if _staff(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(member_id=user.pk, owner_id__in=acting_organisation_ids(user))


# Residents' initiatives ----------------------------------------------------------------------


def can_propose_initiative(user) -> bool:
    """Any signed-in member may propose a residents' initiative (it stays non-public)."""
    return _signed_in(user) and not getattr(user, "is_removed", False)


def can_decide_initiative(user, work: Work) -> bool:
    """A planner of the organisation it is addressed to accepts or declines a proposal."""
    return work.initiative == Work.Initiative.PROPOSED and can_edit_work(user, work)


def initiatives_decidable_by(user, qs: QuerySet[Work] | None = None) -> QuerySet[Work]:
    qs = Work.objects.all() if qs is None else qs
    return works_editable_by(user, qs.filter(initiative=Work.Initiative.PROPOSED))


def can_view_initiative(user, work: Work) -> bool:
    """The proposer follows their own initiative on its page, decided or not."""
    return bool(work.initiative) and _signed_in(user) and work.proposed_by_id == user.pk


def can_withdraw_initiative(user, work: Work) -> bool:
    """The proposer withdraws their initiative while the municipality has not decided."""
    return work.initiative == Work.Initiative.PROPOSED and can_view_initiative(user, work)


def initiatives_proposed_by(user, qs: QuerySet[Work] | None = None) -> QuerySet[Work]:
    """Return the initiatives ``user`` proposed (they follow their own, public or not)."""
    qs = Work.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(proposed_by_id=user.pk).exclude(initiative="")


# The joint period of a joint work -----------------------------------------------------------


def _part_owner_ids(joint: JointWork) -> set[int]:
    return set(Work.objects.filter(joint=joint).values_list("owner_id", flat=True))


def can_propose_period(user, joint: JointWork) -> bool:
    """Who may edit one of the joint work's parts proposes its one period."""
    return any(can_act_for_owner(user, owner) for owner in _part_owner_ids(joint))


def can_agree_period(user, joint: JointWork) -> bool:
    """Another owner than the one that proposed agrees to the proposed period."""
    if joint.proposed_start is None or joint.proposed_end is None:
        return False
    others = _part_owner_ids(joint) - {joint.proposed_for_id}
    if _staff(user):
        return bool(others)
    return bool(others & acting_organisation_ids(user))


# How long the member who accepted a combination request may take it back.
UNDO_HOURS = 24


def can_undo_accept(user, request: CombinationRequest, now) -> bool:
    """The member who accepted a request takes it back within a day (UNDO_HOURS)."""
    return (
        _signed_in(user)
        and request.status == CombinationRequest.Status.ACCEPTED
        and request.answered_by_id == user.pk
        and request.answered_at is not None
        and (now - request.answered_at).total_seconds() < UNDO_HOURS * 3600
        and can_edit_work(user, request.to_work)
    )
