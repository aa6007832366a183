"""What the knowledge app holds about a member, for export and deletion (AVG)."""

from .models import Answer, AnswerVote, KnowledgeItem, Question, QuestionFollower


def export(*, user) -> dict:
    """Return the member's questions, answers, votes, follows and knowledge items."""
    return {
        "questions": [
            {"title": q.title, "body": q.body, "created_at": q.created_at.isoformat()}
            for q in Question.objects.filter(asked_by=user).order_by("pk")
        ],
        "answers": [
            {"question": a.question.title, "body": a.body, "created_at": a.created_at.isoformat()}
            for a in Answer.objects.filter(author=user).select_related("question").order_by("pk")
        ],
        "answer_votes": [
            {
                "question": v.answer.question.title,
                "answer": v.answer_id,
                "at": v.created_at.isoformat(),
            }  # fmt: skip
            for v in AnswerVote.objects.filter(user=user).select_related("answer__question")
        ],
        "questions_followed": [
            f.question.title
            for f in QuestionFollower.objects.filter(user=user).select_related("question")
        ],
        "knowledge_items": [
            {"type": i.type, "title": i.title, "status": i.status}
            for i in KnowledgeItem.objects.filter(authors=user).order_by("pk")
        ],
    }


def forget(*, user) -> None:
    """Drop the member's votes and follows; what they wrote stays, as "verwijderd lid"."""
    AnswerVote.objects.filter(user=user).delete()
    QuestionFollower.objects.filter(user=user).delete()
