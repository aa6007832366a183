"""Field types shared by the apps' API schemas, built from the models' own rules.

``model_field(Session, "title")`` gives the schema the model field's ``max_length``, its
choices, integer range and its validators, so the OpenAPI document shows the limits and the API
refuses what the page refuses, with the field named (422).
"""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from pydantic import AfterValidator, BeforeValidator, Field

from .validation import (
    BIGINT_MAX,
    EARLIEST_YEAR,
    INT_MAX,
    LATEST_YEAR,
    validate_plausible_year,
    validate_text,
)


def _plausible(value: datetime.date) -> datetime.date:
    try:
        validate_plausible_year(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return value


PlausibleDatetime = Annotated[datetime.datetime, AfterValidator(_plausible)]
"""An instant in the years EARLIEST_YEAR–LATEST_YEAR (core.validation)."""

PlausibleDate = Annotated[datetime.date, AfterValidator(_plausible)]
"""A date in the years EARLIEST_YEAR–LATEST_YEAR (core.validation)."""


def _ascii_digits(value: Any) -> Any:
    # Python and pydantic accept "1_000", " 12" and "+5" as integers; an id is plain digits.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("Een id bestaat uit cijfers (0-9).")
    return value


DbId = Annotated[int, Field(ge=1, le=BIGINT_MAX), BeforeValidator(_ascii_digits)]
"""A primary key: ASCII digits, 1 to 2**63 - 1 (the range of a bigint column)."""

Slug = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")]
"""A slug or a choice key (ASCII letters, digits, ``-`` and ``_``; 1–100): never reaches the
database with a NUL byte, which PostgreSQL refuses in text."""


def _django_validators(validators) -> AfterValidator:
    def run(value):
        if value is None:
            return value
        try:
            for validator in validators:
                validator(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from exc
        return value

    return AfterValidator(run)


_INT_RANGES = {
    models.PositiveSmallIntegerField: (0, 32767),
    models.SmallIntegerField: (-32768, 32767),
    models.PositiveIntegerField: (0, INT_MAX),
    models.IntegerField: (-INT_MAX - 1, INT_MAX),
    models.PositiveBigIntegerField: (0, BIGINT_MAX),
    models.BigIntegerField: (-BIGINT_MAX - 1, BIGINT_MAX),
}


def model_field(model: type[models.Model], name: str, **extra: Any) -> Any:
    """Return an ``Annotated`` pydantic type carrying the rules of ``model``'s field ``name``.

    Text fields get ``max_length``, the control-character check and the field's validators;
    choices become a ``Literal``; integer fields get their column's range; date fields the
    plausible years. ``extra`` goes to ``pydantic.Field`` (e.g. ``description``). Nullability
    and defaults are the schema's to declare.
    """
    field = model._meta.get_field(name)
    constraints: dict[str, Any] = {}
    validators = [v for v in field.validators if not _is_builtin_limit(v)]
    if isinstance(field, models.CharField | models.TextField):
        base: Any = str
        if field.choices:
            base = Literal[tuple(value for value, _label in field.flatchoices)]
        if field.max_length:
            constraints["max_length"] = field.max_length
        validators = [validate_text, *validators]
    elif isinstance(field, models.BooleanField):
        base = bool
    elif isinstance(field, models.IntegerField):
        base = int
        for cls, (low, high) in _INT_RANGES.items():
            if isinstance(field, cls):
                constraints["ge"], constraints["le"] = low, high
                break
        # The model's own Min/MaxValueValidators narrow the column's range.
        for validator in field.validators:
            if isinstance(validator, MinValueValidator) and not callable(validator.limit_value):
                constraints["ge"] = max(constraints.get("ge", validator.limit_value),
                                        validator.limit_value)  # fmt: skip
            if isinstance(validator, MaxValueValidator) and not callable(validator.limit_value):
                constraints["le"] = min(constraints.get("le", validator.limit_value),
                                        validator.limit_value)  # fmt: skip
    elif isinstance(field, models.DateTimeField):
        base = datetime.datetime
        validators = [validate_plausible_year, *validators]
    elif isinstance(field, models.DateField):
        base = datetime.date
        validators = [validate_plausible_year, *validators]
    elif isinstance(field, models.FloatField | models.DecimalField):
        base = float
    else:
        raise TypeError(f"model_field does not map {type(field).__name__}")
    constraints.update(extra)
    return Annotated[base, Field(**constraints), _django_validators(validators)]


def _is_builtin_limit(validator) -> bool:
    # max_length and integer ranges are declared as constraints above, so OpenAPI shows them.
    return isinstance(
        validator,
        MaxLengthValidator
        | MinValueValidator
        | MaxValueValidator
        | ProhibitNullCharactersValidator,
    )


__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "DbId",
    "PlausibleDate",
    "PlausibleDatetime",
    "model_field",
]
