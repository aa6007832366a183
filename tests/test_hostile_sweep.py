"""A deterministic hostile-input sweep over the fixed interfaces (shared/API.md).

Every operation of the OpenAPI document of /api/v1 is sent, as the roles that reach it
(visitor, a member who plans works, a programme-team member, a platform administrator), bodies,
query and path parameters people really send: 10,000-character strings, NUL and other control
characters, right-to-left, emoji and combining characters, lone surrogates, wrong JSON types,
huge and negative numbers, NaN and Infinity, missing and extra fields, malformed JSON, the wrong
content type, out-of-range dates and broken GeoJSON. Each answer is below 500 and JSON with a
``detail`` when refused, and a refused write stores nothing. The management commands of
API.md get bad arguments (a CommandError, never a traceback) and the main form pages get the
same values (below 500, and a Dutch error summary when the form comes back).

Each case is its own test id (``role-METHOD path-where.field=kind``); the demo content is loaded
once for the module and every case runs in a savepoint that is rolled back.
"""

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from bouwplaats.api import api
from tests.row_counts import row_count

OPENAPI = api.get_openapi_schema(path_prefix="/api/v1")
COMPONENTS = OPENAPI["components"]["schemas"]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

# Demo members per role (bouwplaats/accounts/demo.py); the visitor sends no token.
ROLES = {
    "visitor": None,
    "member": "robert.middelhuis@demo.bouwplaats.nl",
    "team": "jaco.pieper@demo.bouwplaats.nl",
    "staff": "beheer@demo.bouwplaats.nl",
}

# --- hostile values ---------------------------------------------------------------------------

TEXT = {
    "long": "é" * 9_999 + "💥",
    "nul": "voor\x00na",
    "control": "\x1b[31mrood\x07\x08\x0b\x7f\x85",
    "bidi": "\u202egnirts\u202c 👩\u200d👩\u200d👧 e\u0301\u0327 \ufdfd",
    "surrogate": "\ud800-x-\udfff\udc80",
}
TYPES = {
    "list": [1, "a"],
    "object": {"a": 1},
    "word_for_int": "twaalf",
    "int_2_63": 2**63,
    "int_10_40": 10**40,
    "negative": -1,
    "zero": 0,
    "nan": float("nan"),
    "infinity": float("inf"),
    "float_1e308": 1e308,
    "bool": True,
    "null": None,
}
DATES = {
    "year0": "0000-01-01",
    "year9999": "9999-12-31",
    "feb30": "2026-02-30",
    "year10000": "10000-01-01",
    "year9999_west": "9999-12-31T23:30:00-01:00",
    "year1_east": "0001-01-01T00:30:00+01:00",
    "zero_date": "0000-00-00",
    "year99999": "99999-01-01",
}
FIELD_VALUES = {**TEXT, **TYPES, **DATES}
# The values each kind of field gets (the first two also as a member; runtime).
VALUES_BY_TYPE = {
    "string": ["nul", "long", "control", "bidi", "surrogate", "list", "int_2_63", "null", "mega"],
    "date": [
        "year0",
        "feb30",
        "year9999",
        "year10000",
        "year9999_west",
        "year1_east",
        "nul",
        "zero_date",
        "year99999",
    ],
    "integer": [
        "int_2_63",
        "word_for_int",
        "int_10_40",
        "negative",
        "zero",
        "nan",
        "infinity",
        "float_1e308",
        "list",
        "null",
    ],
    "boolean": ["word_for_int", "list", "null", "int_2_63"],
    "object": ["list", "word_for_int", "nul_key", "long_key"],
    "array": ["list_of_nul", "list_of_long", "word_for_int", "object", "null", "list_10001"],
}
EXTRA_VALUES = {
    "nul_key": {"vr\x00aag": "antwoord", "vraag": "ant\x00woord"},
    "long_key": {"v" * 10_000: "a" * 10_000},
    "list_of_nul": ["a\x00b"],
    "list_of_long": ["é" * 10_000],
    "list_10001": ["x"] * 10_001,
    # One megabyte of text in one field (a paste of a whole document; under the body limit).
    "mega": "x" * 1_000_000,
}
SHORT_VALUES = {k: FIELD_VALUES[k] for k in ("nul", "long", "surrogate", "list", "int_2_63")}


