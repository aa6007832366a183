"""Benchmark every page type and API list at production volume (issue 17, point 4).

Loads the volume set (``manage.py load_volume``) at ``BENCH_SCALE`` (default 1.0, the
production volume) into a throwaway database: a SQLite file in a temporary folder, or, when
``DATABASE_URL`` names PostgreSQL, a throwaway database on that server (as
``bench/registration_rush.py``). Then, in one process with Django's test client (the whole
middleware stack, no network), requests each page type ``BENCH_REQUESTS`` times (default 50)
as a signed-in member who plans works for an organisation, with a bare Django view in front
of the real URLconf as the baseline, measured in the same run.

Prints one JSON line: ``p95_ms`` per page type, ``baseline_p95_ms`` (the bare view),
``worst`` (the slowest page type), ``ratio`` = baseline p95 / worst p95, ``target_p95_ms``
(300: the issue's target on this 2-core machine), ``over_target`` (the page types above it),
``load_seconds`` (the volume set, per app), ``counts`` and ``load_average`` before and after
(the machine is shared: read the figures with it).

Usage: ``.venv/bin/python bench/pages.py`` (``BENCH_SCALE=0.01`` for a quick run).
``BENCH_PAGES_DB=<database URL>`` measures a database that already holds a volume set (a copy
made with ``manage.py load_volume``; it is migrated, not loaded again, and ``load_seconds`` is
empty); ``BENCH_PAGES_ONLY=sessions_list,api_sessions`` measures only those page types.
"""

import datetime
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_MS = 300.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def _urlconf() -> None:
    """Put a bare view in front of the real URLconf (this module serves as the URLconf)."""
    from django.urls import include, path

    module = sys.modules[__name__]
    module.urlpatterns = [path("bench/bare/", bare), path("", include("bouwplaats.urls"))]


