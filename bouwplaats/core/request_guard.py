"""Refuse requests whose path carries a NUL byte, before any view runs.

PostgreSQL cannot store or compare a text value holding U+0000 ("A string literal cannot
contain NUL (0x00) characters"), so a NUL that reaches a lookup is a 500 there and silently
accepted on SQLite. A path parameter (a mailed token, a slug) reaches a lookup before any form
or schema sees it, so the path is checked at the edge for every view at once: pages answer 400
with a Dutch page, the API 422 with the shape of its other refusals (``detail``, ``code``,
``errors``). Query strings and bodies are left to the page forms and API schemas, which refuse
per field and say what is wrong beside it (the search reads a NUL as a space: a query string
gives results, never an error, issue 14).
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _nul_field(request) -> str | None:
    """Return the name of the first part of the request holding a NUL byte, or None."""
    return "path" if NUL in request.path else None


class RefuseNulBytesMiddleware:
    """Answer 400 (pages) or 422 (API) to a request with a NUL byte in its path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _nul_field(request)
        if field is None:
            return self.get_response(request)
        message = _("Het verzoek bevat een ongeldig teken (een NUL-byte).")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "code": field, "errors": {field: [message]}}, status=422
            )
        return TemplateResponse(request, "400.html", {"message": message}, status=400).render()