def _values_for(prop: dict) -> dict:
    """Return the hostile values for a body field of this JSON schema, by its type."""
    prop = _resolve(prop)
    options = [_resolve(s) for s in prop.get("anyOf", [prop]) if _resolve(s).get("type") != "null"]
    first = options[0] if options else prop
    kind = first.get("type", "string")
    if kind == "string" and first.get("format") in {"date", "date-time"}:
        kind = "date"
    if kind == "number":
        kind = "integer"
    names = VALUES_BY_TYPE.get(kind, VALUES_BY_TYPE["string"])
    return {name: {**FIELD_VALUES, **EXTRA_VALUES}[name] for name in names}


QUERY_VALUES = {
    "long": "é" * 9_999 + "💥",
    "nul": "a\x00b",
    "control": "\x1b[31m\x7f",
    "bidi": TEXT["bidi"],
    "bad_utf8": b"\xed\xa0\x80\xff".decode("latin-1"),  # sent percent-encoded as raw bytes
    "negative": "-1",
    "zero": "0",
    "int_2_63": str(2**63),
    "int_10_40": str(10**40),
    "word": "twaalf",
    "nan": "NaN",
    "infinity": "Infinity",
    "float": "1e308",
    "empty": "",
    "year0": "0000-01-01",
    "feb30": "2026-02-30",
    "year10000": "10000-01-01",
    "zero_date": "0000-00-00",
    "year99999": "99999-01-01",
}
PAGING_VALUES = {
    k: QUERY_VALUES[k] for k in ("negative", "int_2_63", "word", "nan", "empty", "long")
}
PATH_VALUES = {
    "zero": "0",
    "int_2_63": str(2**63),
    "word": "twaalf",
    "arabic_digits": "١٢",
    "nul": "1\x00",
    "long": "9" * 10_000,
}


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


RAW_BODIES = {
    # name: (bytes or None for the baseline, content type)
    "malformed_json": (b'{"title": "half', "application/json"),
    "empty": (b"", "application/json"),
    "json_list": (b"[1, 2]", "application/json"),
    "json_string": (b'"tekst"', "application/json"),
    "json_null": (b"null", "application/json"),
    "json_number": (b"12", "application/json"),
    "json_nan": (b"NaN", "application/json"),
    "deep_nesting": (_deep(100_000), "application/json"),
    "bad_utf8": (b'{"title": "\xff\xfe\xed\xa0\x80"}', "application/json"),
    "bom": (None, "application/json; bom"),
    "text_plain": (None, "text/plain"),
    "form_encoded": (None, "application/x-www-form-urlencoded"),
    "missing_fields": (b"{}", "application/json"),
    "extra_fields": (None, "application/json; extra"),
}

# --- the schema's operations and a plausible body for each ------------------------------------


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rpartition("/")[2]]
    return schema


# Integer fields that name an object: resolved at run time to a demo object's id.
ID_FIELDS = {"programme": "@programme", "organisation": "@organisation"}


