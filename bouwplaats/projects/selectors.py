"""Read queries on calls and submissions that pages and the API share (access from permissions)."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Call, CallQuestion, Submission, SubmissionAnswer, SubmissionStep, today
from .permissions import calls_visible_to, submissions_visible_to


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


def call_get(*, user, pk: int) -> Call:
    """Return the call ``pk`` if ``user`` may see it, with its questions and criteria.

    Raises Call.DoesNotExist otherwise.
    """
    return (
        calls_visible_to(user)
        .select_related("programme")
        .prefetch_related("questions", "criteria")
        .get(pk=pk)
    )


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
        .select_related("call__programme", "organisation", "submitted_by")
        .prefetch_related(
            Prefetch("answers", SubmissionAnswer.objects.select_related("question")),
            Prefetch("steps", SubmissionStep.objects.order_by("at", "id")),
            Prefetch("call__questions", CallQuestion.objects.order_by("position", "id")),
        )
        .get(pk=pk)
    )


def answers_by_question(submission: Submission) -> list[tuple[CallQuestion, str]]:
    """Return ``(question, answer text)`` for every question of the submission's call."""
    given = {a.question_id: a.text for a in submission.answers.all()}
    return [(q, given.get(q.pk, "")) for q in submission.call.questions.all()]
