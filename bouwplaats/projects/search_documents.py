"""What calls, submissions and pilots contribute to the search (bouwplaats.search.documents).

Access mirrors ``permissions.py``:
- a call: published → everyone; a concept → its programme team (``team:<id>``, ``staff``);
- a submission: its submitter (``user:<id>``) and the verified members of its organisation
  (``org:<id>``); once submitted also its programme team, except a team member who declared
  a conflict of interest: then the team is listed member by member without them;
- a pilot: its organisation's verified members and its programme team.
"""

from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.permissions import verified_organisations
from bouwplaats.programmes.permissions import programmes_with_team_member
from bouwplaats.search.documents import PUBLIC, SearchDocument

from .models import Call, Pilot, Review, Submission

KINDS = {"call": _("Oproep"), "submission": _("Inzending"), "pilot": _("Pilot")}


def _team(programme_id: int) -> set[str]:
    return {"staff", f"team:{programme_id}"}


def _calls(ids) -> Iterator[SearchDocument]:
    qs = Call.objects.order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for call in qs:
        yield SearchDocument(
            kind="call",
            object_id=call.pk,
            title=call.title,
            body=call.text,
            url=call.get_absolute_url(),
            access=frozenset({PUBLIC} if call.published else _team(call.programme_id)),
            updated_at=call.created_at,
            programme_id=call.programme_id,
        )


def _submission_access(submission: Submission) -> frozenset[str]:
    keys = {f"org:{submission.organisation_id}"}
    if submission.submitted_by_id:
        keys.add(f"user:{submission.submitted_by_id}")
    if submission.status == Submission.Status.CONCEPT:
        return frozenset(keys)
    programme_id = submission.call.programme_id
    conflicted = {r.reviewer_id for r in submission.reviews.all() if r.conflict}
    if not conflicted:
        return frozenset(keys | _team(programme_id))
    # A conflict of interest hides the submission from that one team member: name the others.
    team = get_user_model().objects.filter(programme_memberships__programme_id=programme_id)
    staff = get_user_model().objects.filter(is_staff=True)
    for pk in set(team.values_list("pk", flat=True)) | set(staff.values_list("pk", flat=True)):
        if pk not in conflicted:
            keys.add(f"user:{pk}")
    return frozenset(keys)


def _submissions(ids) -> Iterator[SearchDocument]:
    qs = Submission.objects.select_related("call").prefetch_related("reviews", "answers")
    qs = qs.order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for submission in qs:
        body = "\n".join([submission.summary, *(a.text for a in submission.answers.all())])
        yield SearchDocument(
            kind="submission",
            object_id=submission.pk,
            title=submission.title,
            body=body,
            url=submission.get_absolute_url(),
            access=_submission_access(submission),
            updated_at=submission.updated_at,
            programme_id=submission.call.programme_id,
        )


def _pilots(ids) -> Iterator[SearchDocument]:
    qs = Pilot.objects.order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for pilot in qs:
        yield SearchDocument(
            kind="pilot",
            object_id=pilot.pk,
            title=pilot.title,
            body=pilot.summary,
            url=pilot.get_absolute_url(),
            access=frozenset({f"org:{pilot.organisation_id}"} | _team(pilot.programme_id)),
            updated_at=pilot.created_at,
            programme_id=pilot.programme_id,
        )


def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Yield the calls, submissions or pilots (those of ``ids``, or all) as documents."""
    ids = None if ids is None else list(ids)
    return {"call": _calls, "submission": _submissions, "pilot": _pilots}[kind](ids)


def viewer_keys(user) -> set[str]:
    """Return ``user:<id>``, ``org:<id>`` per verified organisation, ``team:<id>``, ``staff``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    keys = {f"user:{user.pk}"}
    keys.update(f"org:{pk}" for pk in verified_organisations(user).values_list("pk", flat=True))
    if user.is_staff:
        keys.add("staff")
    else:
        teams = programmes_with_team_member(user).values_list("pk", flat=True)
        keys.update(f"team:{pk}" for pk in teams)
    return keys


def _conflicted_in(membership) -> list[tuple[str, int]]:
    # A team change matters only where the team is listed member by member (conflicts).
    conflicted = Review.objects.filter(
        conflict=True, submission__call__programme_id=membership.programme_id
    ).values_list("submission_id", flat=True)
    return [("submission", pk) for pk in set(conflicted)]


WATCH = {
    "projects.Call": lambda call: [("call", call.pk)],
    "projects.Submission": lambda submission: [("submission", submission.pk)],
    "projects.SubmissionAnswer": lambda answer: [("submission", answer.submission_id)],
    "projects.Review": lambda review: [("submission", review.submission_id)],
    "projects.Pilot": lambda pilot: [("pilot", pilot.pk)],
    "programmes.ProgrammeMembership": _conflicted_in,
}
