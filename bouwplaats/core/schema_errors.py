"""Dutch messages for pydantic's refusals in the API (the schema layer answers in English).

``dutch_message(error)`` reads one pydantic error dict (``type``, ``msg``, ``ctx``) as ninja
hands it to the API's ``schema_error`` handler and returns a Dutch sentence with the limit
that was broken. Types: https://docs.pydantic.dev/latest/errors/validation_errors/
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# pydantic's value_error / assertion_error prefix their own text to the validator's message.
_PREFIXES = ("Value error, ", "Assertion failed, ")


def _count(singular: str, plural: str, ctx: dict, key: str) -> str:
    """Return the ngettext form for the whole-number limit ``ctx[key]``."""
    number = ctx.get(key)
    n = number if isinstance(number, int) else 2
    return ngettext(singular, plural, n) % {"n": number}


def _expected(ctx: dict) -> str:
    """Return pydantic's list of allowed values ("'a', 'b' or 'c'") with a Dutch "of"."""
    return str(ctx.get("expected", "")).replace(" or ", " of ")


def _value_error(error: dict) -> str:
    """Return a validator's own (Dutch) message; pydantic's English ones in Dutch."""
    ctx = error.get("ctx") or {}
    text = str(ctx.get("error") or error.get("msg") or "")
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.startswith("value is not a valid email address"):
        return _("Geef een geldig e-mailadres op.")
    return text or _("Deze waarde is ongeldig.")


MESSAGES = {
    "missing": lambda e, c: _("Dit veld is verplicht."),
    "string_too_long": lambda e, c: _count(
        "Gebruik hoogstens %(n)s teken.", "Gebruik hoogstens %(n)s tekens.", c, "max_length"
    ),
    "string_too_short": lambda e, c: (
        _("Dit veld mag niet leeg zijn.")
        if c.get("min_length") == 1
        else _count(
            "Gebruik minstens %(n)s teken.", "Gebruik minstens %(n)s tekens.", c, "min_length"
        )
    ),
    "string_type": lambda e, c: _("Geef tekst op."),
    "string_pattern_mismatch": lambda e, c: _("Deze tekst heeft niet de juiste vorm."),
    "string_unicode": lambda e, c: _("Geef geldige tekst (UTF-8) op."),
    "int_parsing": lambda e, c: _("Geef een geheel getal op."),
    "int_type": lambda e, c: _("Geef een geheel getal op."),
    "int_from_float": lambda e, c: _("Geef een geheel getal op, zonder decimalen."),
    "int_parsing_size": lambda e, c: _("Dit getal is te groot."),
    "float_parsing": lambda e, c: _("Geef een getal op."),
    "float_type": lambda e, c: _("Geef een getal op."),
    "decimal_parsing": lambda e, c: _("Geef een getal op."),
    "decimal_type": lambda e, c: _("Geef een getal op."),
    "finite_number": lambda e, c: _("Geef een eindig getal op."),
    "bool_parsing": lambda e, c: _("Geef ja of nee op (true of false)."),
    "bool_type": lambda e, c: _("Geef ja of nee op (true of false)."),
    "greater_than": lambda e, c: _("Geef een getal groter dan %(n)s op.") % {"n": c.get("gt")},
    "greater_than_equal": lambda e, c: (
        _("Geef een getal van minstens %(n)s op.") % {"n": c.get("ge")}
    ),
    "less_than": lambda e, c: _("Geef een getal kleiner dan %(n)s op.") % {"n": c.get("lt")},
    "less_than_equal": lambda e, c: (
        _("Geef een getal van hoogstens %(n)s op.") % {"n": c.get("le")}
    ),
    "multiple_of": lambda e, c: _("Geef een veelvoud van %(n)s op.") % {"n": c.get("multiple_of")},
    "too_long": lambda e, c: _count(
        "Geef hoogstens %(n)s waarde op.", "Geef hoogstens %(n)s waarden op.", c, "max_length"
    ),
    "too_short": lambda e, c: _count(
        "Geef minstens %(n)s waarde op.", "Geef minstens %(n)s waarden op.", c, "min_length"
    ),
    "list_type": lambda e, c: _("Geef een lijst op."),
    "dict_type": lambda e, c: _("Geef een object op."),
    "model_type": lambda e, c: _("Geef een object op."),
    "model_attributes_type": lambda e, c: _("Geef een object op."),
    "extra_forbidden": lambda e, c: _("Dit veld is onbekend."),
    "url_parsing": lambda e, c: _("Geef een geldig webadres op, zoals https://voorbeeld.nl."),
    "url_type": lambda e, c: _("Geef een geldig webadres op, zoals https://voorbeeld.nl."),
    "url_syntax_violation": lambda e, c: _(
        "Geef een geldig webadres op, zoals https://voorbeeld.nl."
    ),
    "url_scheme": lambda e, c: (
        _("Een webadres begint met %(n)s.") % {"n": c.get("expected_schemes", "https://")}
    ),
    "url_too_long": lambda e, c: _count(
        "Gebruik hoogstens %(n)s teken.", "Gebruik hoogstens %(n)s tekens.", c, "max_length"
    ),
    "date_parsing": lambda e, c: _("Geef een datum op als JJJJ-MM-DD."),
    "date_type": lambda e, c: _("Geef een datum op als JJJJ-MM-DD."),
    "date_from_datetime_parsing": lambda e, c: _("Geef een datum op als JJJJ-MM-DD."),
    "date_from_datetime_inexact": lambda e, c: _("Geef een datum op zonder tijd."),
    "datetime_parsing": lambda e, c: _("Geef een datum en tijd op als JJJJ-MM-DDTUU:MM."),
    "datetime_type": lambda e, c: _("Geef een datum en tijd op als JJJJ-MM-DDTUU:MM."),
    "datetime_from_date_parsing": lambda e, c: _("Geef een datum en tijd op als JJJJ-MM-DDTUU:MM."),
    "datetime_object_invalid": lambda e, c: _("Deze datum of tijd bestaat niet."),
    "time_parsing": lambda e, c: _("Geef een tijd op als UU:MM."),
    "time_type": lambda e, c: _("Geef een tijd op als UU:MM."),
    "uuid_parsing": lambda e, c: _("Geef een geldige UUID op."),
    "uuid_type": lambda e, c: _("Geef een geldige UUID op."),
    "enum": lambda e, c: _("Kies een van: %(n)s.") % {"n": _expected(c)},
    "literal_error": lambda e, c: _("Kies een van: %(n)s.") % {"n": _expected(c)},
    "json_invalid": lambda e, c: _("De aanvraag is geen geldige JSON."),
    "json_type": lambda e, c: _("De aanvraag is geen geldige JSON."),
    "value_error": lambda e, c: _value_error(e),
    "assertion_error": lambda e, c: _value_error(e),
}


def dutch_message(error: dict) -> str:
    """Return the Dutch message for one pydantic error dict (``type``, ``msg``, ``ctx``);
    an unknown type says the value is not valid rather than answer in English."""
    translate = MESSAGES.get(str(error.get("type", "")))
    if translate is None:
        return _("Deze waarde is ongeldig.")
    return str(translate(error, error.get("ctx") or {}))
