"""Form helpers shared by the apps' pages."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .uploads import MiB

FILE_ERRORS = {"required": _("Kies eerst een bestand."), "empty": _("Het bestand is leeg.")}


def add_domain_error(
    form: forms.BaseForm, error: DomainError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's refusal beside the form field it names, else at the top of the form.

    ``field_map`` maps model field names to form field names where they differ (e.g. a
    session's ``start`` is the form's ``date``). A nested field's dotted path
    (``blocks.0.title``) goes beside the form field of its first part when the form has no
    field of its own for it.
    """
    for name, messages in error.errors.items():
        target = (field_map or {}).get(name, name)
        if target not in form.fields and "." in name:
            first = name.partition(".")[0]
            target = (field_map or {}).get(first, first)
        if name == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


def required_by_rule(field: forms.Field, note=None) -> forms.Field:
    """Mark ``field`` as required by a service's rule although the form lets it be empty.

    The shared form include then leaves out "(niet verplicht)" and shows ``note`` instead
    (e.g. "verplicht, tenzij de sessie online is") when given. Returns ``field``.
    """
    field.required_by_rule = True
    field.requirement = note
    return field


def _document_help(max_bytes: int) -> str:
    return gettext(
        "PDF, Word, Excel, PowerPoint, OpenDocument, CSV of platte tekst, hoogstens %(size)s MB."
    ) % {"size": max_bytes // MiB}


def document_file_field(*, label, max_bytes: int, required: bool = True) -> forms.FileField:
    """Return the form field of one document, its types and limit in the help text.

    The checks themselves (type by content, size) are core.uploads.check_document's, run by
    the service, so page and API refuse alike.
    """
    return forms.FileField(
        label=label,
        required=required,
        error_messages=FILE_ERRORS,
        help_text=lazy(_document_help, str)(max_bytes),
    )


#: Django's empty option of a select (``BLANK_CHOICE_DASH``, ``ModelChoiceField.empty_label``).
DJANGO_EMPTY_LABEL = "---------"


def name_empty_choices(form: forms.BaseForm) -> None:
    """Give every select of ``form`` that still shows Django's "---------" a Dutch empty option.

    "Maak een keuze" where a choice is required, "Geen" where none may be chosen. Labels a
    form sets itself ("Kies een programma") are kept.
    """
    for field in form.fields.values():
        label = _("Maak een keuze") if field.required else _("Geen")
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            if field.empty_label == DJANGO_EMPTY_LABEL:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
                field.choices = [("", label), *choices[1:]]
