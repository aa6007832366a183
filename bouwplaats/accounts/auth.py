"""API authentication: ``Authorization: Bearer <token>``; without it the caller is a visitor."""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import HttpError

from .services import api_token_authenticate


class BearerOrVisitor:
    """Ninja auth callable: a valid token gives its member, no header gives a visitor."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            request.user = AnonymousUser()
            return request.user
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise HttpError(401, "Ongeldige Authorization-header: gebruik 'Bearer <sleutel>'.")
        user = api_token_authenticate(key.strip())
        if user is None:
            raise HttpError(401, "Ongeldige of ingetrokken API-sleutel.")
        request.user = user
        return user
