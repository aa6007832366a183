"""Benchmark the search: 100,000 generated Dutch documents on SQLite and on PostgreSQL.

Prints one JSON object per database on stdout:

- ``build_seconds``: analysing and storing every document through the rebuild path
  (``search.services._replace_all``: stems, compound parts, the rows, the full-text index;
  then ``search_index_optimize`` as ``manage.py search_rebuild`` does);
- ``cpu_p50_ms`` / ``cpu_p95_ms``: the same, in this process's CPU time (SQLite's work
  included, PostgreSQL's not), and ``load_average`` (1 minute, before and after the queries):
  wall-clock figures on a shared machine follow the load;
- ``p50_ms`` / ``p95_ms``: one results page (``selectors.search_query``: match, access and
  filters, counts per type, scoring, the ten snippets) over ``QUERIES`` mixed queries, half
  with filters (type, programme, theme), half as a visitor and half as a member;
- ``naive_p50_ms`` / ``ratio``: a naive ``icontains`` scan for the same queries and filters
  (each word in the title or body, the access filter, newest ten and the count), in the same
  run; ``ratio`` = naive total time ÷ ours;
- ``recall`` / ``naive_recall``: the share of known answers each finds (among all its
  results, which can be paged through to the end) for queries whose answers are written in
  another form (plural for singular, compounds written apart).

PostgreSQL: ``DATABASE_URL`` (a postgres:// one) when set, in a throwaway database created
beside it; otherwise a throwaway cluster started with ``initdb``/``pg_ctl`` as ``.ci/run``
does; without those the PostgreSQL line says why it was skipped.

Usage: ``.venv/bin/python bench/search.py [--n 100000] [--db sqlite|postgresql]
[--keep NAME] [--slowest K]``.

``--keep NAME`` keeps the built index between runs (SQLite: ``$TMPDIR/NAME.sqlite3``;
PostgreSQL: database NAME beside ``DATABASE_URL``) and skips the build when it already holds
the documents (``build_seconds`` is then null; the migrations still run). ``--slowest K``
prints the K slowest queries (ms, query, filters) on stderr.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = 200
SEED = 2026
#: Share of body sentences in everyday Dutch (wordfreq) rather than programme words.
EVERYDAY = 0.75


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def _run_as_postgres(cmd: list[str]) -> None:
    if os.geteuid() == 0:
        cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in cmd)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def postgres_url(stack: list, keep: str | None = None) -> tuple[str | None, str]:
    """Return (a URL of an empty throwaway database, how it was made) or (None, why not);
    with ``keep``, the database of that name beside DATABASE_URL, made once and kept."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = keep or f"bench_search_{os.getpid()}"
        base = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        if keep:
            return f"{base}/{name}", "DATABASE_URL server, kept database"

        def drop():
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        stack.append(drop)
        return f"{base}/{name}", "DATABASE_URL server"
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None, "no DATABASE_URL and no initdb/pg_ctl on this machine"
    folder = tempfile.mkdtemp(prefix="bench-search-pg-")
    os.chmod(folder, 0o777)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = str(56000 + os.getpid() % 1000)
    _run_as_postgres([initdb, "-D", f"{folder}/data", "-A", "trust", "-U", "bouwplaats"])
    options = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
    _run_as_postgres(
        [pg_ctl, "-D", f"{folder}/data", "-o", options, "-l", f"{folder}/log", "-w", "start"]
    )

    def stop():
        _run_as_postgres([pg_ctl, "-D", f"{folder}/data", "-m", "fast", "stop"])
        shutil.rmtree(folder, ignore_errors=True)

    stack.append(stop)
    subprocess.run(
        [
            _pg_bin("createdb") or "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-U",
            "bouwplaats",
            "bench",
        ],
        check=True,
    )
    return f"postgres://bouwplaats@127.0.0.1:{port}/bench", "throwaway cluster"


