"""Background work of werk-met-werk: thin wrappers that take primary keys.

Each task reads fresh rows and calls ``mails`` or ``reminders``; services enqueue them after
their transaction commits. Nothing here imports planning's ``services``; ``index_works``
calls the search index's writer.
"""

from django_tasks import task

from bouwplaats.search.services import search_index_refresh_many

from . import mails, reminders, selectors
from .models import CombinationRequest, JointWork, StreetFollow, Work


def _request(request_id: int) -> CombinationRequest | None:
    return (
        CombinationRequest.objects.select_related(
            "from_work__owner", "to_work__owner", "requested_by", "answered_by"
        )
        .filter(pk=request_id)
        .first()
    )


@task()
def mail_request_sent(request_id: int) -> None:
    """Mail the other owner and the sender about request ``request_id``."""
    req = _request(request_id)
    if req is not None:
        mails.send_request_sent(req)


@task()
def mail_request_answered(request_id: int) -> None:
    """Mail both sides that request ``request_id`` was accepted or declined."""
    req = _request(request_id)
    if req is not None:
        mails.send_request_answered(req)


@task()
def remind_request(request_id: int) -> None:
    """Remind the other owner of request ``request_id`` when it is due (at most once)."""
    reminders.combination_request_remind(request_id=request_id)


@task()
def notify_interest_zones(work_id: int) -> None:
    """Mail the members of the interest zones that new work ``work_id`` lies in."""
    work = Work.objects.select_related("owner", "created_by").filter(pk=work_id).first()
    if work is not None:
        mails.send_zone_notices(work, selectors.zones_containing(work))


@task()
def mail_joint_period(joint_id: int, agreed: bool) -> None:
    """Mail the joint work's owners its proposed (``agreed`` False) or agreed period."""
    joint = JointWork.objects.filter(pk=joint_id).select_related("proposed_by").first()
    if joint is not None:
        mails.send_joint_period(joint, agreed=agreed)


@task()
def mail_street_follow_confirm(follow_id: int) -> None:
    """Mail the confirmation link of street follow ``follow_id``."""
    follow = StreetFollow.objects.filter(pk=follow_id).first()
    if follow is not None:
        mails.send_street_follow_confirm(follow)


@task()
def notify_street_followers(work_id: int) -> None:
    """Mail the residents who follow a street that new work ``work_id`` lies in."""
    work = Work.objects.select_related("owner").filter(pk=work_id).first()
    if work is not None:
        mails.send_street_notices(work, selectors.street_followers_of(work))


@task()
def notify_new_works(work_ids: list[int]) -> None:
    """Mail interest zones and street followers about new works ``work_ids`` (an upload)."""
    works = Work.objects.select_related("owner", "created_by").filter(pk__in=work_ids)
    for work in works.order_by("pk"):
        mails.send_zone_notices(work, selectors.zones_containing(work))
        mails.send_street_notices(work, selectors.street_followers_of(work))


def _initiative(work_id: int) -> Work | None:
    return Work.objects.select_related("owner", "proposed_by").filter(pk=work_id).first()


@task()
def mail_initiative_proposed(work_id: int) -> None:
    """Mail the planners of the municipality that initiative ``work_id`` is addressed to."""
    work = _initiative(work_id)
    if work is not None:
        mails.send_initiative_proposed(work)


@task()
def mail_initiative_decided(work_id: int) -> None:
    """Mail the proposer of initiative ``work_id`` the municipality's decision."""
    work = _initiative(work_id)
    if work is not None:
        mails.send_initiative_decided(work)


@task()
def index_works(work_ids: list[int]) -> None:
    """Put the works ``work_ids`` (new and changed works of an upload) in the search index, as
    they are now.

    Owed through core.OwedTask (``enqueue_owed_on_commit``), so a lost job is queued again by
    `manage.py requeue_owed_work`; running it twice indexes the same documents.
    """
    search_index_refresh_many(kind="work", ids=work_ids)
