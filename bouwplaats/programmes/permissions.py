"""Who is on a programme's team: the rule written once, as an object check and a queryset.

Platform administrators (``is_staff``) count as members of every programme's team. The
events app builds its "programme team" rules on these two functions.
"""

from django.db.models import QuerySet

from .models import Programme


def is_team_member(user, programme: Programme) -> bool:
    """Return True if ``user`` is on ``programme``'s team (or a platform administrator)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return programme.memberships.filter(user=user).exists()


def programmes_with_team_member(user, qs: QuerySet[Programme] | None = None) -> QuerySet[Programme]:
    """Return the programmes (of ``qs``, default all) whose team ``user`` is on."""
    qs = Programme.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(memberships__user=user)