def _example(schema: dict, name: str = ""):
    """Return a plausible value for ``schema`` (required fields only), ids as placeholders."""
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [_resolve(s) for s in schema[key] if _resolve(s).get("type") != "null"]
            return _example(options[0], name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    later = name in {"end", "closes_on", "to", "until"}
    if kind == "object":
        required = schema.get("required", [])
        props = schema.get("properties", {})
        return {k: _example(v, k) for k, v in props.items() if k in required}
    if kind == "array":
        if schema.get("minItems", 0) or name in {"scores"}:
            return [_example(schema.get("items", {}), name)]
        return []
    if kind == "integer":
        if name in ID_FIELDS:
            return ID_FIELDS[name]
        low = schema.get("minimum", 1)
        return max(low, min(1, schema.get("maximum", 1)))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date":
        return "2027-03-02" if later else "2027-03-01"
    if fmt == "date-time":
        return "2027-03-01T12:00:00+01:00" if later else "2027-03-01T10:00:00+01:00"
    if fmt == "email" or "email" in name:
        return "sweep.lid@example.nl"
    if schema.get("pattern"):
        return "sweep"
    return "Tekst van de sweep"


def _body_schema(operation: dict) -> tuple[str | None, dict]:
    content = operation.get("requestBody", {}).get("content", {})
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            return media, _resolve(content[media]["schema"])
    return None, {}


WORK_PROPERTIES = {
    "kind": "riolering",
    "title": "Vervangen riolering Molenstraat",
    "start": "2027-03-01",
    "end": "2027-05-01",
    "hindrance": "afsluiting",
}
# Ede, near the demo's works (WGS84).
LINE = {"type": "LineString", "coordinates": [[5.665, 52.04], [5.666, 52.0401]]}


def _feature(geometry=None, **properties):
    return {
        "type": "Feature",
        "geometry": LINE if geometry is None else geometry,
        "properties": {**WORK_PROPERTIES, **properties},
    }


def _ring(*points):
    return [list(p) for p in points]


GEOJSON = {
    "self_intersecting": {
        "type": "Polygon",
        "coordinates": [
            _ring((5.66, 52.04), (5.67, 52.05), (5.67, 52.04), (5.66, 52.05), (5.66, 52.04))
        ],
    },
    "polygon_one_level_short": {
        "type": "Polygon",
        "coordinates": _ring((5.66, 52.04), (5.67, 52.05), (5.67, 52.04), (5.66, 52.04)),
    },
    "line_one_level_deep": {"type": "LineString", "coordinates": [LINE["coordinates"]]},
    "point_nested": {"type": "Point", "coordinates": [[5.66, 52.04]]},
    "coordinates_1e308": {"type": "LineString", "coordinates": [[1e308, 1e308], [-1e308, 1e308]]},
    "coordinates_nan": {"type": "Point", "coordinates": [float("nan"), float("inf")]},
    "coordinates_text": {"type": "Point", "coordinates": ["vijf", "52"]},
    "coordinates_null": {"type": "Point", "coordinates": [None, None]},
    "point_one_number": {"type": "Point", "coordinates": [5.66]},
    "point_four_numbers": {"type": "Point", "coordinates": [5.66, 52.04, 1, 2]},
    "empty_ring": {"type": "Polygon", "coordinates": [[]]},
    "no_rings": {"type": "Polygon", "coordinates": []},
    "two_point_ring": {"type": "Polygon", "coordinates": [_ring((5.66, 52.04), (5.66, 52.04))]},
    "unclosed_ring": {
        "type": "Polygon",
        "coordinates": [_ring((5.66, 52.04), (5.67, 52.05), (5.67, 52.04), (5.66, 52.05))],
    },
    "one_point_line": {"type": "LineString", "coordinates": [[5.66, 52.04]]},
    "empty_multipolygon": {"type": "MultiPolygon", "coordinates": [[[]]]},
    "unknown_type": {"type": "Circle", "coordinates": [5.66, 52.04], "radius": 10},
    "geometry_collection": {"type": "GeometryCollection", "geometries": [LINE, LINE]},
    "geometry_null": None,
    "geometry_list": [LINE],
    "geometry_text": "LINESTRING(5.66 52.04, 5.67 52.05)",
    "rd_out_of_range": {"type": "Point", "coordinates": [9_000_000, -9_000_000]},
    "many_points": {
        "type": "LineString",
        "coordinates": [[5.66 + i * 1e-6, 52.04] for i in range(20_000)],
    },
}
FEATURE_BODIES = {
    "collection_empty": {"type": "FeatureCollection", "features": []},
    "collection_features_text": {"type": "FeatureCollection", "features": "geen"},
    "collection_features_numbers": {"type": "FeatureCollection", "features": [1, 2]},
    "collection_crs_text": {"type": "FeatureCollection", "crs": "x", "features": [_feature()]},
    "collection_bad_crs": {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:\x009999"}},
        "features": [_feature()],
    },
    "collection_one_bad_of_two": {
        "type": "FeatureCollection",
        "features": [_feature(external_id="SWEEP-1"), _feature(start="2026-02-30")],
    },
    "properties_null": {"type": "Feature", "geometry": LINE, "properties": None},
    "properties_list": {"type": "Feature", "geometry": LINE, "properties": []},
    "feature_without_geometry": {"type": "Feature", "properties": WORK_PROPERTIES},
    "type_missing": {"geometry": LINE, "properties": WORK_PROPERTIES},
}


def _cases():
    """Yield (test id, case dict) for every operation, role and hostile value."""
    for path, operations in OPENAPI["paths"].items():
        for method, operation in operations.items():
            method = method.upper()
            short = path.removeprefix("/api/v1")
            params = operation.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]
            query_names = [p["name"] for p in params if p["in"] == "query"]
            media, body_schema = _body_schema(operation)
            is_works = method == "POST" and short == "/works"
            if is_works:
                media, baseline = "application/json", _feature()
            elif media == "application/json":
                baseline = _example(body_schema)
            else:
                baseline = None
            base = {"method": method, "path": path, "media": media, "body": baseline}

            def case(role, where, kind, *, _m=method, _p=short, _b=base, **change):
                return f"{role}-{_m} {_p}-{where}={kind}", {**_b, "role": role, **change}

            # The operation as sent normally, by every role.
            for role in ROLES:
                yield case(role, "baseline", "plain")
            # Path parameters: parsed before any permission, so one role suffices.
            for name in path_names:
                for kind, value in PATH_VALUES.items():
                    yield case("staff", f"path.{name}", kind, path_values={name: value})
            for name in query_names:
                paging = name in {"limit", "offset"}
                for kind, value in (PAGING_VALUES if paging else QUERY_VALUES).items():
                    yield case("staff", f"query.{name}", kind, query={name: value})
                if not paging:
                    for kind in ("long", "nul", "bad_utf8"):
                        yield case(
                            "visitor", f"query.{name}", kind, query={name: QUERY_VALUES[kind]}
                        )
            if query_names:
                over_long = dict.fromkeys(query_names, "9" * 3_000)
                over_long.update({f"extra{i}": "x" * 500 for i in range(100)})
                yield case("staff", "query", "over_long", query=over_long)
                repeated = [(query_names[0], str(i)) for i in range(1_000)]
                yield case("staff", "query", "repeated", query=repeated)
            if media == "multipart/form-data":
                yield from _multipart_cases(case, body_schema)
                continue
            if media is None:
                continue
            for kind in RAW_BODIES:
                yield case("staff", "body", kind, raw=kind)
            for kind in ("malformed_json", "deep_nesting", "json_list"):
                yield case("visitor", "body", kind, raw=kind)
            if is_works:
                for kind, geometry in GEOJSON.items():
                    body = _feature(geometry)
                    if geometry is None:
                        body["geometry"] = None
                    yield case("member", "body.geometry", kind, body=body)
                for kind, body in FEATURE_BODIES.items():
                    yield case("member", "body", kind, body=body)
                one = _resolve(operation["requestBody"]["content"]["application/json"]["schema"])
                props = one["oneOf"][0]["properties"]["properties"]["properties"]
                fields = {f"properties.{k}": (k, v) for k, v in props.items()}
            else:
                fields = {k: (k, v) for k, v in body_schema.get("properties", {}).items()}
            for label, (_name, prop) in fields.items():
                values = _values_for(prop)
                for kind, value in values.items():
                    yield case("staff", f"body.{label}", kind, field=(label, value))
                for kind in list(values)[:2]:
                    yield case("member", f"body.{label}", kind, field=(label, values[kind]))
            # One level down: the first item of a list of objects (parts, blocks, answers, …).
            for name, prop in body_schema.get("properties", {}).items():
                items = _resolve(_resolve(prop).get("items", {}))
                if _resolve(prop).get("type") != "array" or items.get("type") != "object":
                    continue
                for sub in items.get("properties", {}):
                    for kind, value in SHORT_VALUES.items():
                        yield case(
                            "staff", f"body.{name}[0].{sub}", kind, item=(name, items, sub, value)
                        )


