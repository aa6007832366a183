"""Field types shared by the apps' API schemas."""

import datetime
from typing import Annotated

from pydantic import AfterValidator

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def _plausible(value: datetime.datetime) -> datetime.datetime:
    # Years near 1 or 9999 overflow when converted to UTC for the database.
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"Kies een tijdstip tussen {EARLIEST_YEAR} en {LATEST_YEAR}.")
    return value


PlausibleDatetime = Annotated[datetime.datetime, AfterValidator(_plausible)]
