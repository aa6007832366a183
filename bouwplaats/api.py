"""The REST API, version 1: every app's ``api.router`` mounted under /api/v1."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from bouwplaats.accounts.auth import BearerOrVisitor
from bouwplaats.core import jsonbody
from bouwplaats.core.errors import DomainError, InvalidInput
from bouwplaats.core.hooks import app_modules
from bouwplaats.core.responses import StoredFileMissing
from bouwplaats.core.schema_errors import dutch_message


class JsonParser(Parser):
    """Parse a JSON body with core.jsonbody (no NaN/Infinity, no lone surrogate).

    Its ValueError is answered by ninja with 400 and a ``detail``.
    """

    def parse_body(self, request):
        return jsonbody.loads(request.body)


api = NinjaAPI(
    parser=JsonParser(),
    title="Bouwplaats API",
    version="1",
    description="Sessies, programma's, nieuwsflits, kennis en werk-met-werk. "
    "Authenticatie: `Authorization: Bearer <sleutel>`; zonder sleutel bent u bezoeker.",
    auth=BearerOrVisitor(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"detail": str(exc.message), "code": exc.code}
    if isinstance(exc, InvalidInput) or exc.status_code == 422:
        # Every 422 names its field(s) (API.md), also a DomainError raised with status 422.
        body["errors"] = with_top_fields(exc.errors)
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def schema_error(request, exc: NinjaValidationError):
    # The schema's refusals keep ninja's `detail` list and gain the services' `code` and
    # `errors`, so a client reads one shape whichever layer refused the value.
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field = error_field(error.get("loc", ()))
        # pydantic speaks English; the API answers in Dutch, with the limit that was broken.
        error["msg"] = dutch_message(error)
        errors.setdefault(field, []).append(error["msg"])
    code = next(iter(errors), "__all__")
    body = {"detail": exc.errors, "code": code, "errors": with_top_fields(errors)}
    return api.create_response(request, body, status=422)


def with_top_fields(errors: dict) -> dict:
    """Return ``errors`` where a nested key (``milestones.0.planned``) also names its top-level
    field (``milestones``) with the same messages.

    A client may read either: the exact value refused, or the field as the page's form and a
    service that checks a list as a whole (a session's ``parts``) name it.
    """
    result = {key: list(messages) for key, messages in errors.items()}
    for key, messages in errors.items():
        top = str(key).split(".", 1)[0]
        if top != key:
            merged = result.setdefault(top, [])
            merged.extend(m for m in messages if m not in merged)
    return result


def error_field(loc) -> str:
    """Return the ``errors`` key of a ninja error location: the dotted path of a body field
    (``milestones.0.planned``, as the services key nested fields), a parameter's plain name,
    ``__all__`` for the body as a whole.

    ninja's loc: ("body", <parameter>, field, …), ("query", field), ("path", field),
    ("form", field), ("file", field).
    """
    loc = [str(part) for part in loc]
    # A query, path or form parameter by its name, also where one of its list items failed.
    path = loc[2:] if loc[:1] == ["body"] else loc[1:2]
    return ".".join(path) or "__all__"


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    detail = str(exc) or _("U heeft geen toegang tot deze actie.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    # A file gone from storage names that (core.responses); any other 404 stays terse.
    detail = str(exc) if isinstance(exc, StoredFileMissing) else _("Niet gevonden.")
    return api.create_response(request, {"detail": detail}, status=404)


# ninja's own words for a body its parser refused (ninja.params.models.BodyModel).
_UNPARSED_BODY = "Cannot parse request body"


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith(_UNPARSED_BODY):
        # Malformed JSON, NaN/Infinity, a lone surrogate, nesting too deep (core.jsonbody).
        detail = _("De inhoud van het verzoek is geen geldige JSON.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    return domain_error(request, InvalidInput.from_validation_error(exc))


for _app, module in app_modules("api"):
    api.add_router("/", module.router)
