"""What the projects app holds about a member, for export and deletion (AVG)."""

from .models import (
    Attachment,
    MilestoneReopening,
    MilestoneReplan,
    PilotEvaluation,
    ProgressReport,
    Review,
    Submission,
    SubmissionStep,
    SupportRequest,
)
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
        "reviews": [
            {
                "submission": review.submission.title,
                "conflict": review.conflict,
                "confidence": review.confidence,
                "note": review.note,
                "scores": [
                    {"criterion": s.criterion.name, "score": s.score} for s in review.scores.all()
                ],
            }  # fmt: skip
            for review in Review.objects.filter(reviewer=user)
            .select_related("submission")
            .prefetch_related("scores__criterion")
        ],
        "progress_reports": [
            {
                "pilot": r.pilot.title,
                "status": r.status,
                "reason": r.reason,
                "text": r.text,
                "at": r.at.isoformat(),
            }  # fmt: skip
            for r in ProgressReport.objects.filter(by=user).select_related("pilot")
        ],
        "milestone_replans": [
            {
                "milestone": r.milestone.title,
                "previous": r.previous.isoformat(),
                "current": r.current.isoformat(),
                "reason": r.reason,
                "at": r.at.isoformat(),
            }  # fmt: skip
            for r in MilestoneReplan.objects.filter(by=user).select_related("milestone")
        ],
        "milestone_reopenings": [
            {
                "milestone": r.milestone.title,
                "previous": r.previous,
                "reason": r.reason,
                "at": r.at.isoformat(),
            }  # fmt: skip
            for r in MilestoneReopening.objects.filter(by=user).select_related("milestone")
        ],
        "support_requests": [
            {
                "pilot": r.pilot.title,
                "kind": r.kind,
                "question": r.question,
                "status": r.status,
                "answer": r.answer,
                "at": r.at.isoformat(),
            }  # fmt: skip
            for r in SupportRequest.objects.filter(by=user).select_related("pilot")
        ],
        "support_answers": [
            {
                "pilot": r.pilot.title,
                "answer": r.answer,
                "at": r.answered_at.isoformat() if r.answered_at else None,
            }
            for r in SupportRequest.objects.filter(answered_by=user).select_related("pilot")
        ],  # fmt: skip
        "project_attachments": [
            {
                "call": a.call.title if a.call_id else a.submission.call.title,
                "submission": a.submission.title if a.submission_id else None,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "created_at": a.created_at.isoformat(),
            }
            for a in _own_attachments(user).select_related("call", "submission__call")
        ],
        "evaluations": [
            {"pilot": e.pilot.title, "outcome": e.outcome, "at": e.at.isoformat()}
            for e in PilotEvaluation.objects.filter(by=user).select_related("pilot")
        ],
    }


def forget(*, user) -> None:
    submissions_forget(user=user)


def _own_attachments(user):
    return Attachment.objects.filter(uploaded_by=user).order_by("pk")


def files(*, user):
    """Yield ``(name in the archive, stored FieldFile)`` for every document the member
    attached to a call or a submission (the AVG download's ZIP)."""
    for attachment in _own_attachments(user):
        yield f"bijlagen/{attachment.pk}-{attachment.name}", attachment.file
