"""API authentication: ``Authorization: Bearer <token>``; without it the caller is a visitor."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .services import api_token_authenticate


class BearerOrVisitor(HttpBearer):
    """Ninja's bearer auth (declared in openapi.json, so the docs offer "Authorize"): a valid
    token gives its member, no header gives a visitor; a bad header or key answers 401."""

    openapi_description = (
        "Uw API-sleutel van de pagina API-sleutels (/profiel/sleutels/), verstuurd als "
        "`Authorization: Bearer <sleutel>`. Zonder sleutel bent u bezoeker."
    )

    def authenticate(self, request, token: str):
        """Return the member whose live key ``token`` is, or None."""
        return api_token_authenticate(token)

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            request.user = AnonymousUser()
            return request.user
        scheme, _space, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise HttpError(401, _("Ongeldige Authorization-header: gebruik 'Bearer <sleutel>'."))
        user = self.authenticate(request, key.strip())
        if user is None:
            raise HttpError(401, _("Ongeldige of ingetrokken API-sleutel."))
        request.user = user
        return user
