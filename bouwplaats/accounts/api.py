from ninja import Router, Schema
from ninja.errors import HttpError

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    name: str
    function: str
    organisation: str | None
    is_staff: bool


@router.get("/me", response=MeOut)
def me(request):
    """Return the member the bearer token belongs to."""
    user = request.auth
    if not user.is_authenticated:
        raise HttpError(401, "Geen API-sleutel meegestuurd: je bent bezoeker.")
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.display_name,
        "function": user.function,
        "organisation": user.organisation.name if user.organisation else None,
        "is_staff": user.is_staff,
    }
