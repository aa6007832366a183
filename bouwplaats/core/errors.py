"""One domain error that services raise and that pages and the API map to a response."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the action; ``message`` is shown to the person (Dutch).

    ``code`` names the field concerned when there is one (pages put the message beside it,
    the API returns it as ``code``), else the kind of refusal.
    """

    status_code = 400

    def __init__(self, message=None, *, code: str = "invalid", status_code: int | None = None):
        self.message = message or _("Deze actie is niet toegestaan.")
        self.code = code
        if status_code is not None:
            self.status_code = status_code
        super().__init__(str(self.message))

    @property
    def errors(self) -> dict[str, list[str]]:
        """Return the messages per field (``__all__`` when no field is concerned)."""
        return {self.code: [str(self.message)]}


class NotAllowed(DomainError):
    """The caller may not do this (maps to 403)."""

    status_code = 403


class InvalidInput(DomainError):
    """One or more fields hold values the model refuses (maps to 422).

    ``field_errors`` maps field names to their Dutch messages; ``code`` is the first field.
    """

    status_code = 422

    def __init__(self, field_errors: dict[str, list[str]]):
        self.field_errors = {name: [str(m) for m in found] for name, found in field_errors.items()}
        field, messages = next(iter(self.field_errors.items()))
        super().__init__(messages[0], code="__all__" if field == NON_FIELD_ERRORS else field)

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> "InvalidInput":
        """Return the InvalidInput of a Django ValidationError (``full_clean()``'s result)."""
        if hasattr(exc, "error_dict"):
            return cls({name: [m for e in found for m in e.messages]
                        for name, found in exc.error_dict.items()})  # fmt: skip
        return cls({NON_FIELD_ERRORS: exc.messages})

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.field_errors
