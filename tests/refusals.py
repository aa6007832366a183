"""Reading which fields a refusal names, on a page and in an API answer (shared by the tables)."""

import re

# An id of only ASCII digits that no bigint column can hold.
HUGE = "99999999999999999999"


def page_fields(html: str) -> set[str]:
    """Return the form fields the page shows an error beside (without the form's prefix)."""
    return {name.rpartition("-")[2] for name in re.findall(r'id="id_([\w-]+)_errors"', html)}


def api_fields(response) -> set[str]:
    """Return the fields a 4xx answer names: every refusal carries ``errors`` (bouwplaats.api)."""
    return set(response.json()["errors"])
