"""Read queries on calls and submissions that pages and the API share (access from permissions)."""

import statistics
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from bouwplaats.search.analysis import fold, tokens, tokens_holding
from bouwplaats.search.query import Clause

from .models import (
    Attachment,
    Call,
    CallCriterion,
    CallQuestion,
    HeldDecision,
    Pilot,
    PilotMilestone,
    ProgressReport,
    Review,
    Submission,
    SubmissionAnswer,
    SubmissionStep,
    SupportRequest,
    today,
)
from .permissions import (
    attachments_visible_to,
    calls_managed_by,
    calls_visible_to,
    pilots_visible_to,
    submissions_reviewable_by,
    submissions_visible_to,
)

User = get_user_model()


def open_calls(*, user) -> QuerySet[Call]:
    """Return the calls that take submissions today, with their programme, closing first."""
    on = today()
    return (
        calls_visible_to(user)
        .filter(published=True, opens_on__lte=on)
        .filter(Q(rolling=True) | Q(closes_on__gte=on))
        .select_related("programme")
        .order_by("rolling", "closes_on", "opens_on", "id")
    )


def managed_calls(*, user) -> QuerySet[Call]:
    """Return the calls of the programmes whose team ``user`` is on, newest first."""
    return calls_managed_by(user).select_related("programme").order_by("-opens_on", "-id")


def programme_team_users(programme):
    """Return the members of ``programme``'s team (who may be a call's reviewers), by name."""
    return User.objects.filter(programme_memberships__programme=programme).order_by(
        "full_name", "id"
    )


def programmes_team_users(programmes):
    """Return the members of the teams of ``programmes`` (a queryset), each once, by name;
    the reviewers offered on a new call (call_set_reviewers checks the chosen programme)."""
    return (
        User.objects.filter(programme_memberships__programme__in=programmes)
        .distinct()
        .order_by("full_name", "id")
    )


def call_get(*, user, pk: int) -> Call:
    """Return the call ``pk`` if ``user`` may see it, with its questions and criteria.

    Raises Call.DoesNotExist otherwise.
    """
    return (
        calls_visible_to(user)
        .select_related("programme")
        .prefetch_related("questions", "criteria", "rounds")
        .get(pk=pk)
    )


def attachment_get(
    *, user, pk: int, call_id: int | None = None, submission_id: int | None = None
) -> Attachment:
    """Return the attachment ``pk`` if ``user`` may see it (of that call or submission when
    given), with what its permissions read.

    Raises Attachment.DoesNotExist otherwise.
    """
    qs = attachments_visible_to(user).select_related(
        "call__programme", "submission__call__programme", "submission__organisation"
    )
    if call_id is not None:
        qs = qs.filter(call_id=call_id)
    if submission_id is not None:
        qs = qs.filter(submission_id=submission_id)
    return qs.get(pk=pk)


def call_submissions(*, user, call: Call) -> QuerySet[Submission]:
    """Return the submissions to ``call`` that ``user`` may see, newest first."""
    return submissions_visible_to(user, call.submissions.all()).select_related(
        "organisation", "submitted_by"
    )


def submission_get(*, user, pk: int) -> Submission:
    """Return the submission ``pk`` if ``user`` may see it, with answers and history.

    Raises Submission.DoesNotExist otherwise.
    """
    return (
        submissions_visible_to(user)
        .select_related("call__programme", "organisation", "submitted_by", "pilot", "held_decision")
        .prefetch_related(
            Prefetch("answers", SubmissionAnswer.objects.select_related("question")),
            Prefetch("steps", SubmissionStep.objects.order_by("at", "id")),
            Prefetch("call__questions", CallQuestion.objects.order_by("position", "id")),
            "call__criteria",
            "call__reviewers",
            "milestones",
            Prefetch(
                "reviews", Review.objects.select_related("reviewer").prefetch_related("scores")
            ),
            "call__rounds",
        )
        .get(pk=pk)
    )


def answers_by_question(submission: Submission) -> list[tuple[CallQuestion, str]]:
    """Return ``(question, answer text)`` for every question of the submission's call."""
    given = {a.question_id: a.text for a in submission.answers.all()}
    return [(q, given.get(q.pk, "")) for q in submission.call.questions.all()]


@dataclass
class Spread:
    """The median, the spread (highest minus lowest) and the number of scores."""

    median: float | None
    spread: float | None
    count: int

    @classmethod
    def of(cls, values: list[float]) -> "Spread":
        if not values:
            return cls(None, None, 0)
        return cls(round(statistics.median(values), 2), round(max(values) - min(values), 2),
                   len(values))  # fmt: skip