def measure(
    scale: float, requests: int, *, load: bool = True, only: set[str] | None = None
) -> dict:
    """Load the volume set at ``scale`` into the configured database and time every page."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_before = round(os.getloadavg()[0], 2)
    from bouwplaats.accounts.models import User
    from bouwplaats.accounts.services import api_token_create
    from bouwplaats.core.volume import DOMAIN, volume_load
    from bouwplaats.events.models import Registration, Session
    from bouwplaats.knowledge.models import KnowledgeItem, Question
    from bouwplaats.newsletters.models import Subscription
    from bouwplaats.planning.geo import to_wgs84
    from bouwplaats.planning.models import Combination, Conflict, Work

    load_seconds: dict[str, float] = {}
    if load:
        began = time.perf_counter()
        load_seconds = volume_load(scale=scale, seed=2026)
        with open(os.devnull, "w") as quiet:
            call_command("search_rebuild", stdout=quiet)
        load_seconds["search_rebuild"] = round(
            time.perf_counter() - began - sum(load_seconds.values()), 2
        )
    _urlconf()
    rng = random.Random(17)
    planner = User.objects.get(email=f"lid000000@{DOMAIN}")
    pages = Client(HTTP_HOST="localhost")
    pages.force_login(planner)
    _token, key = api_token_create(user=planner, name="bench")
    api = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {key}"})
    session_ids = list(Session.objects.values_list("pk", flat=True))
    item_ids = list(KnowledgeItem.objects.values_list("pk", flat=True))
    question_ids = list(Question.objects.values_list("pk", flat=True))
    words = ["riolering", "verankering", "bereikbaarheid", "Molenstraat", "programmamanagement"]
    combos, conflicts = Combination.objects.count(), Conflict.objects.count()

    def offset(total: int) -> int:
        return rng.randint(0, max(total - 50, 0))

    from bouwplaats.accounts.models import Organisation
    from bouwplaats.core.volume import ORGANISATION_PREFIX

    volume_owners = Organisation.objects.filter(name__startswith=ORGANISATION_PREFIX)
    owner_ids = list(volume_owners.values_list("pk", flat=True))
    work_kinds = list(Work.Kind.values)
    statuses = list(Work.Status.values)

    def period() -> dict:
        # A window of one to twelve months somewhere in the volume set's four years.
        begin = datetime.date.today() + datetime.timedelta(days=rng.randint(-180, 3 * 365))
        return {
            "period_from": begin.isoformat(),
            "period_to": (begin + datetime.timedelta(days=rng.randint(30, 365))).isoformat(),
        }

    def filtered(page: str, *names: str) -> str:
        """Return ``page``'s path with a random value of each filter in ``names``."""
        values: dict = {}
        for name in names:
            if name == "owner":
                values["owner"] = rng.choice(owner_ids)
            elif name == "kind":
                values["kind"] = rng.choice(work_kinds)
            elif name == "status":
                values["status"] = rng.choice(statuses)
            else:
                values.update(period())
        return reverse(page) + "?" + urlencode(values)

    # Map windows (?bbox=): a street (about 700 x 400 m) or a district (about 3 x 2 km) at a
    # random place among the works, as a map sends them after a pan or zoom.
    extent = Work.objects.aggregate(
        x0=Min("rd_minx"), y0=Min("rd_miny"), x1=Max("rd_maxx"), y1=Max("rd_maxy")
    )

    def window(page: str, width_m: float = 700.0, height_m: float = 400.0, **params) -> str:
        x = rng.uniform(extent["x0"] or 0.0, (extent["x1"] or 1.0) - width_m)
        y = rng.uniform(extent["y0"] or 0.0, (extent["y1"] or 1.0) - height_m)
        lon0, lat0 = to_wgs84().transform(x, y)
        lon1, lat1 = to_wgs84().transform(x + width_m, y + height_m)
        bbox = f"{lon0:.6f},{lat0:.6f},{lon1:.6f},{lat1:.6f}"
        return page + "?" + urlencode({"bbox": bbox, **params})

    # (page type, client, a function returning the next path)
    kinds = [
        ("bare_view", pages, lambda: "/bench/bare/"),
        ("sessions_list", pages, lambda: reverse("events:list")),
        ("session_page", pages, lambda: reverse("events:detail", args=[rng.choice(session_ids)])),
        ("knowledge_list", pages, lambda: reverse("knowledge:index")),
        ("knowledge_item", pages, lambda: reverse("knowledge:item", args=[rng.choice(item_ids)])),
        ("questions_list", pages, lambda: reverse("knowledge:questions")),
        ("question_page", pages,
         lambda: reverse("knowledge:question", args=[rng.choice(question_ids)])),
        ("search", pages, lambda: reverse("search:results") + f"?q={rng.choice(words)}"),
        ("planning_map", pages, lambda: reverse("planning:map")),
        ("planning_list", pages, lambda: reverse("planning:list")),
        ("planning_list_filtered", pages,
         lambda: reverse("planning:list") + f"?kind={rng.choice(['riolering', 'asfalt'])}"),
        ("planning_list_owner", pages, lambda: filtered("planning:list", "owner")),
        ("planning_list_status", pages, lambda: filtered("planning:list", "status")),
        ("planning_list_period", pages, lambda: filtered("planning:list", "period")),
        ("planning_list_owner_kind", pages, lambda: filtered("planning:list", "owner", "kind")),
        ("planning_list_combined", pages,
         lambda: filtered("planning:list", "owner", "kind", "status", "period")),
        ("planning_map_owner", pages, lambda: filtered("planning:map", "owner")),
        ("planning_map_kind", pages, lambda: filtered("planning:map", "kind")),
        ("planning_map_status", pages, lambda: filtered("planning:map", "status")),
        ("planning_map_period", pages, lambda: filtered("planning:map", "period")),
        ("planning_map_combined", pages,
         lambda: filtered("planning:map", "owner", "kind", "status", "period")),
        ("planning_map_window", pages, lambda: window(reverse("planning:map"))),
        ("planning_map_feed", pages, lambda: window(reverse("planning:map_feed"))),
        ("planning_map_feed_district", pages,
         lambda: window(reverse("planning:map_feed"), 3000.0, 2000.0)),
        ("planning_public_feed", pages, lambda: window(reverse("planning:public_feed"))),
        ("planning_public", pages, lambda: reverse("planning:public")),
        ("planning_public_period", pages, lambda: filtered("planning:public", "period")),
        ("calls_list", pages, lambda: reverse("projects:calls")),
        ("api_sessions", api, lambda: "/api/v1/sessions"),
        ("api_works", api, lambda: f"/api/v1/works?limit=50&offset={offset(Work.objects.count())}"),
        ("api_works_bbox", api, lambda: window("/api/v1/works", limit=50)),
        ("api_works_bbox_district", api,
         lambda: window("/api/v1/works", 3000.0, 2000.0, limit=50)),
        ("api_combinations", api,
         lambda: f"/api/v1/works/combinations?limit=50&offset={offset(combos)}"),
        ("api_conflicts", api,
         lambda: f"/api/v1/works/conflicts?limit=50&offset={offset(conflicts)}"),
        ("api_search", api, lambda: f"/api/v1/search?q={rng.choice(words)}"),
        ("api_knowledge", api, lambda: "/api/v1/knowledge"),
        ("api_questions", api, lambda: "/api/v1/questions"),
    ]  # fmt: skip
    if only:
        kinds = [kind for kind in kinds if kind[0] == "bare_view" or kind[0] in only]
    # secure=True: the production settings redirect plain http, as the proxy speaks https.
    result_ms: dict[str, float] = {}
    # As each gunicorn worker does once loaded (gunicorn.conf.py, post_worker_init): what is
    # alive now lives as long as the process, so full collections need not walk it again.
    gc.collect()
    gc.freeze()
    with override_settings(ROOT_URLCONF=__name__):
        for name, client, next_path in kinds:
            first = next_path()
            response = client.get(first, secure=True)  # warm: templates, translations, URL patterns
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {first} answered {response.status_code}")
            took = []
            for _ in range(requests):
                path = next_path()
                start = time.perf_counter()
                response = client.get(path, secure=True)
                took.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: {path} answered {response.status_code}")
            result_ms[name] = round(p95(took), 1)
    baseline = result_ms.pop("bare_view")
    worst = max(result_ms, key=result_ms.get)
    return {
        "bench": "pages",
        "database": connection.vendor,
        "scale": scale,
        "requests_per_page": requests,
        "counts": {
            "sessions": Session.objects.count(),
            "registrations": Registration.objects.count(),
            "subscribers": Subscription.objects.count(),
            "works": Work.objects.count(),
            "combinations": combos,
            "conflicts": conflicts,
            "knowledge_items": KnowledgeItem.objects.count(),
            "questions": Question.objects.count(),
        },
        "load_seconds": load_seconds,
        "p95_ms": result_ms,
        "baseline_p95_ms": baseline,
        "worst": worst,
        "ratio": round(baseline / result_ms[worst], 4),
        "target_p95_ms": TARGET_MS,
        "over_target": sorted(k for k, v in result_ms.items() if v >= TARGET_MS),
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    requests = int(os.environ.get("BENCH_REQUESTS", "50"))
    only = {name for name in os.environ.get("BENCH_PAGES_ONLY", "").split(",") if name} or None
    if len(sys.argv) == 3 and sys.argv[1] == "--on":
        os.environ["DATABASE_URL"] = sys.argv[2]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bouwplaats.settings")
        load = os.environ.get("BENCH_PAGES_LOAD", "1") == "1"
        print(json.dumps(measure(scale, requests, load=load, only=only)), flush=True)
        return
    existing = os.environ.get("BENCH_PAGES_DB")
    if existing:
        env = {
            **os.environ,
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "BENCH_PAGES_LOAD": "0",
        }
        done = subprocess.run(
            [sys.executable, __file__, "--on", existing], env=env, text=True, check=False
        )
        sys.exit(done.returncode)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        url = os.environ.get("DATABASE_URL", "")
        database = None
        if url.startswith(("postgres://", "postgresql://")):
            from registration_rush import Database

            database = Database(Path(tmp))
            database.name = f"bench_pages_{os.getpid()}"
            url = database.start()
        else:
            url = f"sqlite:///{tmp}/pages.sqlite3"
        env = {**os.environ, "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"}
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--on", url],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if database is not None:
                database.stop()
        if done.returncode != 0:
            print(json.dumps({"bench": "pages", "error": done.stderr.strip().splitlines()[-3:]}))
            return
        print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
