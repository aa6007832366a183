"""What the events app holds about a member, for export and deletion (AVG)."""

from .models import Registration, Session
from .services import registration_forget


def export(*, user) -> dict:
    return {
        "registrations": [
            {
                "session": r.session.title,
                "start": r.session.start.isoformat(),
                "status": r.status,
                "answers": r.answers,
                "reason": r.reason,
                "registered_at": r.created_at.isoformat(),
            }
            for r in Registration.objects.filter(member=user).select_related("session")
        ],
        "hosted_sessions": [
            {"title": s.title, "start": s.start.isoformat(), "status": s.status}
            for s in Session.objects.filter(host=user)
        ],
    }


def forget(*, user) -> None:
    # Sessions the member organised stay (the host becomes "verwijderd lid"); registrations go.
    for registration in Registration.objects.filter(member=user).select_related("session"):
        registration_forget(registration=registration)
