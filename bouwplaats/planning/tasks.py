"""Background work of werk-met-werk: thin wrappers that take primary keys.

A task that mails several people mails none itself: it owes one single send per recipient
(core.background.owe_each), so a worker killed mid-way re-mails nobody twice.

Each task reads fresh rows and calls ``mails`` or ``reminders``; services enqueue them after
their transaction commits. Nothing here imports planning's ``services``; ``index_works``
calls the search index's writer.
"""

from django_tasks import task

from bouwplaats.core.background import owe_each
from bouwplaats.search.services import search_index_refresh_many

from . import mails, reminders, selectors
from .models import CombinationRequest, InterestZone, JointWork, StreetFollow, Work


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
    """Owe the mails of request ``request_id``: to the other owner and to its sender."""
    owe_each([(mail_request_to_owner, (request_id,)), (mail_request_confirmation, (request_id,))])


@task()
def mail_request_to_owner(request_id: int) -> None:
    """Mail the other owner about request ``request_id``."""
    req = _request(request_id)
    if req is not None:
        mails.send_request_sent(req)


@task()
def mail_request_confirmation(request_id: int) -> None:
    """Confirm request ``request_id`` to the member who sent it."""
    req = _request(request_id)
    if req is not None:
        mails.send_request_confirmation(req)


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
    """Owe a notice to the member of each interest zone that new work ``work_id`` lies in."""
    work = Work.objects.filter(pk=work_id).first()
    zones = selectors.zones_containing(work) if work is not None else []
    owe_each((mail_zone_notice, (work_id, zone.pk)) for zone in zones)


@task()
def mail_zone_notice(work_id: int, zone_id: int) -> None:
    """Mail the member of interest zone ``zone_id`` about new work ``work_id``."""
    work = Work.objects.select_related("owner", "created_by").filter(pk=work_id).first()
    zone = InterestZone.objects.select_related("member").filter(pk=zone_id).first()
    if work is not None and zone is not None:
        mails.send_zone_notice(work, zone)


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
    """Owe a notice to each resident who follows a street that new work ``work_id`` lies in."""
    work = Work.objects.filter(pk=work_id).first()
    follows = selectors.street_followers_of(work) if work is not None else []
    owe_each((mail_street_notice, (work_id, follow.pk)) for follow in follows)


@task()
def mail_street_notice(work_id: int, follow_id: int) -> None:
    """Mail the follower of street follow ``follow_id`` about new work ``work_id``."""
    work = Work.objects.select_related("owner").filter(pk=work_id).first()
    follow = StreetFollow.objects.filter(pk=follow_id, confirmed_at__isnull=False).first()
    if work is not None and follow is not None:
        mails.send_street_notice(work, follow)


@task()
def notify_new_works(work_ids: list[int]) -> None:
    """Owe the notices of new works ``work_ids`` (an upload): one per interest zone and per
    street follower each work lies in."""
    calls = []
    for work in Work.objects.filter(pk__in=work_ids).order_by("pk"):
        calls += [(mail_zone_notice, (work.pk, z.pk)) for z in selectors.zones_containing(work)]
        calls += [
            (mail_street_notice, (work.pk, f.pk)) for f in selectors.street_followers_of(work)
        ]
    owe_each(calls)


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