@dataclass
class ReviewLine:
    """One reviewer's review for the programme team: weighted total, confidence, private note."""

    review: Review
    total: float | None


@dataclass
class ReviewSummary:
    """The reviews of a submission: per criterion and for the weighted total, and each review
    with its confidence and private note (for the programme team only)."""

    criteria: list[tuple[CallCriterion, Spread]]
    total: Spread
    conflicts: int
    reviews: list[ReviewLine]
    confidence: Spread


def review_summary(submission: Submission) -> ReviewSummary:
    """Return the median, spread and count per criterion and of the weighted totals.

    A review's weighted total is Σ(score × weight) / Σ weight, on the scale of the scores.
    Uses the prefetched reviews and criteria of submission_get.
    """
    criteria = list(submission.call.criteria.all())
    reviews = [r for r in submission.reviews.all() if not r.conflict]
    per_criterion: dict[int, list[int]] = {c.pk: [] for c in criteria}
    totals = []
    weights = {c.pk: c.weight for c in criteria}
    lines = []
    for review in reviews:
        scores = {s.criterion_id: s.score for s in review.scores.all()}
        for cid, score in scores.items():
            per_criterion.setdefault(cid, []).append(score)
        total = None
        if scores and set(scores) >= set(weights):
            total = sum(scores[cid] * w for cid, w in weights.items()) / sum(weights.values())
            totals.append(total)
        lines.append(ReviewLine(review, None if total is None else round(total, 2)))
    return ReviewSummary(
        criteria=[(c, Spread.of(per_criterion[c.pk])) for c in criteria],
        total=Spread.of(totals),
        conflicts=sum(1 for r in submission.reviews.all() if r.conflict),
        reviews=lines,
        confidence=Spread.of([r.confidence for r in reviews if r.confidence is not None]),
    )


def own_review(submission: Submission, user) -> Review | None:
    """Return ``user``'s review of ``submission`` (from the prefetched reviews), if any."""
    return next((r for r in submission.reviews.all() if r.reviewer_id == user.pk), None)


def pilot_get(*, user, pk: int) -> Pilot:
    """Return the pilot ``pk`` if ``user`` may see it, with its milestones.

    Raises Pilot.DoesNotExist otherwise.
    """
    return (
        with_last_report(pilots_visible_to(user))
        .select_related("programme", "organisation", "submission", "evaluation__by")
        .prefetch_related(
            "milestones",
            "milestones__reopenings__by",
            "reports__by",
            Prefetch(
                "support_requests",
                SupportRequest.objects.select_related("by", "answered_by"),
            ),
        )
        .get(pk=pk)
    )


def with_last_report(qs: QuerySet[Pilot]) -> QuerySet[Pilot]:
    """Annotate ``last_report_at`` and ``last_status`` (None without reports)."""
    last = ProgressReport.objects.filter(pilot=OuterRef("pk")).order_by("-at", "-id")
    return qs.annotate(
        last_report_at=Max("reports__at"), last_status=Subquery(last.values("status")[:1])
    )


def report_overdue(pilot: Pilot, now=None) -> bool:
    """Return True if the pilot's next report is past due (uses the annotated last report)."""
    return (now or timezone.now()) > pilot.report_due_at(pilot.last_report_at)


# The status filter of the pilots list: the last report's status, or none filed yet.
NO_REPORT = "geen"


def pilots_filtered(
    *, user, status: str = "", call_id: int | None = None, q: str = ""
) -> QuerySet[Pilot]:
    """Return the pilots ``user`` may see (permissions.pilots_visible_to), newest first, with
    ``last_report_at``/``last_status``, narrowed to the last report's ``status``
    (ProgressReport.Status, or NO_REPORT), the call ``call_id`` and the words of ``q``, each in
    the title or the organisation's name (case-insensitive). An unknown status matches nothing."""
    qs = with_last_report(pilots_visible_to(user))
    if status == NO_REPORT:
        qs = qs.filter(last_status__isnull=True)
    elif status:
        qs = qs.filter(last_status=status)
    if call_id is not None:
        qs = qs.filter(submission__call_id=call_id)
    # Control characters match nothing, and PostgreSQL refuses a NUL in a query.
    q = "".join(c for c in (q or "") if c.isprintable())
    if q.split():
        qs = qs.filter(pk__in=_pilots_with_words(qs, q.split()))
    return qs.order_by("-created_at", "-id")