FILE_NAMES = {
    "long_name": "é" * 300 + ".pdf",
    "nul_name": "verslag\x00.pdf",
    "bidi_name": "verslag\u202efdp.exe",
    "control_name": "\x1b[31mverslag\x07.pdf",
    "no_name": "",
}


def _multipart_cases(case, body_schema):
    text_fields = [k for k, v in body_schema.get("properties", {}).items() if k != "file"]
    for role in ("visitor", "member", "staff"):
        yield case(role, "multipart", "no_file", multipart={"fields": {}, "file": None})
    for kind, name in FILE_NAMES.items():
        yield case("staff", "multipart.file", kind, multipart={"fields": {}, "file": name})
    for field in text_fields:
        for kind, value in {**TEXT, "surrogate": b"\xed\xa0\x80\xff"}.items():
            multipart = {"fields": {field: value}, "file": "verslag.pdf"}
            yield case("staff", f"multipart.{field}", kind, multipart=multipart)
    for kind in ("text_plain", "malformed_json"):
        yield case("staff", "body", kind, raw=kind)


CASES = dict(_cases())

# --- the demo world ---------------------------------------------------------------------------


def _first(model: str, **filters):
    return apps.get_model(model).objects.filter(**filters).order_by("pk").first()


def _path_ids() -> dict[str, dict[str, int]]:
    """Return, per path parameter, real demo ids (with the parents they belong to)."""
    now = timezone.now()
    session = _first("events.Session", status="published", start__gt=now) or _first(
        "events.Session"
    )
    ids = {
        "session_id": {"session_id": session.pk},
        "id": {"id": session.pk},
        "programme_id": {"programme_id": _first("programmes.Programme").pk},
        "organisation_id": {"organisation_id": _first("accounts.Organisation").pk},
    }
    for name, model, parent in [
        ("comment_id", "spaces.Comment", ("id", "session_id")),
        ("photo_id", "spaces.Photo", ("id", "session_id")),
        ("document_id", "spaces.Document", ("id", "session_id")),
        ("list_id", "newsletters.NewsletterList", None),
        ("issue_id", "newsletters.Issue", None),
        ("call_id", "projects.Call", None),
        ("submission_id", "projects.Submission", None),
        ("pilot_id", "projects.Pilot", None),
        ("milestone_id", "projects.PilotMilestone", ("pilot_id", "pilot_id")),
        ("request_id", "projects.SupportRequest", None),
        ("item_id", "knowledge.KnowledgeItem", None),
        ("question_id", "knowledge.Question", None),
        ("answer_id", "knowledge.Answer", None),
        ("work_id", "planning.Work", None),
        ("membership_id", "accounts.OrganisationMembership", None),
    ]:
        obj = _first(model)
        ids[name] = {name: obj.pk if obj else 1}
        if obj is not None and parent:
            ids[name][parent[0]] = getattr(obj, parent[1])
    attachment = _first("projects.Attachment")
    ids["attachment_id"] = {"attachment_id": attachment.pk if attachment else 1}
    if attachment is not None:
        ids["attachment_id"]["call_id"] = attachment.call_id or ids["call_id"]["call_id"]
        if attachment.submission_id:
            ids["attachment_id"]["submission_id"] = attachment.submission_id
    return ids


