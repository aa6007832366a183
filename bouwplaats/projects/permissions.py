"""Who may do what with calls and submissions: each rule once, as an object check and a queryset.

- A published call is public; an unpublished one is seen by its programme's team only.
- A submission is made *for an organisation* by a verified (approved) member of it, to an open
  call that admits the organisation's kind.
- A submission is seen by the member who made it and the verified members of its
  organisation; once submitted (no longer a draft) also by the call's programme team.
- Only the programme team (platform staff count as team, see programmes.permissions) moves a
  submission through the review.
- Reviewers are team members assigned to the call: they score submitted ones, and see the
  others' scores only after their own. Whoever declared a conflict of interest on a submission
  no longer sees it at all (nor scores it, nor takes its steps).
- An attachment is seen by whoever may see its call or its submission (never by a public
  media URL). The programme team attaches documents to its call; a verified member of the
  organisation to its submission while that is a draft or waits to be completed. The team
  removes any of them; the uploader their own while the submission can still be changed.
- A pilot is seen by its team (the verified members of its organisation) and its programme's
  team. What someone may not see answers 404, never 403, like calls, submissions, sessions
  and spaces (events/spaces views, ``views._visible``): a pilot's existence and title are not
  public, so a logged-in member outside it gets the same answer as for a pilot that does not
  exist, with the pilots list's explanation of who sees a pilot and a way back to the pilots
  they do see (``projects/pilot_not_found.html``). A 403 (with its reason) is for a member
  who may see the pilot but not take this step (e.g. the programme team filing a report).
"""

from django.db.models import Q, QuerySet

from bouwplaats.accounts.models import Organisation
from bouwplaats.accounts.permissions import is_verified_member, verified_organisations
from bouwplaats.programmes.permissions import is_team_member, programmes_with_team_member

from .models import Attachment, Call, Pilot, Review, Submission


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


# Calls -----------------------------------------------------------------------------------------


def can_view_call(user, call: Call) -> bool:
    """Return True if ``user`` may see ``call``: published, or on its programme's team."""
    return call.published or can_review_call(user, call)


def calls_visible_to(user, qs: QuerySet[Call] | None = None) -> QuerySet[Call]:
    """Return the calls (of ``qs``, default all) ``user`` may see: can_view_call's queryset."""
    qs = Call.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.filter(published=True)
    return qs.filter(Q(published=True) | Q(programme__in=programmes_with_team_member(user)))


def can_review_call(user, call: Call) -> bool:
    """Return True if ``user`` reviews the call's submissions: its programme's team."""
    return _signed_in(user) and is_team_member(user, call.programme)


def can_manage_call(user, call: Call) -> bool:
    """Return True if ``user`` creates and edits the call: its programme's team."""
    return can_review_call(user, call)


def calls_managed_by(user, qs: QuerySet[Call] | None = None) -> QuerySet[Call]:
    """Return the calls (of ``qs``, default all) ``user`` manages: can_manage_call's queryset."""
    qs = Call.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(programme__in=programmes_with_team_member(user))


# Submitting ----------------------------------------------------------------------------------


def organisations_user_may_submit_for(user) -> QuerySet[Organisation]:
    """Return the organisations ``user`` may submit for: their verified (approved) memberships.

    What a member states on the profile (``user.organisation``) is a claim and counts for
    nothing here.
    """
    return verified_organisations(user)


def can_submit_for(user, organisation: Organisation) -> bool:
    """Return True if ``user`` may act for ``organisation`` in a call (the check of the above)."""
    return _signed_in(user) and is_verified_member(user, organisation)


def submit_organisations(user, call: Call) -> QuerySet[Organisation]:
    """Return the organisations ``user`` may submit for to ``call`` (open, kind admitted)."""
    if not call.is_open():
        return Organisation.objects.none()
    return organisations_user_may_submit_for(user).filter(kind__in=call.organisation_kinds)


# Submissions ---------------------------------------------------------------------------------


def _conflicted_ids(user):
    return Review.objects.filter(reviewer_id=user.pk, conflict=True).values("submission_id")


def has_conflict(user, submission: Submission) -> bool:
    """Return True if ``user`` declared a conflict of interest on ``submission``."""
    return _signed_in(user) and any(
        r.conflict for r in submission.reviews.all() if r.reviewer_id == user.pk
    )


def can_view_submission(user, submission: Submission) -> bool:
    """Return True if ``user`` may see ``submission`` (see the module's rules)."""
    if not _signed_in(user) or has_conflict(user, submission):
        return False
    if submission.submitted_by_id == user.pk or is_verified_member(
        user, submission.organisation_id
    ):
        return True
    return submission.status != Submission.Status.CONCEPT and can_review_call(user, submission.call)


