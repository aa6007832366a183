"""Refuse requests whose path or form fields carry a NUL byte, before any view runs.

PostgreSQL cannot store or compare a text value holding U+0000 ("A string literal cannot
contain NUL (0x00) characters"), so a NUL that reaches a lookup or a write is a 500 there and
silently accepted on SQLite. No Dutch text, slug, token or id legitimately holds one, so the
whole kind is refused at the edge instead of in every view: pages answer 400 with a Dutch page,
the API 422 with the shape of its other refusals (``detail``, ``code``, ``errors``) naming the
parameter. JSON bodies are left to the API schemas and the services' validators, which refuse
control characters per field.
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_field(request) -> str | None:
    """Return the name of the first part of the request holding a NUL byte, or None."""
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for name, values in request.POST.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "")
    return None


class RefuseNulBytesMiddleware:
    """Answer 400 (pages) or 422 (API) to a request with a NUL byte in its path or fields."""

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
