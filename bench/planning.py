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

Usage: ``.venv/bin/python bench/planning.py [--full] [--sizes 10000,100000]``.
"""

import argparse
import datetime
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

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
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bouwplaats.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def store(data) -> list:
    """Store the generated works; return a sample of saved Work objects to re-check."""
    from bouwplaats.accounts.models import Organisation
    from bouwplaats.planning.geo import to_wgs84
    from bouwplaats.planning.models import Work

    Work.objects.all().delete()
    owners = [
        Organisation.objects.get_or_create(name=f"Bench-eigenaar {i}")[0] for i in range(OWNERS)
    ]
    geoms = data["geoms"]
    wgs = shapely.transform(geoms, lambda xy: np.column_stack(to_wgs84().transform(*xy.T)))
    geojson = shapely.to_geojson(shapely.set_precision(wgs, 1e-7))
    wkb = shapely.to_wkb(geoms)
    bounds = shapely.bounds(geoms)
    hindrance = ["geen", "beperkt", "rijstrook", "afsluiting"]
    batch = []
    for i in range(len(geoms)):
        minx, miny, maxx, maxy = bounds[i]
        batch.append(
            Work(
                owner=owners[data["owners"][i]],
                title=f"Werk {i}",
                kind="riolering",
                geometry=json.loads(geojson[i]),
                rd_wkb=wkb[i],
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
        if len(batch) == 5000:
            Work.objects.bulk_create(batch)
            batch = []
    Work.objects.bulk_create(batch)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also 1,000,000 works")
    parser.add_argument("--sizes", help="comma-separated sizes instead of the defaults")
    # make bench passes the same BENCH_ARGS to every bench: ignore flags meant for others.
    args, _unknown = parser.parse_known_args()
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


if __name__ == "__main__":
    main()
