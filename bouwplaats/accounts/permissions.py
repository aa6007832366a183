"""Who may do what with accounts: each rule once, as an object check and a queryset.

A member's API tokens and their personal data (AVG export and delete) are theirs alone: the
pages act on the signed-in member, and these rules say so for anything looked up by id.
"""

from django.db.models import QuerySet

from .models import ApiToken


def can_manage_token(user, token: ApiToken) -> bool:
    """Return True if ``user`` may see and revoke ``token``: its owner."""
    return bool(getattr(user, "is_authenticated", False)) and token.user_id == user.pk


def tokens_visible_to(user, qs: QuerySet[ApiToken] | None = None) -> QuerySet[ApiToken]:
    """Return the tokens (of ``qs``, default all) that ``user`` may see and revoke."""
    qs = ApiToken.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(user=user)