@pytest.fixture(scope="module")
def _sweep_media(tmp_path_factory):
    return tmp_path_factory.mktemp("sweep-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _sweep_media):
    """Keep the demo's files where the demo content was loaded."""
    settings.MEDIA_ROOT = _sweep_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _sweep_media):
    """Load the demo once for the module; return tokens, users and ids of demo objects.

    It stays in an outer transaction that each test's own transaction nests in, rolled back
    after the module, so later tests start from an empty database.
    """
    from django.test import override_settings

    from bouwplaats.accounts.models import User
    from bouwplaats.accounts.services import api_token_create

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=_sweep_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            users = {role: User.objects.get(email=e) for role, e in ROLES.items() if e}
            tokens = {r: api_token_create(user=u, name="sweep")[1] for r, u in users.items()}
            member_org = users["member"].organisation_id or _first("accounts.Organisation").pk
            # One client per role for the module: a new Client loads the middleware again,
            # and WhiteNoise's scan of the static files takes a second each time.
            clients = {role: Client(raise_request_exception=False) for role in ROLES}
            for role, user in users.items():
                clients[role].force_login(user)
            yield {
                "clients": clients,
                "tokens": tokens,
                "users": users,
                "ids": _path_ids(),
                "placeholders": {
                    "@programme": _first("programmes.Programme").pk,
                    "@organisation": member_org,
                },
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _fill(value, placeholders):
    if isinstance(value, str) and value in placeholders:
        return placeholders[value]
    if isinstance(value, dict):
        return {k: _fill(v, placeholders) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, placeholders) for v in value]
    return value


def _set(body: dict, label: str, value) -> dict:
    body = json.loads(json.dumps(body))
    target = body
    *parents, last = label.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value
    return body


def _show(value) -> str:
    text = repr(value)
    return text if len(text) < 80 else f"{text[:60]}… ({len(text)} characters)"


def _failure(response) -> str:
    """Return the exception behind a 5xx: type, message and the innermost project frame."""
    if not getattr(response, "exc_info", None):
        return repr(response.content[:300])
    kind, error, trace = response.exc_info
    frame = ""
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if "/bouwplaats/" in name and "site-packages" not in name:
            frame = f"{name.split('/work/main/')[-1]}:{trace.tb_lineno}"
        trace = trace.tb_next
    return f"{kind.__name__}: {str(error)[:200]} (at {frame})"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), "orange").save(out, format="PNG")
    return out.getvalue()


