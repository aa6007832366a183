"""Who may see and change works and answer combination requests: used by pages and the API."""

from .models import CombinationRequest, Work


def is_planner(user) -> bool:
    """Return whether ``user`` may enter works: a member of an organisation, or staff."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_staff or getattr(user, "organisation_id", None))
    )


def can_view_internal(user) -> bool:
    """Return whether ``user`` may see internal works and the planning analysis."""
    return bool(getattr(user, "is_authenticated", False))


def can_view_work(user, work: Work) -> bool:
    return work.public or can_view_internal(user)


def can_edit_work(user, work: Work) -> bool:
    """A member edits the works of their own organisation; staff edit all works."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or (user.organisation_id and user.organisation_id == work.owner_id))


def can_act_for_owner(user, owner_id: int) -> bool:
    """Return whether ``user`` may enter works in the name of organisation ``owner_id``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or (user.organisation_id and user.organisation_id == owner_id))


def can_answer_request(user, request: CombinationRequest) -> bool:
    """The owner of the requested work answers; staff may too."""
    return request.status == CombinationRequest.Status.OPEN and can_edit_work(user, request.to_work)
