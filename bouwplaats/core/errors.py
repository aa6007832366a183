"""One domain error that services raise and that pages and the API map to a response."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the action; ``message`` is shown to the person (Dutch)."""

    status_code = 400

    def __init__(self, message=None, *, code: str = "invalid", status_code: int | None = None):
        self.message = message or _("Deze actie is niet toegestaan.")
        self.code = code
        if status_code is not None:
            self.status_code = status_code
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    """The caller may not do this (maps to 403)."""

    status_code = 403
