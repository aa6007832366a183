"""What the events app holds about a member, for export and deletion (AVG)."""

from .models import CoHostInvitation, Registration, Session
from .permissions import cohost_invitations_for
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
        "co_hosted_sessions": [
            {"title": s.title, "start": s.start.isoformat(), "status": s.status}
            for s in user.co_hosted_sessions.all()
        ],
        "cohost_invitations_received": [
            {
                "session": i.session.title,
                "email": i.email,
                "status": i.status,
                "invited_at": i.created_at.isoformat(),
            }
            for i in cohost_invitations_for(user).select_related("session")
        ],
        "cohost_invitations_sent": [
            {"session": i.session.title, "email": i.email, "status": i.status}
            for i in CoHostInvitation.objects.filter(created_by=user).select_related("session")
        ],
    }


def forget(*, user) -> None:
    # Sessions the member organised stay (the host becomes "verwijderd lid"); registrations go,
    # and so do the invitations to their verified addresses (matched whole, not as a part).
    cohost_invitations_for(user).delete()
    for registration in Registration.objects.filter(member=user).select_related("session"):
        registration_forget(registration=registration)
