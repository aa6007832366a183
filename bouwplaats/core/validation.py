"""Validators shared by models, forms and API schemas, and the check every service runs.

A rule is written once, on the model field (``validators=[…]``, ``max_length``, choices) or in
``Model.clean()``; services call :func:`validate_instance` before saving, forms get the same
rules through ``ModelForm`` or :func:`bouwplaats.core.forms.add_domain_error`, and API schemas
through :mod:`bouwplaats.core.schemas`.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

# The largest value of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER).
BIGINT_MAX = 2**63 - 1
# The largest value of a 32-bit signed integer column (PostgreSQL integer).
INT_MAX = 2**31 - 1

# Instants outside these years are refused: near year 1 or 9999 the conversion between
# UTC and Europe/Amsterdam overflows, and no session or work in public space lies there.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

# Characters that are allowed in multi-line text although Unicode counts them as controls.
_TEXT_CONTROLS = frozenset("\t\n\r")


@deconstructible
class HttpUrlValidator(URLValidator):
    """Accept only http:// and https:// addresses (no ``javascript:``, ``data:``, ``file:``)."""

    schemes = ["http", "https"]
    message = _("Geef een webadres dat begint met http:// of https://.")


validate_http_url = HttpUrlValidator()


def _controls(value: str, allowed: frozenset[str]) -> bool:
    # A printable text holds no control character at all (str.isprintable is False for every
    # Cc): one C call for nearly every text instead of a look-up per character.
    if value.isprintable():
        return False
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def validate_single_line(value: str) -> None:
    """Refuse control characters (line breaks included) in a one-line text.

    Raises ValidationError (code ``control_characters``). One-line texts end up in headers,
    file names and table cells, where a line break or NUL changes what they mean.
    """
    if isinstance(value, str) and _controls(value, frozenset()):
        raise ValidationError(
            _("Gebruik geen regeleinden of stuurtekens in dit veld."), code="control_characters"
        )


def validate_text(value: str) -> None:
    """Refuse control characters other than tab and line breaks in a multi-line text.

    Raises ValidationError (code ``control_characters``); PostgreSQL refuses NUL in text.
    """
    if isinstance(value, str) and _controls(value, _TEXT_CONTROLS):
        raise ValidationError(_("Gebruik geen stuurtekens in dit veld."), code="control_characters")


def validate_plausible_year(value: datetime.date | datetime.datetime) -> None:
    """Refuse dates and instants outside the years EARLIEST_YEAR–LATEST_YEAR.

    Raises ValidationError (code ``year``).
    """
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Kies een datum tussen %(first)s en %(last)s."),
            code="year",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )


def validate_strings(instance: models.Model) -> None:
    """Check every text field of ``instance`` for control characters (see validate_text).

    Raises ValidationError keyed by field; the one-line rule is stricter and is set per field.
    """
    errors = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            try:
                validate_text(getattr(instance, field.attname))
            except ValidationError as exc:
                errors[field.name] = exc.error_list
    if errors:
        raise ValidationError(errors)


def validate_instance(
    instance: models.Model, *, exclude: list[str] | None = None, constraints: bool = True
) -> None:
    """Run the model's own validation (``full_clean()``) and raise the result as InvalidInput.

    Also refuses control characters in every text field. Raises InvalidInput (status 422)
    naming each refused field; the caller's transaction then stores nothing. ``constraints``
    False skips ``Meta.constraints`` (a query each), for a bulk writer that ensures them
    otherwise and says how.
    """
    errors: dict[str, list] = {}
    try:
        instance.full_clean(exclude=exclude, validate_constraints=constraints)
    except ValidationError as exc:
        errors.update(exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list})
    try:
        validate_strings(instance)
    except ValidationError as exc:
        for name, found in exc.error_dict.items():
            if name not in (exclude or []):
                errors.setdefault(name, found)
    if errors:
        raise InvalidInput.from_validation_error(ValidationError(errors))