def _request(client: Client, spec: dict, world) -> tuple:
    """Send one case; return (response, a one-line description of what was sent)."""
    method = spec["method"].lower()
    path = spec["path"]
    values = {}
    for name in re.findall(r"{(\w+)}", path):
        values.update({k: v for k, v in world["ids"][name].items() if f"{{{k}}}" in path})
    values.update(spec.get("path_values", {}))
    for name, value in values.items():
        path = path.replace(f"{{{name}}}", quote(str(value), safe=""))
    headers = {}
    if spec["role"] != "visitor":
        headers["Authorization"] = f"Bearer {world['tokens'][spec['role']]}"
    query = spec.get("query")
    if query is not None:
        pairs = query.items() if isinstance(query, dict) else query
        # latin-1 keeps the raw bytes of "bad_utf8"; everything else goes as UTF-8.
        parts = []
        for name, value in pairs:
            raw = value.encode("latin-1") if value == QUERY_VALUES["bad_utf8"] else value.encode()
            parts.append(f"{quote(name)}={quote(raw, safe='')}")
        headers["QUERY_STRING"] = "&".join(parts)
    kwargs = {"headers": {k: v for k, v in headers.items() if k == "Authorization"}}
    if "QUERY_STRING" in headers:
        kwargs["QUERY_STRING"] = headers["QUERY_STRING"]
    body = _fill(spec["body"], world["placeholders"]) if spec["body"] is not None else None
    sent = f"{spec['method']} {path[:120]}"
    if "QUERY_STRING" in kwargs:
        sent += f"?{kwargs['QUERY_STRING'][:120]}"
    if "multipart" in spec:
        data = dict(spec["multipart"]["fields"])
        name = spec["multipart"]["file"]
        if name is not None:
            content = _png() if "photos" in path else b"%PDF-1.4\n%sweep\n"
            if "photos" in path and name.endswith(".pdf"):
                name = name[:-4] + ".png"
            upload = io.BytesIO(content)
            upload.name = name
            data["file"] = upload
        sent += f" multipart={_show(spec['multipart'])}"
        return getattr(client, method)(path, data=data, **kwargs), sent
    if "raw" in spec:
        raw, content_type = RAW_BODIES[spec["raw"]]
        if raw is None:
            payload = body if isinstance(body, dict) else {}
            if content_type.endswith("extra"):
                payload = {**payload, "id": 1, "zzz_extra": "x", "is_staff": True, "status": "x"}
            if content_type == "application/x-www-form-urlencoded":
                raw = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in payload.items()).encode()
            else:
                raw = json.dumps(payload).encode()
            if content_type.endswith("bom"):
                raw = b"\xef\xbb\xbf" + raw
            content_type = content_type.split(";")[0]
        sent += f" [{spec['raw']}]"
        return getattr(client, method)(path, data=raw, content_type=content_type, **kwargs), sent
    if "field" in spec:
        label, value = spec["field"]
        body = _set(body, label, value)
        sent += f" {label}={_show(value)}"
    if "item" in spec:
        name, items, sub, value = spec["item"]
        item = _fill(_example(items), world["placeholders"])
        item[sub] = value
        body = {**body, name: [item]}
        sent += f" {name}[0].{sub}={_show(value)}"
    if spec["method"] in {"POST", "PATCH", "PUT"} and body is not None:
        data = json.dumps(body, allow_nan=True)
        return getattr(client, method)(
            path, data=data, content_type="application/json", **kwargs
        ), sent
    return getattr(client, method)(path, **kwargs), sent


@pytest.mark.parametrize("spec", CASES.values(), ids=CASES.keys())
def test_api_answers_hostile_input_with_a_4xx(spec, world, db):
    client = world["clients"]["visitor"]
    writes = spec["method"] in WRITES
    before = row_count() if writes else None
    response, sent = _request(client, spec, world)
    assert response.status_code < 500, f"{sent} -> {response.status_code} {_failure(response)}"
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), sent
        body = response.json()
        assert "detail" in body, f"{sent} -> {response.content[:300]!r}"
        if response.status_code == 422:
            assert {"code", "errors"} <= set(body), f"{sent} -> {response.content[:300]!r}"
        if writes:
            stored = row_count() - before
            assert stored == 0, f"{sent} -> {response.status_code}, {stored} rows stored"
    elif spec.get("field") or spec.get("item") or spec.get("raw"):
        # Accepted: fine for text a person may write, never for a NUL or a lone surrogate.
        kind = spec["field"][1] if spec.get("field") else None
        assert kind not in (TEXT["nul"], TEXT["surrogate"]), f"{sent} -> {response.status_code}"


