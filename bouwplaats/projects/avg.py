"""What the projects app holds about a member, for export and deletion (AVG)."""

from .models import Submission, SubmissionStep
from .services import submissions_forget


def export(*, user) -> dict:
    return {
        "submissions": [
            {
                "call": s.call.title,
                "organisation": s.organisation.name,
                "title": s.title,
                "summary": s.summary,
                "status": s.status,
                "answers": [{"question": a.question.text, "text": a.text} for a in s.answers.all()],
                "created_at": s.created_at.isoformat(),
            }
            for s in Submission.objects.filter(submitted_by=user)
            .select_related("call", "organisation")
            .prefetch_related("answers__question")
        ],
        "submission_steps_taken": [
            {
                "submission": step.submission.title,
                "status": step.status,
                "reason": step.reason,
                "contact": step.contact_name,
                "at": step.at.isoformat(),
            }
            for step in SubmissionStep.objects.filter(by=user).select_related("submission")
        ],
    }


def forget(*, user) -> None:
    submissions_forget(user=user)
