"""The REST API, version 1: every app's ``api.router`` mounted under /api/v1."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI

from bouwplaats.accounts.auth import BearerOrVisitor
from bouwplaats.core.errors import DomainError, InvalidInput
from bouwplaats.core.hooks import app_modules

api = NinjaAPI(
    title="Bouwplaats API",
    version="1",
    description="Sessies, programma's, nieuwsflits, kennis en werk-met-werk. "
    "Authenticatie: `Authorization: Bearer <sleutel>`; zonder sleutel ben je bezoeker.",
    auth=BearerOrVisitor(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"detail": str(exc.message), "code": exc.code}
    if isinstance(exc, InvalidInput):
        body["errors"] = exc.errors
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    detail = str(exc) or "Je hebt geen toegang tot deze actie."
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Niet gevonden."}, status=404)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    return domain_error(request, InvalidInput.from_validation_error(exc))


for _app, module in app_modules("api"):
    api.add_router("/", module.router)