def _queries(rng: random.Random) -> list[dict]:
    from tests.search.corpus import HEADS, MODIFIERS, NOUNS, PLACES, THEMES

    words = [w for pair in NOUNS for w in pair] + [m + h[0] for m in MODIFIERS for h in HEADS[:4]]
    words += [h for pair in HEADS for h in pair] + [m.rstrip("s") for m in MODIFIERS]
    specs = []
    for i in range(QUERIES):
        q = rng.choice(words)
        if i % 3 == 1:
            q += " " + rng.choice(words + PLACES)
        filters: dict = {}
        if i % 2 == 1:
            which = (i // 2) % 3
            if which == 0:
                filters["kinds"] = [rng.choice(["session", "question", "lesson", "work"])]
            elif which == 1:
                filters["programme_id"] = rng.randrange(1, 6)
            else:
                filters["theme"] = rng.choice(THEMES)
        specs.append({"q": q, "member": i % 4 >= 2, **filters})
    return specs


def _naive(user, q, kinds=None, programme_id=None, theme=None):
    """The scan a plain Django search does: every word somewhere in title or body."""
    from django.db.models import Exists, OuterRef, Q

    from bouwplaats.search.models import Access, Entry, Theme
    from bouwplaats.search.registry import viewer_keys

    qs = Entry.objects.filter(
        Exists(Access.objects.filter(entry=OuterRef("pk"), key__in=sorted(viewer_keys(user))))
    )
    for word in q.split()[:12]:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    if theme:
        qs = qs.filter(Exists(Theme.objects.filter(entry=OuterRef("pk"), slug=theme)))
    return qs.count(), list(qs.order_by("-updated_at", "-id").values_list("kind", "object_id")[:10])


def measure(n: int, slowest: int = 0) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction

    from bouwplaats.search import selectors
    from bouwplaats.search.documents import PUBLIC
    from bouwplaats.search.services import _replace_all, search_index_optimize
    from tests.factories import UserFactory
    from tests.search.corpus import NEEDLES, documents

    # A fresh address each run: a kept database (--keep) holds the members of earlier runs.
    member = UserFactory(full_name="Bench Lid", email=f"bench.lid.{os.getpid()}@example.org")
    visitor = AnonymousUser()
    # Known answers: three public documents per needle, written in the other form.
    corpus = list(documents(n - 3 * len(NEEDLES), seed=SEED, words=(40, 160), everyday=EVERYDAY))
    relevant: dict[str, set] = {}
    next_id = len(corpus) + 1
    for q, text in NEEDLES:
        for k in range(3):
            base = corpus[(next_id * 7919) % len(corpus)]
            doc = base.__class__(
                **{**base.__dict__, "object_id": next_id, "title": f"{text} ({k + 1})"},
            )
            doc = doc.__class__(**{**doc.__dict__, "access": frozenset({PUBLIC})})
            corpus.append(doc)
            relevant.setdefault(q, set()).add((doc.kind, doc.object_id))
            next_id += 1
    by_kind: dict[str, list] = {}
    for doc in corpus:
        by_kind.setdefault(doc.kind, []).append(doc)

    from bouwplaats.search.models import Entry

    build = None
    if Entry.objects.count() != len(corpus):  # not a kept index (--keep) of these documents
        began = time.perf_counter()
        with transaction.atomic():
            Entry.objects.all().delete()
            for kind, docs in sorted(by_kind.items()):
                _replace_all(kind, docs)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_entry")
                cursor.execute("VACUUM ANALYZE search_access")
                cursor.execute("VACUUM ANALYZE search_theme")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # What manage.py search_rebuild does after a rebuild (FTS5 'optimize' on SQLite).
        search_index_optimize()
        build = round(time.perf_counter() - began, 1)
    else:  # a kept index, which the migrations may have rebuilt: as search_rebuild leaves it
        search_index_optimize()

    specs = _queries(random.Random(SEED))
    ours, ours_cpu, naive = [], [], []
    load_before = round(os.getloadavg()[0], 2)
    for spec in specs:
        user = member if spec["member"] else visitor
        filters = {k: v for k, v in spec.items() if k not in ("q", "member")}
        t0, c0 = time.perf_counter(), time.process_time()
        selectors.search_query(user=user, q=spec["q"], **filters)
        t1, c1 = time.perf_counter(), time.process_time()
        _naive(user, spec["q"], **filters)
        t2 = time.perf_counter()
        ours.append((t1 - t0) * 1000)
        ours_cpu.append((c1 - c0) * 1000)
        naive.append((t2 - t1) * 1000)
    for ms, spec in sorted(zip(ours, specs, strict=True), key=lambda p: -p[0])[:slowest]:
        print(f"{ms:8.1f} ms  {spec}", file=sys.stderr)

    from django.db.models import Q

    found = naive_found = total = 0
    for q, answers in relevant.items():
        total += len(answers)
        # Found: among the results (every match is reachable page after page).
        entry_ids = [
            Entry.objects.get(kind=kind, object_id=object_id).id for kind, object_id in answers
        ]
        found += len(selectors._matching(selectors.parse(q), keys={PUBLIC}, among=entry_ids))
        qs = Entry.objects.all()
        for word in q.split():
            qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
        naive_found += len(answers & set(qs.values_list("kind", "object_id")))

    def pct(values, p):
        return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 2)

    return {
        "bench": "search",
        "database": connection.vendor,
        "documents": len(corpus),
        "build_seconds": build,
        "queries": len(specs),
        "p50_ms": pct(ours, 50),
        "p95_ms": pct(ours, 95),
        "max_ms": round(max(ours), 2),
        # This process's CPU time per query: on SQLite the database's work too, so a figure
        # the other processes of a shared machine barely move (PostgreSQL's work is not in it).
        "cpu_p50_ms": pct(ours_cpu, 50),
        "cpu_p95_ms": pct(ours_cpu, 95),
        "naive_p50_ms": pct(naive, 50),
        "naive_p95_ms": pct(naive, 95),
        "ratio": round(sum(naive) / sum(ours), 2),
        "recall": round(found / total, 3),
        "naive_recall": round(naive_found / total, 3),
        "target_p95_ms": 50,
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
    }


def child(n: int, slowest: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bouwplaats.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(measure(n, slowest)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--keep", metavar="NAME")
    parser.add_argument("--slowest", type=int, default=0)
    args = parser.parse_args()
    if args.db:  # the child: DATABASE_URL is set by the parent
        child(args.n, args.slowest)
        return
    options = ["--n", str(args.n), "--slowest", str(args.slowest)]
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(tempfile.gettempdir(), f"{args.keep}.sqlite3") if args.keep else None
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{path or Path(folder, 'bench.db')}"}
            subprocess.run(
                [sys.executable, __file__, "--db", "sqlite", *options], env=env, check=True
            )
    if args.only == "sqlite":
        return
    cleanup: list = []
    try:
        url, how = postgres_url(cleanup, keep=args.keep)
        if url is None:
            print(json.dumps({"bench": "search", "database": "postgresql", "skipped": how}))
            return
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, __file__, "--db", "postgresql", *options], env=env, check=True
        )
    finally:
        for undo in reversed(cleanup):
            undo()


if __name__ == "__main__":
    main()
