"""What the programmes app holds about a member, for export and deletion."""

from .models import ProgrammeMembership


def export(*, user) -> dict:
    return {
        "programme_memberships": [
            {"programme": m.programme.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in ProgrammeMembership.objects.filter(user=user).select_related("programme")
        ]
    }


def forget(*, user) -> None:
    ProgrammeMembership.objects.filter(user=user).delete()