# --- management commands (API.md) -------------------------------------------------------------

COMMANDS = {
    "create_api_token-nul": ["create_api_token", "lid\x00@example.nl", "--create-user"],
    "create_api_token-long": ["create_api_token", "a" * 10_000 + "@example.nl", "--create-user"],
    "create_api_token-not_an_email": ["create_api_token", "geen adres", "--create-user"],
    "create_api_token-empty": ["create_api_token", "", "--create-user"],
    "create_api_token-bidi": ["create_api_token", "\u202eln.elpmaxe@dil", "--create-user"],
    "create_api_token-surrogate": ["create_api_token", "lid\ud800@example.nl", "--create-user"],
    "create_api_token-control": ["create_api_token", "lid\x1b[31m@example.nl", "--create-user"],
    "create_api_token-unknown": ["create_api_token", "onbekend@example.nl"],
    "create_api_token-long_name": [
        "create_api_token",
        "lid@example.nl",
        "--create-user",
        "--name",
        "n" * 10_000,
    ],
    "create_api_token-nul_name": [
        "create_api_token",
        "lid@example.nl",
        "--create-user",
        "--name",
        "a\x00b",
    ],
    "create_api_token-no_email": ["create_api_token"],
    "create_api_token-unknown_option": ["create_api_token", "lid@example.nl", "--bogus"],
    "load_demo-unknown_option": ["load_demo", "--bogus"],
    "load_demo-extra_argument": ["load_demo", "extra"],
    "db_worker-interval_word": ["db_worker", "--batch", "--interval", "twaalf"],
    "db_worker-max_tasks_word": ["db_worker", "--batch", "--max-tasks", "veel"],
    "db_worker-unknown_backend": ["db_worker", "--batch", "--backend", "\x00onbekend"],
    "db_worker-unknown_option": ["db_worker", "--bogus"],
}


