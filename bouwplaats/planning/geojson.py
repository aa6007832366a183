"""Works as GeoJSON Features: the one builder behind the map pages and the API.

Two shapes of the same Feature: ``data`` (the API: stored values, codes) and ``display``
(the map: Dutch labels, owner colour, period, link). Who may see the internal properties is
decided by the caller through permissions.can_view_internal.
"""

from django.utils.formats import date_format

from .models import Work

# Distinct on white and for colour-blind readers; owners are told apart by name too.
PALETTE = ["#01689b", "#ca005d", "#275937", "#8a6100", "#5b2c8f", "#007b7f", "#a33e00", "#42145f"]


def owner_colour(owner_id: int) -> str:
    return PALETTE[owner_id % len(PALETTE)]


def _period(work: Work) -> str:
    return f"{date_format(work.start)} – {date_format(work.end)}"


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


def _display_properties(work: Work, *, internal: bool) -> dict:
    props = {
        "id": work.pk,
        "title": work.title,
        "owner": work.owner_label if internal else work.owner.name,
        "colour": owner_colour(work.owner_id),
        "kind": work.get_kind_display(),
        "period": _period(work),
        "start": work.start.isoformat(),
        "end": work.end.isoformat(),
        "hindrance": work.get_hindrance_display(),
    }
    if internal:
        props["status"] = work.get_status_display()
        props["url"] = work.get_absolute_url()
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


def map_data(works, combos=(), conflicts=(), *, internal: bool) -> dict:
    """Return what planning.js draws: the works, and the pairs to link by id."""
    return {
        "works": {
            "type": "FeatureCollection",
            "features": [work_feature(w, internal=internal, display=True) for w in works],
        },
        "combinations": [{"a": c["work_a"], "b": c["work_b"], "score": c["score"]} for c in combos],
        "conflicts": [
            {"a": c["work_a"], "b": c["work_b"], "severity": c["severity"]} for c in conflicts
        ],
    }


def legend(works) -> list[dict]:
    """Return the owners on the map, each with its colour, by name."""
    seen = {}
    for work in works:
        seen.setdefault(
            work.owner_id, {"name": work.owner.name, "colour": owner_colour(work.owner_id)}
        )
    return sorted(seen.values(), key=lambda item: item["name"])
