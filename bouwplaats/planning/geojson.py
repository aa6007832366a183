"""Works as GeoJSON Features: the one builder behind the map pages and the API.

Two shapes of the same Feature: ``data`` (the API: stored values, codes) and ``display``
(the map: Dutch labels, owner colour, period, link). Who may see the internal properties is
decided by the caller through permissions.can_view_internal.
"""

from functools import lru_cache

from django.urls import get_script_prefix
from django.utils.formats import date_format
from django.utils.translation import get_language

from .models import Work, _detail_pattern, work_url

# Distinct on white and for colour-blind readers; owners are told apart by name too.
PALETTE = ["#01689b", "#ca005d", "#275937", "#8a6100", "#5b2c8f", "#007b7f", "#a33e00", "#42145f"]


def owner_colour(owner_id: int) -> str:
    return PALETTE[owner_id % len(PALETTE)]


@lru_cache(maxsize=8192)
def _day(day, language: str | None) -> str:
    # The map shows thousands of works over a few hundred distinct days: each formatted once
    # per language (date_format reads the active one).
    return date_format(day)


def _period(work: Work) -> str:
    language = get_language()
    return f"{_day(work.start, language)} – {_day(work.end, language)}"


def _data_properties(work: Work, *, internal: bool) -> dict:
    props = {
        "id": work.pk,
        "title": work.title,
        "owner": work.owner.name,
        "department": work.department,
        "kind": work.kind,
        "start": work.start.isoformat(),
        "end": work.end.isoformat(),
        "status": work.status,
        "hindrance": work.hindrance,
        "description": work.description,
        "public": work.public,
    }
    if internal:
        # The joint's parts come prefetched (joint__works__owner) on lists.
        owners = [w.owner.name for w in work.joint.works.all()] if work.joint_id else []
        props.update(
            external_id=work.external_id,
            contact=work.contact,
            joint=work.joint_id,
            owners=sorted(set(owners)) or [work.owner.name],
        )
    return props


# The labels by a dict look-up, translated once per language: get_FOO_display() rebuilds a
# hashable copy of the choices on every call, most of the map's time with 2,000 works on it.
LABELS = {
    "kind": dict(Work.Kind.choices),
    "hindrance": dict(Work.Hindrance.choices),
    "status": dict(Work.Status.choices),
}


@lru_cache(maxsize=256)
def _translated(field: str, value: str, language: str | None) -> str:
    return str(LABELS[field].get(value, value))


def _label(work: Work, field: str) -> str:
    return _translated(field, getattr(work, field), get_language())


def detail_url(pk: int) -> str:
    """Return ``Work.get_absolute_url()`` of the work ``pk`` without a reverse() per work."""
    return work_url(pk)


def _detail_url(work: Work) -> str:
    return work_url(work.pk)


def _display_properties(work: Work, *, internal: bool) -> dict:
    # The Feature's own ``id`` identifies it: the map's properties are only what its popup,
    # tooltip, colour and period slider read.
    props = {
        "title": work.title,
        "owner": work.owner_label if internal else work.owner.name,
        "colour": owner_colour(work.owner_id),
        "kind": _label(work, "kind"),
        "period": _period(work),
        "start": work.start.isoformat(),
        "end": work.end.isoformat(),
        "hindrance": _label(work, "hindrance"),
    }
    if internal:
        props["status"] = _label(work, "status")
        props["url"] = _detail_url(work)
    return props


def work_feature(work: Work, *, internal: bool, display: bool = False) -> dict:
    """Return ``work`` as a GeoJSON Feature (geometry in WGS84).

    ``internal``: add what only members see (API: external id, contact, joint; map: status,
    department, link). ``display``: labels for the map instead of the stored codes.
    """
    build = _display_properties if display else _data_properties
    return {
        "type": "Feature",
        "id": work.pk,
        "geometry": work.geometry,
        "properties": build(work, internal=internal),
    }


def _links(combos, conflicts) -> dict:
    """Return the pairs planning.js links by id: combinations and conflicts."""
    return {
        "combinations": [{"a": c["work_a"], "b": c["work_b"], "score": c["score"]} for c in combos],
        "conflicts": [
            {"a": c["work_a"], "b": c["work_b"], "severity": c["severity"]} for c in conflicts
        ],
    }


def map_data(works, combos=(), conflicts=(), *, internal: bool) -> dict:
    """Return what planning.js draws: the works, and the pairs to link by id."""
    return {
        "works": {
            "type": "FeatureCollection",
            "features": [work_feature(w, internal=internal, display=True) for w in works],
        },
        **_links(combos, conflicts),
    }


def legend(works) -> list[dict]:
    """Return the owners on the map, each with its colour, by name."""
    seen = {}
    for work in works:
        seen.setdefault(
            work.owner_id, {"name": work.owner.name, "colour": owner_colour(work.owner_id)}
        )
    return sorted(seen.values(), key=lambda item: item["name"])


# The columns ``map_rows`` reads, in order.
MAP_COLUMNS = (
    "id",
    "title",
    "owner_id",
    "owner__name",
    "department",
    "kind",
    "start",
    "end",
    "hindrance",
    "status",
    "geometry",
)


def map_rows(rows, combos=(), conflicts=(), *, internal: bool) -> dict:
    """Return ``map_data`` for ``values_list(*MAP_COLUMNS)`` rows: the same Features.

    The map page draws up to 2,000 works: read as tuples, with the language, the labels and
    the link pattern looked up once, building them costs milliseconds instead of a model
    object and a dozen translation look-ups per work.
    """
    from .models import _department_label

    language = get_language()
    before, after = _detail_pattern(language, get_script_prefix())
    features = []
    for pk, title, owner_id, owner, department, kind, start, end, hindrance, status, geo in rows:
        props = {
            "title": title,
            "owner": owner,
            "colour": owner_colour(owner_id),
            "kind": _translated("kind", kind, language),
            "period": f"{_day(start, language)} – {_day(end, language)}",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "hindrance": _translated("hindrance", hindrance, language),
        }
        if internal:
            if department:
                label = _department_label(department, language).lower()
                props["owner"] = f"{owner} ({label})"
            props["status"] = _translated("status", status, language)
            props["url"] = f"{before}{pk}{after}"
        features.append({"type": "Feature", "id": pk, "geometry": geo, "properties": props})
    return {
        "works": {"type": "FeatureCollection", "features": features},
        **_links(combos, conflicts),
    }


def legend_rows(rows) -> list[dict]:
    """Return ``legend`` for ``values_list(*MAP_COLUMNS)`` rows."""
    seen = {}
    for row in rows:
        seen.setdefault(row[2], {"name": row[3], "colour": owner_colour(row[2])})
    return sorted(seen.values(), key=lambda item: item["name"])