def submissions_visible_to(user, qs: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """Return the submissions (of ``qs``, default all) ``user`` may see."""
    qs = Submission.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    own = Q(submitted_by_id=user.pk) | Q(organisation__in=verified_organisations(user))
    team = Q(call__programme__in=programmes_with_team_member(user)) & ~Q(
        status=Submission.Status.CONCEPT
    )
    return qs.filter(own | team).exclude(pk__in=_conflicted_ids(user))


def can_edit_submission(user, submission: Submission) -> bool:
    """Return True if ``user`` may change and (re)submit ``submission``.

    A verified member of its organisation, while it is a draft or waits to be completed.
    """
    return submission.is_editable and can_submit_for(user, submission.organisation)


def can_review_submission(user, submission: Submission) -> bool:
    """Return True if ``user`` may move ``submission`` through the review (programme team)."""
    return (
        submission.status != Submission.Status.CONCEPT
        and can_review_call(user, submission.call)
        and not has_conflict(user, submission)
    )


def submissions_reviewable_by(user, qs: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """Return the submissions (of ``qs``) ``user`` may review: the queryset of the above."""
    qs = Submission.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return (
        qs.filter(call__programme__in=programmes_with_team_member(user))
        .exclude(status=Submission.Status.CONCEPT)
        .exclude(pk__in=_conflicted_ids(user))
    )


# Scoring ---------------------------------------------------------------------------------------

SCORABLE = (Submission.Status.INGEDIEND, Submission.Status.IN_BEHANDELING)
# After the decision a submission's documents are the record of it: nobody removes them.
DECIDED = (Submission.Status.TOEGELATEN, Submission.Status.AFGEWEZEN)


def is_call_reviewer(user, call: Call) -> bool:
    """Return True if ``user`` is assigned to review ``call`` and on its programme's team."""
    return can_review_call(user, call) and any(r.pk == user.pk for r in call.reviewers.all())


def can_score_submission(user, submission: Submission) -> bool:
    """Return True if ``user`` may score (or declare a conflict on) ``submission`` now."""
    return (
        submission.status in SCORABLE
        and is_call_reviewer(user, submission.call)
        and not has_conflict(user, submission)
    )


def can_see_reviews(user, submission: Submission) -> bool:
    """Return True if ``user`` may see the reviews' scores: the programme team, but an assigned
    reviewer only after their own review (so that the others' scores cannot steer it)."""
    if not can_review_submission(user, submission):
        return False
    if not is_call_reviewer(user, submission.call):
        return True
    return any(r.reviewer_id == user.pk and not r.conflict for r in submission.reviews.all())


# Pilots --------------------------------------------------------------------------------------


def can_view_pilot(user, pilot: Pilot) -> bool:
    """Return True if ``user`` may see ``pilot``: its programme's team and the verified
    members of its organisation (the pilot's team)."""
    if not _signed_in(user):
        return False
    return is_verified_member(user, pilot.organisation_id) or is_team_member(user, pilot.programme)


def pilots_visible_to(user, qs: QuerySet[Pilot] | None = None) -> QuerySet[Pilot]:
    """Return the pilots (of ``qs``, default all) ``user`` may see."""
    qs = Pilot.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        Q(organisation__in=verified_organisations(user))
        | Q(programme__in=programmes_with_team_member(user))
    )


def can_report_on_pilot(user, pilot: Pilot) -> bool:
    """Return True if ``user`` files progress reports for ``pilot``: the pilot's team, i.e. the
    verified members of its organisation."""
    return _signed_in(user) and is_verified_member(user, pilot.organisation_id)


def can_manage_pilot(user, pilot: Pilot) -> bool:
    """Return True if ``user`` sets the pilot's report rhythm: the programme team."""
    return _signed_in(user) and is_team_member(user, pilot.programme)


# Attachments ---------------------------------------------------------------------------------


def can_view_attachment(user, attachment: Attachment) -> bool:
    """Return True if ``user`` may see and download ``attachment``: whoever may see its call
    (can_view_call) or its submission (can_view_submission)."""
    if attachment.submission_id is not None:
        return can_view_submission(user, attachment.submission)
    return can_view_call(user, attachment.call)


def attachments_visible_to(user, qs: QuerySet[Attachment] | None = None) -> QuerySet[Attachment]:
    """Return the attachments (of ``qs``, default all) ``user`` may see: the queryset of the
    above."""
    qs = Attachment.objects.all() if qs is None else qs
    return qs.filter(
        Q(call__in=calls_visible_to(user).values("pk"))
        | Q(submission__in=submissions_visible_to(user).values("pk"))
    )


def can_attach_to_call(user, call: Call) -> bool:
    """Return True if ``user`` may attach documents to ``call``: its programme's team."""
    return can_manage_call(user, call)


def can_attach_to_submission(user, submission: Submission) -> bool:
    """Return True if ``user`` may attach documents to ``submission``: a verified member of its
    organisation while it is a draft or waits to be completed (can_edit_submission)."""
    return can_edit_submission(user, submission)


def can_delete_attachment(user, attachment: Attachment) -> bool:
    """Return True if ``user`` may remove ``attachment``: the programme team (of the call, or
    reviewing the submission), or its uploader while the submission can still be changed."""
    if attachment.submission_id is None:
        return can_manage_call(user, attachment.call)
    submission = attachment.submission
    if submission.status in DECIDED:
        return False
    if can_review_submission(user, submission):
        return True
    return (
        _signed_in(user)
        and attachment.uploaded_by_id == user.pk
        and can_edit_submission(user, submission)
    )


def attachments_deletable_by(user, qs: QuerySet[Attachment] | None = None) -> QuerySet[Attachment]:
    """Return the attachments (of ``qs``, default all) ``user`` may remove: the queryset of
    can_delete_attachment."""
    qs = Attachment.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    editable = Submission.objects.filter(
        status__in=[Submission.Status.CONCEPT, Submission.Status.ONVOLLEDIG],
        organisation__in=verified_organisations(user),
    )
    return qs.exclude(submission__status__in=DECIDED).filter(
        Q(call__in=calls_managed_by(user).values("pk"))
        | Q(submission__in=submissions_reviewable_by(user).values("pk"))
        | Q(submission__in=editable.values("pk"), uploaded_by_id=user.pk)
    )
