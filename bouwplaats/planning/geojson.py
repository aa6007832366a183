"""Works as GeoJSON Features: the one builder behind the map pages and the API.

Two shapes of the same Feature: ``data`` (the API: stored values, codes) and ``display``
(the map: Dutch labels, owner colour, period, link). Who may see the internal properties is
decided by the caller through permissions.can_view_internal.
"""

from functools import lru_cache

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import get_script_prefix
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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
    elif work.owner.contact:
        # The owner's public contact (Organisation.contact, "publiek contact"; PRODUCT.md
        # §6): residents see whom to ask. A work's own contact is internal and never here.
        props["contact"] = work.owner.contact
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


# The columns ``map_rows`` reads, in order; the geometry last, as its stored JSON text
# (``map_values``), written into the page as it is (orjson.Fragment): no list per vertex
# to build, encode and collect again.
MAP_COLUMNS = (
    "id",
    "title",
    "owner_id",
    "owner__name",
    "owner__contact",
    "department",
    "kind",
    "start",
    "end",
    "hindrance",
    "status",
)


def map_values(works):
    """Return ``works`` (a queryset) as ``map_rows``'s rows: ``MAP_COLUMNS`` and the geometry
    as JSON text."""
    return works.values_list(*MAP_COLUMNS, Cast("geometry", output_field=TextField()))


def map_rows(rows, combos=(), conflicts=(), *, internal: bool) -> dict:
    """Return ``map_data`` for ``map_values`` rows: the same Features.

    The map page draws up to 1,000 works: read as tuples, with the language, the labels and
    the link pattern looked up once, building them costs milliseconds instead of a model
    object and a dozen translation look-ups per work. Each geometry is an ``orjson.Fragment``
    of the stored GeoJSON (``plain`` turns the data into plain values).
    """
    from .models import _department_label

    language = get_language()
    before, after = _detail_pattern(language, get_script_prefix())
    fragment = orjson.Fragment
    features = []
    for row in rows:
        pk, title, owner_id, owner, contact, department, kind, start, end, hindrance = row[:10]
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
            props["status"] = _translated("status", row[10], language)
            props["url"] = f"{before}{pk}{after}"
        elif contact:
            props["contact"] = contact
        features.append(
            {"type": "Feature", "id": pk, "geometry": fragment(row[11]), "properties": props}
        )
    return {
        "works": {"type": "FeatureCollection", "features": features},
        **_links(combos, conflicts),
    }


def plain(data):
    """Return map data with its geometry fragments parsed: plain dicts and lists."""
    return orjson.loads(orjson.dumps(data, default=_lazy_text))


# What Django's json_script escapes, so that no text closes the <script> element; replaced
# in the bytes (str.translate walks a non-ASCII text character by character).
_SCRIPT_ESCAPES = ((b">", b"\\u003E"), (b"<", b"\\u003C"), (b"&", b"\\u0026"))


def _lazy_text(value):
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(type(value).__name__)


def json_script(value, element_id: str) -> SafeString:
    """Return ``value`` as Django's ``json_script`` does, serialised by orjson.

    The map's thousand Features: the stdlib encoder took most of the page's time. Lazy
    translations become text; dates ISO 8601 as DjangoJSONEncoder writes them.
    """
    data = orjson.dumps(value, default=_lazy_text)
    for char, escaped in _SCRIPT_ESCAPES:
        data = data.replace(char, escaped)
    text = data.decode()
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )


def legend_rows(rows) -> list[dict]:
    """Return ``legend`` for ``map_values`` rows."""
    seen = {}
    for row in rows:
        seen.setdefault(row[2], {"name": row[3], "colour": owner_colour(row[2])})
    return sorted(seen.values(), key=lambda item: item["name"])