@pytest.mark.parametrize("argv", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_command_refuses_bad_arguments_with_a_command_error(argv, db):
    from bouwplaats.accounts.models import ApiToken, User

    before = (User.objects.count(), ApiToken.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command(*argv, stdout=io.StringIO(), stderr=io.StringIO())
    assert str(refused.value).strip()
    assert (User.objects.count(), ApiToken.objects.count()) == before


# --- the main form pages ----------------------------------------------------------------------


class _Forms(HTMLParser):
    """Collect every POST form's action and fields (name -> first value) from a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {
                "action": a.get("action") or "",
                "fields": {},
                "text": set(),
                "choices": set(),
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "option" and self._select and self._select not in fields and a.get("value"):
            fields[self._select] = a["value"]
        if not a.get("name"):
            return
        name = a["name"]
        fields = self._form["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a and name not in fields:
                    fields[name] = a.get("value", "on")
                return
            fields.setdefault(name, a.get("value") or "")
            if kind not in {"hidden"}:
                self._form["text"].add(name)
        elif tag == "textarea":
            fields.setdefault(name, "")
            self._form["text"].add(name)
        elif tag == "select":
            self._select = name
            self._form["choices"].add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None


def _page_paths(world) -> dict[str, tuple[str, str]]:
    session = _first("events.Session", status="published", start__gt=timezone.now())
    newsletter = _first("newsletters.NewsletterList")
    call = _first("projects.Call")
    question = _first("knowledge.Question")
    # (role, the page that shows the form, the address it posts to)
    return {
        "signup": ("visitor", "/account/signup/", None),
        "login": ("visitor", "/account/login/", None),
        "profile": ("member", "/profiel/", None),
        "tokens": ("member", "/profiel/sleutels/", None),
        "session_create": ("staff", "/sessies/organiseer/", None),
        "session_edit": ("staff", f"/sessies/{session.pk}/wijzigen/", None),
        "question_create": ("member", "/kennis/vragen/nieuw/", None),
        "answer_create": ("member", f"/kennis/vragen/{question.pk}/", "antwoorden/"),
        "knowledge_create": ("staff", "/kennis/nieuw/", None),
        "subscribe": ("visitor", f"/nieuwsflits/{newsletter.slug}/", "aanmelden/"),
        "issue_new": ("staff", f"/nieuwsflits/{newsletter.slug}/nieuw/", None),
        "call_create": ("staff", "/oproepen/nieuw/", None),
        "submission_create": ("member", f"/oproepen/{call.pk}/aanmelden/", None),
        "work_create": ("member", "/werk-met-werk/nieuw/", None),
    }


PAGES = [
    "signup",
    "login",
    "profile",
    "tokens",
    "session_create",
    "session_edit",
    "question_create",
    "answer_create",
    "knowledge_create",
    "subscribe",
    "issue_new",
    "call_create",
    "submission_create",
    "work_create",
]
PAGE_VALUES = {**TEXT, "year0": "0000-01-01", "feb30": "2026-02-30", "huge": str(10**40)}
ERROR_SUMMARY = re.compile(r"Er (is een probleem|zijn \d+ problemen)")


def _post_form(form_name, world, value, field_set):
    """POST the page's largest form with ``value`` in every field of ``field_set`` ("text":
    inputs and text areas, "choices": selects); return (description, response, rows before)."""
    role, path, action = _page_paths(world)[form_name]
    target = path + action if action else path
    client = world["clients"][role]
    form_page = client.get(path)
    assert form_page.status_code == 200, f"GET {path} -> {form_page.status_code}"
    parser = _Forms()
    parser.feed(form_page.content.decode())
    forms = [f for f in parser.forms if f["action"] in {"", path, target} and f["text"]]
    if action:
        forms = [f for f in forms if f["action"] == target]
    assert forms, f"no form posting to {target} on {path}"
    form = max(forms, key=lambda f: len(f["text"]))
    data = {**form["fields"], **dict.fromkeys(form[field_set], value)}
    # Encode by hand: the test client refuses lone surrogates; a browser sends their bytes,
    # which Django decodes as U+FFFD.
    body = "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in data.items()
    )
    before = row_count()
    response = client.post(target, data=body, content_type="application/x-www-form-urlencoded")
    return f"POST {target} {sorted(form[field_set])}={_show(value)}", response, before


@pytest.mark.parametrize("kind", PAGE_VALUES)
@pytest.mark.parametrize("form_name", PAGES)
def test_a_form_page_refuses_hostile_input_in_dutch(form_name, kind, world, db):
    value = PAGE_VALUES[kind]
    sent, response, before = _post_form(form_name, world, value, "text")
    assert response.status_code < 500, f"{sent} -> {response.status_code} {_failure(response)}"
    refused = response.status_code >= 400 or ERROR_SUMMARY.search(response.content.decode())
    if refused:
        assert response.status_code >= 400 or response.status_code == 200, sent
        assert row_count() - before == 0, f"{sent} -> refused, yet rows stored"
    else:
        # Accepted (a redirect, or a page that shows the result): never with a NUL stored.
        assert kind != "nul", f"{sent} -> {response.status_code}: accepted"


# What a select's value may be when sent by hand instead of chosen (ids, choice keys).
CHOICE_VALUES = {
    "int_2_63": str(2**63),
    "huge": str(10**40),
    "negative": "-1",
    "arabic_digits": "١٢",
    "nul": "1\x00",
    "long": "9" * 10_000,
    "unknown": "bestaat-niet",
}


@pytest.mark.parametrize("kind", CHOICE_VALUES)
@pytest.mark.parametrize("form_name", PAGES)
def test_a_form_page_refuses_a_hostile_choice_in_dutch(form_name, kind, world, db):
    sent, response, before = _post_form(form_name, world, CHOICE_VALUES[kind], "choices")
    assert response.status_code < 500, f"{sent} -> {response.status_code} {_failure(response)}"
    if response.status_code >= 400 or ERROR_SUMMARY.search(response.content.decode()):
        assert row_count() - before == 0, f"{sent} -> refused, yet rows stored"


def test_the_sweep_covers_every_operation():
    operations = {(m.upper(), p) for p, ops in OPENAPI["paths"].items() for m in ops}
    swept = {(spec["method"], spec["path"]) for spec in CASES.values()}
    assert operations == swept
    assert len(CASES) > 1_000
