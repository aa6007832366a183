"""Form helpers shared by the apps' pages."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from .errors import DomainError


def add_domain_error(
    form: forms.BaseForm, error: DomainError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's refusal beside the form field it names, else at the top of the form.

    ``field_map`` maps model field names to form field names where they differ (e.g. a
    session's ``start`` is the form's ``date``).
    """
    for name, messages in error.errors.items():
        target = (field_map or {}).get(name, name)
        if name == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
