"""Bouwplaats's one Dutch date format (issue 15 §8, issue 16 §10), over Django's own for nl.

``{{ value|date }}`` and ``date_format(value)`` say "dinsdag 15 december 2026";
``|date:"DATETIME_FORMAT"`` adds the clock: "dinsdag 15 december 2026, 09:30". A time span is
written "09:30–12:00" (TIME_FORMAT on both ends). Machine formats (ISO in ``<time
datetime>``, date inputs, CSV, ICS, the API) do not come from here.
"""

from django.conf.locale.nl.formats import *  # noqa: F403
from django.conf.locale.nl.formats import DATE_INPUT_FORMATS as _DJANGO_DATE_INPUT_FORMATS

DATE_FORMAT = "l j F Y"  # dinsdag 15 december 2026
DATETIME_FORMAT = "l j F Y, H:i"  # dinsdag 15 december 2026, 09:30
TIME_FORMAT = "H:i"  # 09:30
# The first is what a date field renders into its input: ISO, the only value an
# <input type="date"> shows (a "15-12-2026" there shows as empty and is lost on saving).
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DJANGO_DATE_INPUT_FORMATS if f != "%Y-%m-%d")]