def _pilots_with_words(qs: QuerySet[Pilot], words: list[str]) -> list[int]:
    """Return the ids in ``qs`` whose title or organisation's name holds every one of
    ``words`` (as people type "Dorpskern Losser wonen"): as part of a word, case and accents
    aside ("havenkw"), or as the search finds a word (search.query.Clause: its Dutch stem or
    all its compound parts, so "dorpskernen" finds "Dorpskern" and "woningen" "Woning").

    Compared in Python: a title and an organisation's name are a few words, and the pilots
    one person sees are at most a few thousand rows of two short columns."""
    wanted = [(fold(word), [Clause(t.stem, t.parts) for t in tokens(word)]) for word in words]
    # Only the words that may hold one of these terms are analysed (search.analysis).
    needed = frozenset(t for _part, clauses in wanted for c in clauses for t in (c.stem, *c.parts))
    found = []
    for pk, title, organisation in qs.values_list("pk", "title", "organisation__name"):
        text = f"{title} {organisation}"
        folded = fold(text)
        terms = {term for token in tokens_holding(text, needed) for term in token.terms}

        if all(
            part in folded or bool(clauses) and all(c.matches(terms) for c in clauses)
            for part, clauses in wanted
        ):
            found.append(pk)
    return found


def pilot_list(
    *, user, status: str = "", call_id: int | None = None, q: str = ""
) -> QuerySet[Pilot]:
    """Return the pilots ``user`` may see (filters as pilots_filtered), newest first, with
    organisations, milestones, support requests and evaluation: the API's list."""
    return (
        pilots_filtered(user=user, status=status, call_id=call_id, q=q)
        .select_related("organisation", "evaluation")
        .prefetch_related("milestones__reopenings", "support_requests")
    )


def pilot_page_list(*, user, status: str = "", call_id: int | None = None, q: str = ""):
    """Return the pilots list page's rows (filters as pilots_filtered), with organisation,
    programme and call; page them, then call with_next_milestones on the page."""
    return pilots_filtered(user=user, status=status, call_id=call_id, q=q).select_related(
        "organisation", "programme", "submission__call"
    )


def with_next_milestones(pilots: list[Pilot]) -> list[Pilot]:
    """Set ``next_milestone`` on each of ``pilots``: the earliest still planned (by current
    date), or None; one query for all of them."""
    upcoming: dict[int, PilotMilestone] = {}
    planned = PilotMilestone.objects.filter(
        pilot__in=[p.pk for p in pilots], status=PilotMilestone.Status.GEPLAND
    ).order_by("current", "position", "id")
    for milestone in planned:
        upcoming.setdefault(milestone.pilot_id, milestone)
    for pilot in pilots:
        pilot.next_milestone = upcoming.get(pilot.pk)
    return pilots


def pilot_calls(*, user) -> QuerySet[Call]:
    """Return the calls of the pilots ``user`` may see, by title: the list's call filter."""
    visible = pilots_visible_to(user).values("submission__call_id")
    return Call.objects.filter(pk__in=visible).order_by("title", "id")


def held_decisions_count(*, call: Call) -> int:
    """Return how many decisions are held for ``call``'s submissions."""
    return HeldDecision.objects.filter(submission__call=call).count()


def review_queue(
    *,
    user,
    call: Call,
    status: str = "",
    kind: str = "",
    reviewed_by_me: bool | None = None,
    round_id: int | None = None,
) -> QuerySet[Submission]:
    """Return the submissions to ``call`` that ``user`` reviews, fewest reviews first.

    Each carries ``review_count`` (reviews without a conflict) and ``reviewed_by_me``.
    Filters: ``status``, organisation ``kind``, ``reviewed_by_me`` (True/False/None = all).
    """
    mine = Review.objects.filter(submission=OuterRef("pk"), reviewer_id=user.pk, conflict=False)
    qs = (
        submissions_reviewable_by(user, call.submissions.all())
        .select_related("organisation")
        .annotate(
            review_count=Count("reviews", filter=Q(reviews__conflict=False)),
            reviewed_by_me=Exists(mine),
        )
        .order_by("review_count", "submitted_at", "id")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(organisation__kind=kind)
    if reviewed_by_me is not None:
        qs = qs.filter(reviewed_by_me=reviewed_by_me)
    if round_id is not None:
        qs = _in_round(qs, call, round_id)
    return qs


def _in_round(qs: QuerySet[Submission], call: Call, round_id: int) -> QuerySet[Submission]:
    """Keep what was first submitted after the previous round closed, up to this one (dates
    in Amsterdam, see models.round_of)."""
    rounds = list(call.rounds.all())
    chosen = next((r for r in rounds if r.pk == round_id), None)
    if chosen is None:
        return qs.none()
    qs = qs.filter(submitted_at__date__lte=chosen.closes_on)
    earlier = [r.closes_on for r in rounds if r.closes_on < chosen.closes_on]
    return qs.filter(submitted_at__date__gt=max(earlier)) if earlier else qs
