"""Benchmark werk-met-werk: full analysis and one-save re-check on generated works.

Prints one JSON object per size on stdout:

- ``seconds``: the full combinations + conflicts analysis (best of the repeats);
- ``baseline_seconds``: a bare shapely STRtree build plus ``query(..., predicate="dwithin",
  distance=25)`` bulk query over the same geometries, in the same run; ``ratio`` =
  baseline / ours (1.0 means the analysis costs no more than the bare query);
- ``save_p95_ms``: p95 of re-checking one saved work the way a request does it
  (``selectors.work_checks``: the indexed SQL window on SQLite, then an STRtree over the
  candidates), with all works stored in a throwaway database; ``check_one_p95_ms``: the
  same check against the in-memory set with its tree built once; ``update_p95_ms``: a
  whole save through ``services.work_update`` (validation, RD New conversion, the row,
  the audit entry) followed by that re-check. Storing a million rows
  in SQLite takes minutes, so with ``--full`` the 1,000,000 line has ``save_p95_ms: null``
  and only ``check_one_p95_ms``;
- ``growth_vs_nlogn``: (time ratio between this size and the previous one) divided by
  the n·log n ratio; about 1 means n·log n growth. ``baseline_growth_vs_nlogn`` is the
  same for the bare query, to tell the analysis's growth from the machine's (caches).

Then one line per database (``"bench": "planning_volume"``; SQLite, and PostgreSQL: a
throwaway database on the server ``DATABASE_URL`` names if that is PostgreSQL, else a
throwaway cluster as ``bench/registration_rush.py`` starts one) at production volume:
100,000 works in one region (the generator's 20 km × 20 km), of which the last 20,000 come
in as a netbeheerder's yearly upload through ``POST /api/v1/works`` in parts of 5,000:

- ``import_per_s``: works per second of that upload (reading, checks, the rows, audit entries,
  search index, the pairs); ``baseline_insert_per_s``: a bare ``bulk_create`` of the same
  kind of rows, prebuilt, in the same run; ``import_ratio`` = import / baseline;
- ``combinations_p95_ms``, ``conflicts_p95_ms`` (the API lists, 50 per page at a random
  offset, a member's token), ``map_p95_ms`` and ``list_p95_ms`` (the pages, signed in);
- ``recompute_ms``: the full analysis with its rows loaded, as every such request did before
  the pairs were stored: ``*_ratio`` = recompute_ms / that p95 (how many times faster);
- ``load_average``: the machine's 1-minute load before and after (it is shared).

With ``--import-only`` it prints just one ``"bench": "planning_import"`` line (see
``import_speed``): 20,000 works uploaded through the API handler into a database holding
20,000, in works/s, against a bare ``bulk_create`` of the same rows in the same run. Its
database: ``PLANNING_IMPORT_DB``, else a throwaway database on the PostgreSQL server
``DATABASE_URL`` names (dropped after), else a temporary SQLite file. With
``PLANNING_IMPORT_PROFILE=<file>`` the first upload runs under cProfile (CPU seconds), its
stats written there.

Usage: ``.venv/bin/python bench/planning.py [--full] [--sizes 10000,100000]
[--no-volume] [--import-only]``.
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import shapely
from shapely import STRtree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Ede, in RD New metres. 100,000 works spread over 20 km × 20 km around it; other sizes keep
# that density (a bigger region, not a denser city), so the pairs found grow with n.
CENTRE = (174_000.0, 448_000.0)
HALF_AT_100K = 10_000.0
OWNERS = 25
REPEATS = 3
SAVE_SAMPLES = 200
DB_LIMIT = 100_000


def generate(n: int, seed: int = 2026):
    """Return generated works as plain arrays (RD New geometries)."""
    rng = np.random.default_rng(seed + n)
    half = HALF_AT_100K * math.sqrt(n / 100_000)
    x = CENTRE[0] + rng.uniform(-half, half, n)
    y = CENTRE[1] + rng.uniform(-half, half, n)
    kind = rng.choice(3, size=n, p=[0.3, 0.4, 0.3])
    geoms = np.empty(n, dtype=object)
    points = kind == 0
    geoms[points] = shapely.points(x[points], y[points])
    lines = np.flatnonzero(kind == 1)
    angle = rng.uniform(0, np.pi, len(lines))
    length = rng.uniform(20, 300, len(lines))
    mid = rng.uniform(0.3, 0.7, len(lines))
    coords = np.stack(
        [
            np.column_stack([x[lines], y[lines]]),
            np.column_stack(
                [
                    x[lines] + mid * length * np.cos(angle) + rng.normal(0, 5, len(lines)),
                    y[lines] + mid * length * np.sin(angle) + rng.normal(0, 5, len(lines)),
                ]
            ),
            np.column_stack([x[lines] + length * np.cos(angle), y[lines] + length * np.sin(angle)]),
        ],
        axis=1,
    )
    geoms[lines] = shapely.linestrings(coords)
    boxes = kind == 2
    width = rng.uniform(10, 120, boxes.sum())
    height = rng.uniform(10, 120, boxes.sum())
    geoms[boxes] = shapely.box(x[boxes], y[boxes], x[boxes] + width, y[boxes] + height)
    start = datetime.date(2026, 1, 1).toordinal() + rng.integers(0, 3 * 365, n)
    end = start + rng.integers(0, 240, n)
    return {
        "ids": np.arange(1, n + 1),
        "geoms": geoms,
        "owners": rng.integers(0, OWNERS, n),
        "start": start,
        "end": end,
        "hindrance": rng.choice(4, size=n, p=[0.4, 0.2, 0.25, 0.15]),
        "done": rng.random(n) < 0.05,
        "joint": np.full(n, -1),
    }


def timed(func):
    began = time.perf_counter()
    result = func()
    return time.perf_counter() - began, result


def baseline(geoms):
    tree = STRtree(geoms)
    return tree.query(geoms, predicate="dwithin", distance=25.0)


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = db_path if "://" in db_path else f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bouwplaats.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _owners() -> list:
    from bouwplaats.accounts.models import Organisation

    return [
        Organisation.objects.get_or_create(name=f"Bench-eigenaar {i}")[0] for i in range(OWNERS)
    ]


def _wgs_geojson(geoms) -> np.ndarray:
    from bouwplaats.planning.geo import to_wgs84

    wgs = shapely.transform(geoms, lambda xy: np.column_stack(to_wgs84().transform(*xy.T)))
    return shapely.to_geojson(shapely.set_precision(wgs, 1e-7))


def store(data) -> list:
    """Store the generated works; return a sample of saved Work objects to re-check."""
    from bouwplaats.planning.models import Work

    Work.objects.all().delete()
    indices = np.arange(len(data["geoms"]))
    rows = _bulk_rows(data, indices, _owners(), _wgs_geojson(data["geoms"]))
    Work.objects.bulk_create(rows, batch_size=5000)
    rng = np.random.default_rng(7)
    sample = rng.choice(Work.objects.values_list("pk", flat=True), SAVE_SAMPLES, replace=False)
    return list(Work.objects.filter(pk__in=sample.tolist()))


def save(work) -> None:
    """Save a work again the way the page and the API do, then re-check it."""
    from bouwplaats.accounts.models import User
    from bouwplaats.planning import selectors, services

    staff = User.objects.filter(email="bench@example.nl").first() or User.objects.create_user(
        "bench@example.nl", is_staff=True
    )
    feature = {
        "type": "Feature",
        "geometry": work.geometry,
        "properties": {
            "title": work.title + " (bijgewerkt)",
            "kind": work.kind,
            "start": work.start.isoformat(),
            "end": work.end.isoformat(),
            "status": work.status,
            "hindrance": work.hindrance,
        },
    }
    saved = services.work_update(actor=staff, work=work, feature=feature)
    selectors.work_checks(work=saved)


def p95(values) -> float:
    return float(np.percentile(np.asarray(values) * 1000, 95))


def run(n: int, *, with_db: bool) -> dict:
    from bouwplaats.planning import analysis

    data = generate(n)
    ours_times, base_times = [], []
    # Small sizes run in tens of milliseconds: more repeats keep their best time steady.
    for _ in range(max(REPEATS, min(15, 300_000 // n))):
        t, _pairs = timed(lambda: baseline(data["geoms"]))
        base_times.append(t)
        ws = analysis.WorkSet(**data)
        t, (combos, conflicts) = timed(lambda ws=ws: analysis.analyse(ws))
        ours_times.append(t)
    ws = analysis.WorkSet(**data)
    ws.tree  # noqa: B018 - build once, as a long-running process would
    rng = np.random.default_rng(11)
    check_times = [
        timed(lambda i=int(i): analysis.check_one(ws, i))[0]
        for i in rng.integers(0, n, SAVE_SAMPLES)
    ]
    result = {
        "bench": "planning",
        "works": n,
        "seconds": round(min(ours_times), 4),
        "combinations": len(combos),
        "conflicts": len(conflicts),
        "heavy_conflicts": int(conflicts.heavy.sum()),
        "baseline_seconds": round(min(base_times), 4),
        "ratio": round(min(base_times) / min(ours_times), 3),
        "save_p95_ms": None,
        "check_one_p95_ms": round(p95(check_times), 3),
    }
    if with_db:
        from bouwplaats.planning import selectors

        sample = store(data)
        save_times = [timed(lambda w=w: selectors.work_checks(work=w))[0] for w in sample]
        result["save_p95_ms"] = round(p95(save_times), 2)
        result["update_p95_ms"] = round(p95([timed(lambda w=w: save(w))[0] for w in sample]), 2)
    return result


# PLANNING_VOLUME / PLANNING_UPLOAD make a quick trial run smaller.
VOLUME = int(os.environ.get("PLANNING_VOLUME", "100000"))
UPLOAD = int(os.environ.get("PLANNING_UPLOAD", "20000"))
UPLOAD_PART = 5_000
READS = 40


def _features(data, indices, wgs_geojson) -> list[dict]:
    hindrance = ["geen", "beperkt", "rijstrook", "afsluiting"]
    features = []
    for i in indices:
        start = datetime.date.fromordinal(int(data["start"][i]))
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(wgs_geojson[i]),
                "properties": {
                    "owner": f"Bench-eigenaar {data['owners'][i]}",
                    "kind": "kabels en leidingen",
                    "title": f"Kabelwerk {i}",
                    "start": start.isoformat(),
                    "end": datetime.date.fromordinal(int(data["end"][i])).isoformat(),
                    "status": "gereed" if data["done"][i] else "gepland",
                    "hindrance": hindrance[data["hindrance"][i]],
                    "external_id": f"JAAR-{i}",
                },
            }
        )
    return features


def _bulk_rows(data, indices, owners, wgs_geojson):
    from bouwplaats.planning.models import Work

    geoms = data["geoms"][indices]
    wkb = shapely.to_wkb(geoms)
    bounds = shapely.bounds(geoms)
    hindrance = ["geen", "beperkt", "rijstrook", "afsluiting"]
    rows = []
    for n, i in enumerate(indices):
        minx, miny, maxx, maxy = bounds[n]
        rows.append(
            Work(
                owner=owners[data["owners"][i]],
                title=f"Werk {i}",
                kind="riolering",
                geometry=json.loads(wgs_geojson[i]),
                rd_wkb=wkb[n],
                rd_minx=minx,
                rd_miny=miny,
                rd_maxx=maxx,
                rd_maxy=maxy,
                rd_span=max(maxx - minx, maxy - miny),
                start=datetime.date.fromordinal(int(data["start"][i])),
                end=datetime.date.fromordinal(int(data["end"][i])),
                status="gereed" if data["done"][i] else "gepland",
                hindrance=hindrance[data["hindrance"][i]],
            )
        )
    return rows


def _p95_ms(call, samples: int = READS) -> float:
    call()  # warm: the first request loads templates, translations, URL patterns
    return round(p95([timed(call)[0] for _ in range(samples)]), 1)


def volume() -> dict:
    """Measure the upload and the reads at production volume (Django set up already)."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bouwplaats.accounts.models import User
    from bouwplaats.accounts.services import api_token_create
    from bouwplaats.planning import analysis, pairs, selectors
    from bouwplaats.planning.models import Combination, Conflict, Work

    load_before = round(os.getloadavg()[0], 2)
    data = generate(VOLUME)
    wgs_geojson = _wgs_geojson(data["geoms"])
    owners = _owners()
    staff = User.objects.create_user("volume@example.nl", is_staff=True)
    _token, key = api_token_create(user=staff, name="bench")
    stored = np.arange(VOLUME - UPLOAD)
    rows = _bulk_rows(data, stored, owners, wgs_geojson)
    seconds, _ = timed(lambda: Work.objects.bulk_create(rows, batch_size=2000))
    baseline_insert = len(rows) / seconds
    rebuild_seconds, _ = timed(pairs.pairs_rebuild)
    client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {key}"})
    features = _features(data, range(VOLUME - UPLOAD, VOLUME), wgs_geojson)
    upload_seconds = 0.0
    for at in range(0, UPLOAD, UPLOAD_PART):
        part = features[at : at + UPLOAD_PART]
        body = json.dumps({"type": "FeatureCollection", "features": part})
        took, response = timed(
            lambda body=body: client.post(
                "/api/v1/works", data=body, content_type="application/geo+json"
            )
        )
        if response.status_code != 201:
            raise RuntimeError(f"upload refused: {response.status_code} {response.content[:300]}")
        upload_seconds += took
    assert Work.objects.count() == VOLUME
    rng = np.random.default_rng(3)
    combos, conflicts = Combination.objects.count(), Conflict.objects.count()

    def page(path, total):
        offset = int(rng.integers(0, max(total - 50, 1)))
        response = client.get(path, {"limit": 50, "offset": offset})
        assert response.status_code == 200, response.status_code

    pages = Client(HTTP_HOST="localhost")
    pages.force_login(staff)

    def html(name):
        response = pages.get(reverse(name))
        assert response.status_code == 200, response.status_code

    result = {
        "bench": "planning_volume",
        "database": connection.vendor,
        "works": VOLUME,
        "upload": UPLOAD,
        "combinations": combos,
        "conflicts": conflicts,
        "import_per_s": round(UPLOAD / upload_seconds, 1),
        "baseline_insert_per_s": round(baseline_insert, 1),
        "import_ratio": round(UPLOAD / upload_seconds / baseline_insert, 3),
        "rebuild_seconds": round(rebuild_seconds, 2),
        "combinations_p95_ms": _p95_ms(lambda: page("/api/v1/works/combinations", combos)),
        "conflicts_p95_ms": _p95_ms(lambda: page("/api/v1/works/conflicts", conflicts)),
        "map_p95_ms": _p95_ms(lambda: html("planning:map"), READS // 2),
        "list_p95_ms": _p95_ms(lambda: html("planning:list"), READS // 2),
    }

    def recompute():
        qs = Work.objects.exclude(status=Work.Status.GEREED)
        return analysis.analyse(selectors.workset_from_rows(selectors._rows(qs)))

    recompute_ms = min(timed(recompute)[0] for _ in range(2)) * 1000
    result["recompute_ms"] = round(recompute_ms, 1)
    for name in ("combinations", "conflicts", "map", "list"):
        result[f"{name}_ratio"] = round(recompute_ms / result[f"{name}_p95_ms"], 2)
    result["load_average"] = [load_before, round(os.getloadavg()[0], 2)]
    return result


IMPORT_STORED = int(os.environ.get("PLANNING_IMPORT_STORED", "20000"))
IMPORT_WORKS = int(os.environ.get("PLANNING_IMPORT_WORKS", "20000"))


def import_speed() -> dict:
    """Measure ``POST /api/v1/works`` alone (Django set up already): one JSON line.

    IMPORT_STORED works are stored first (bulk rows, their pairs rebuilt), then
    IMPORT_WORKS new ones of the same region come in as an upload in parts of UPLOAD_PART,
    through Django's test client and the API handler. ``baseline_per_s``: a bare
    ``bulk_create`` of the same number of prebuilt rows, in the same run (rolled back);
    ``ratio`` = import / baseline. ``reupload_per_s``: the same upload again (every work
    updated, answered 200): unchanged, then with every work's end a day later
    (``reupload_changed_per_s``).
    """
    from django.db import connection, transaction
    from django.test import Client

    from bouwplaats.accounts.models import User
    from bouwplaats.accounts.services import api_token_create
    from bouwplaats.planning import pairs
    from bouwplaats.planning.models import Work

    load_before = round(os.getloadavg()[0], 2)
    total = IMPORT_STORED + IMPORT_WORKS
    data = generate(total)
    wgs_geojson = _wgs_geojson(data["geoms"])
    owners = _owners()
    Work.objects.bulk_create(
        _bulk_rows(data, np.arange(IMPORT_STORED), owners, wgs_geojson), batch_size=2000
    )
    pairs.pairs_rebuild()
    upload = np.arange(IMPORT_STORED, total)
    rows = _bulk_rows(data, upload, owners, wgs_geojson)
    with transaction.atomic():
        baseline, _ = timed(lambda: Work.objects.bulk_create(rows, batch_size=2000))
        transaction.set_rollback(True)
    staff = User.objects.create_user(f"import-{os.getpid()}@example.nl", is_staff=True)
    _token, key = api_token_create(user=staff, name="bench")
    client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {key}"})
    features = _features(data, upload, wgs_geojson)

    def send(expected: int) -> float:
        seconds = 0.0
        for at in range(0, len(features), UPLOAD_PART):
            body = json.dumps(
                {"type": "FeatureCollection", "features": features[at : at + UPLOAD_PART]}
            )
            took, response = timed(
                lambda body=body: client.post(
                    "/api/v1/works", data=body, content_type="application/geo+json"
                )
            )
            if response.status_code != expected:
                raise RuntimeError(f"upload: {response.status_code} {response.content[:300]}")
            seconds += took
        return seconds

    client.get("/api/v1/works", {"limit": 1})  # warm: URL patterns, templates, translations
    profile_to = os.environ.get("PLANNING_IMPORT_PROFILE")
    if profile_to:
        import cProfile

        # CPU seconds of this process (the database server's own work on PostgreSQL not
        # included): less sensitive to a shared machine's load than wall-clock time.
        profiler = cProfile.Profile(time.process_time)
        seconds = profiler.runcall(send, 201)
        profiler.dump_stats(profile_to)
    else:
        seconds = send(201)
    again = send(200)
    # The year after: every work a day longer (the rows, audit entries, search and pairs of
    # each written again), where an unchanged re-upload writes nothing.
    for item in features:
        end = datetime.date.fromisoformat(item["properties"]["end"])
        item["properties"]["end"] = (end + datetime.timedelta(days=1)).isoformat()
    changed = send(200)
    assert Work.objects.count() == total
    return {
        "bench": "planning_import",
        "database": connection.vendor,
        "stored": IMPORT_STORED,
        "works": IMPORT_WORKS,
        "part": UPLOAD_PART,
        "import_per_s": round(IMPORT_WORKS / seconds, 1),
        "baseline_per_s": round(IMPORT_WORKS / baseline, 1),
        "ratio": round(baseline / seconds, 3),
        "reupload_per_s": round(IMPORT_WORKS / again, 1),
        "reupload_changed_per_s": round(IMPORT_WORKS / changed, 1),
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
    }


@contextlib.contextmanager
def _throwaway_postgres(url: str):
    """Yield the URL of a new database on the PostgreSQL server ``url`` names; drop it after."""
    import psycopg

    parts = urlsplit(url)
    name = f"bench_import_{os.getpid()}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _close_django() -> None:
    from django.db import connections

    connections.close_all()


def run_volume(database_url: str) -> dict:
    """Run ``volume()`` in a fresh process on ``database_url``; return its JSON line."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": database_url}
    env["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    done = subprocess.run(
        [sys.executable, __file__, "--volume-on", database_url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"bench": "planning_volume", "database_url": database_url.split("@")[-1],
                "error": done.stderr.strip().splitlines()[-1:]}  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def volumes(tmp: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(json.dumps(run_volume(f"sqlite:///{tmp}/volume.sqlite3")), flush=True)
    from registration_rush import Database

    database = Database(Path(tmp))
    database.name = f"bench_planning_{os.getpid()}"
    try:
        url = database.start()
    except (RuntimeError, OSError) as exc:
        print(json.dumps({"bench": "planning_volume", "database": "postgresql",
                          "skipped": str(exc)}), flush=True)  # fmt: skip
        return
    try:
        print(json.dumps(run_volume(url)), flush=True)
    finally:
        database.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also 1,000,000 works")
    parser.add_argument("--sizes", help="comma-separated sizes instead of the defaults")
    parser.add_argument("--no-volume", action="store_true", help="skip the production volume")
    parser.add_argument("--volume-on", help=argparse.SUPPRESS)
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only POST /api/v1/works (PLANNING_IMPORT_DB, else a throwaway database on the "
        "PostgreSQL server DATABASE_URL names, else a temporary SQLite)",
    )
    # make bench passes the same BENCH_ARGS to every bench: ignore flags meant for others.
    args, _unknown = parser.parse_known_args()
    if args.volume_on:
        setup_django(args.volume_on)
        print(json.dumps(volume()), flush=True)
        return
    if args.import_only:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
            url = os.environ.get("PLANNING_IMPORT_DB") or os.environ.get("DATABASE_URL", "")
            if url.startswith(("postgres://", "postgresql://")):
                with _throwaway_postgres(url) as throwaway:
                    setup_django(throwaway)
                    print(json.dumps(import_speed()), flush=True)
                    _close_django()
            else:
                setup_django(url or f"sqlite:///{tmp}/import.sqlite3")
                print(json.dumps(import_speed()), flush=True)
        return
    sizes = [10_000, 100_000] + ([1_000_000] if args.full else [])
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        previous = None
        for n in sizes:
            result = run(n, with_db=n <= DB_LIMIT)
            if previous is not None:
                time_ratio = result["seconds"] / previous["seconds"]
                nlogn = (n * math.log(n)) / (previous["works"] * math.log(previous["works"]))
                result["growth_vs_nlogn"] = round(time_ratio / nlogn, 3)
                base_ratio = result["baseline_seconds"] / previous["baseline_seconds"]
                result["baseline_growth_vs_nlogn"] = round(base_ratio / nlogn, 3)
            print(json.dumps(result), flush=True)
            previous = result
        if not args.no_volume:
            volumes(tmp)


if __name__ == "__main__":
    main()
