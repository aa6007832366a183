"""Load test of the production-like stack (issue 17 §5): locust, headless, against bin/prod-like.

Starts ``bin/prod-like`` (PostgreSQL, Redis, moto's S3, gunicorn with 4 workers, 2 RQ workers,
demo content and the volume set at ``LOAD_SCALE``, default 0.1) with the bare view mounted
(``BENCH_BARE_VIEW=1``), creates the load's members (verified address, one password) and API
tokens, then runs locust's Python API in a child process (gevent stays out of this one):

- the mix for ``LOAD_SECONDS`` (60): visitors browse the session list, sessions, the residents'
  map, knowledge and search; members log in through the real login (allauth), look at Mijn
  Bouwplaats, register for sessions, comment in a session space and ask questions; API
  clients (Bearer tokens) list sessions, works, knowledge, questions and search;
- then the bare Django view ``/bench/bare/`` for ``LOAD_BARE_SECONDS`` (20), same users, same
  client, same stack: the baseline.

``LOAD_USERS`` (16) users each send their next request as soon as the last is answered, so
requests/s is what the stack can serve. Prints one JSON line: ``rps`` of the mix, ``bare_rps``,
``ratio`` = rps ÷ bare_rps (target ≥ 0.3), ``errors`` (must be 0; any 4xx/5xx counts), and
``p50_ms``/``p95_ms``/``p99_ms`` per page type, the load average before and after, and the
scale. Exits 1 when there are errors. The stack is stopped (SIGTERM) whatever happens.

The machine is shared (2 cores, other work beside the run), so requests/s moves with whatever
else runs. ``cpu_ms`` therefore gives, for the mix and for the bare view, the CPU time per
request of each part of the stack (``web`` gunicorn, ``db`` PostgreSQL, ``redis``, ``rq`` the
RQ workers: each process tree's user and system time, exited children counted in their
parent) and of ``locust`` itself, over the same windows as the requests; ``cpu_ratio`` = bare
÷ mix CPU per request is what the ratio would be with nothing else running (both halves pay
the same load generator, so neither hides its cost).
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
BARE_SECONDS = float(os.environ.get("LOAD_BARE_SECONDS", "20"))
USERS = int(os.environ.get("LOAD_USERS", "16"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "10"))
SCALE = os.environ.get("LOAD_SCALE", "0.1")
MEMBERS = 40
API_CLIENTS = 20
PASSWORD = "Lastproef-wachtwoord-2026"
RUN = int(time.time())  # the load's members are new in every run, on a reused stack too
WORDS = ["energie", "warmte", "bewoners", "mobiliteit", "netcongestie", "participatie", "water"]

# Run inside the stack's environment by `manage.py shell -c`: members and tokens for the load,
# a session whose space they may comment in, and the ids the users pick from.
SETUP = f"""
import datetime, json
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from bouwplaats.accounts.models import ApiToken, User
from bouwplaats.events.models import Registration, Session
from bouwplaats.knowledge.models import KnowledgeItem
password = make_password({PASSWORD!r})
members = User.objects.bulk_create(
    User(email=f"last{RUN}-{{i}}@last.example", full_name=f"Lastproef {{i}}", function="Adviseur",
         password=password)
    for i in range({MEMBERS + API_CLIENTS}))
EmailAddress.objects.bulk_create(
    EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members)
keys = [ApiToken.generate_key() for _ in members[{MEMBERS}:]]
ApiToken.objects.bulk_create(
    ApiToken(user=m, name="load", key_prefix=k[:10], key_hash=ApiToken.hash_key(k))
    for m, k in zip(members[{MEMBERS}:], keys))
now = timezone.now()
published = Session.objects.filter(status=Session.Status.PUBLISHED)
future = list(published.filter(start__gt=now).order_by("?").values_list("pk", flat=True)[:2000])
space = published.filter(start__gt=now, capacity__isnull=True).order_by("pk").first()
Registration.objects.bulk_create(
    Registration(session=space, member=m, status=Registration.Status.CONFIRMED, changed_by=m)
    for m in members[:{MEMBERS}])
Session.objects.filter(pk=space.pk).update(seats_confirmed=space.seats_confirmed + {MEMBERS})
print("SETUP " + json.dumps({{
    "members": [m.email for m in members[:{MEMBERS}]], "keys": keys,
    "register": [pk for pk in future if pk != space.pk], "space": space.pk,
    "sessions": list(published.order_by("?").values_list("pk", flat=True)[:2000]),
    "knowledge": list(KnowledgeItem.objects.order_by("?").values_list("pk", flat=True)[:500]),
}}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def start_stack(folder: Path) -> tuple[subprocess.Popen, str, dict]:
    """Start bin/prod-like; return (process, url, the stack's environment) once it is READY."""
    env = {
        **os.environ,
        "PORT": str(free_port()),
        "PROD_SCALE": SCALE,
        "PROD_DIR": str(folder),
        "BENCH_BARE_VIEW": "1",
    }
    env.pop("PROD_CHECK", None)
    stack = subprocess.Popen(
        [str(ROOT / "bin" / "prod-like")], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=sys.stderr,
    )  # fmt: skip
    for line in stack.stdout:
        if line.startswith("READY "):
            url = line.split()[1]
            break
    else:
        raise SystemExit(f"bin/prod-like ended ({stack.wait()}) before it was up")
    return stack, url, read_env(folder)


def read_env(folder: Path) -> dict:
    """Return the assignments of bin/prod-like's ``stack.env`` in ``folder``."""
    stack_env = {}
    for row in (folder / "stack.env").read_text().splitlines():
        key, _, value = row.partition("=")
        stack_env[key] = value.strip('"')
    return stack_env


def stack_pids(stack_env: dict) -> dict[str, list[int]]:
    """Return the root pids of the stack's serving processes by part (web, rq, redis, db)."""
    parts = {
        "web": [stack_env.get("PROD_PID_WEB", "")],
        "rq": stack_env.get("PROD_PID_RQ", "").split(),
        "redis": [stack_env.get("PROD_PID_REDIS", "")],
        "db": [],
    }
    postmaster = Path(stack_env.get("PROD_PGDATA", "/nonexistent")) / "postmaster.pid"
    # Unreadable (another user's cluster): the figure is then without PostgreSQL.
    with contextlib.suppress(OSError):
        parts["db"].append(postmaster.read_text().split()[0])
    return {part: [int(pid) for pid in pids if pid.isdigit()] for part, pids in parts.items()}


def tree_cpu_seconds(roots: list[int]) -> float:
    """Return the CPU seconds (user + system) of the process trees under ``roots``.

    Each live process counts its own time and that of the children it has reaped
    (cutime/cstime), so a worker or backend that exited is still counted, once.
    """
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The command name may hold spaces: the fields follow its closing parenthesis.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    children: dict[int, list[int]] = {}
    for pid, (parent, _ticks) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo, seen = 0, [pid for pid in roots if pid in stats], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += stats[pid][1]
        todo.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


def stop_stack(stack: subprocess.Popen) -> None:
    if stack.poll() is None:
        stack.send_signal(signal.SIGTERM)
        try:
            stack.wait(timeout=120)
        except subprocess.TimeoutExpired:
            stack.kill()
            stack.wait()


def main() -> None:
    load_before = load_average()
    if os.environ.get("LOAD_STACK_DIR"):
        # A stack already running (bin/prod-like with PROD_DIR and BENCH_BARE_VIEW=1).
        folder = Path(os.environ["LOAD_STACK_DIR"])
        stack, stack_env = None, read_env(folder)
        url = stack_env["PROD_URL"]
    else:
        folder = Path(tempfile.mkdtemp(prefix="bouwplaats-load."))
        try:
            stack, url, stack_env = start_stack(folder)
        except BaseException:
            subprocess.run(["rm", "-rf", str(folder)], check=False)
            raise
    try:
        env = {
            **os.environ,
            **{k: v for k, v in stack_env.items() if not k.startswith("PROD_")},
            "DJANGO_SETTINGS_MODULE": "bouwplaats.settings",
            "BOUWPLAATS_TESTING": "0",
        }
        output = subprocess.run(
            [PY, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, text=True,
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        setup = json.loads(output.split("SETUP ", 1)[1])
        config = Path(tempfile.mkstemp(prefix="bouwplaats-load.", suffix=".json")[1])
        config.write_text(json.dumps({**setup, "url": url, "pids": stack_pids(stack_env)}))
        child = subprocess.run(
            [PY, __file__, "--locust", str(config)], cwd=ROOT, text=True,
            stdout=subprocess.PIPE, check=True,
        )  # fmt: skip
        result = json.loads(child.stdout.strip().splitlines()[-1])
        config.unlink()
    finally:
        if stack is not None:
            stop_stack(stack)
            subprocess.run(["rm", "-rf", str(folder)], check=False)
    result.update(
        scale=float(stack_env.get("PROD_SCALE", SCALE)),
        users=USERS,
        seconds=SECONDS,
        load_average_before=load_before,
        load_average_after=load_average(),
    )
    print(json.dumps(result))
    sys.exit(1 if result["errors"] else 0)


# ---------------------------------------------------------------------------------------------
# The child: locust's Python API (imports gevent, which patches the standard library).


def run_locust(config_path: str) -> None:
    import random
    import resource

    import gevent
    from locust import HttpUser, constant, task
    from locust.env import Environment

    config = json.loads(Path(config_path).read_text())
    members = list(config["members"])
    keys = list(config["keys"])

    ready = []  # one entry per user that has started (members: logged in)

    def csrf(user) -> str:
        return user.client.cookies.get("csrftoken", "")

    class Visitor(HttpUser):
        weight = 6
        wait_time = constant(0)

        def on_start(self):
            ready.append(self)

        @task(4)
        def sessions_list(self):
            self.client.get(f"/sessies/?page={random.randint(1, 5)}", name="sessions_list")

        @task(4)
        def session_detail(self):
            self.client.get(f"/sessies/{random.choice(config['sessions'])}/", name="session_detail")

        @task(2)
        def map(self):
            self.client.get("/werk-met-werk/in-uw-straat/", name="map")

        @task(3)
        def search(self):
            self.client.get(f"/zoeken/?q={random.choice(WORDS)}", name="search")

        @task(2)
        def knowledge(self):
            self.client.get("/kennis/", name="knowledge_list")

        @task(1)
        def knowledge_item(self):
            self.client.get(f"/kennis/{random.choice(config['knowledge'])}/", name="knowledge_item")

    class Member(HttpUser):
        weight = 2
        wait_time = constant(0)

        def on_start(self):
            self.email = members.pop() if members else random.choice(config["members"])
            self.asked = 0
            self.client.get("/account/login/", name="login_page")
            self.client.post(
                "/account/login/",
                {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf(self)},
                headers={"Referer": config["url"] + "/account/login/"},
                name="login",
            )
            ready.append(self)

        @task(3)
        def mine(self):
            self.client.get("/mijn-bouwplaats/", name="mine")

        @task(2)
        def register(self):
            session = random.choice(config["register"])
            self.client.get(f"/sessies/{session}/", name="session_detail_member")
            self.client.post(
                f"/sessies/{session}/aanmelden/",
                {"csrfmiddlewaretoken": csrf(self)},
                headers={"Referer": f"{config['url']}/sessies/{session}/"},
                name="register",
            )

        @task(2)
        def comment(self):
            space = config["space"]
            self.client.get(f"/sessieruimte/sessie/{space}/", name="space")
            self.client.post(
                f"/sessieruimte/sessie/{space}/reacties/",
                {"comment-body": f"Goed punt over **{random.choice(WORDS)}**, dank u.",
                 "csrfmiddlewaretoken": csrf(self)},
                headers={"Referer": f"{config['url']}/sessieruimte/sessie/{space}/"},
                name="comment",
            )  # fmt: skip

        @task(1)
        def ask(self):
            self.asked += 1
            self.client.get("/kennis/vragen/nieuw/", name="ask_page")
            self.client.post(
                "/kennis/vragen/nieuw/",
                {"title": f"Hoe pakt u {random.choice(WORDS)} aan? ({self.email}, {self.asked})",
                 "body": "Wij zoeken ervaringen van andere regio's.",
                 "csrfmiddlewaretoken": csrf(self)},
                headers={"Referer": config["url"] + "/kennis/vragen/nieuw/"},
                name="ask",
            )  # fmt: skip

    class ApiClient(HttpUser):
        weight = 2
        wait_time = constant(0)

        def on_start(self):
            self.client.headers["Authorization"] = f"Bearer {random.choice(keys)}"
            ready.append(self)

        @task(3)
        def sessions(self):
            self.client.get(
                f"/api/v1/sessions?offset={random.randint(0, 200)}", name="api_sessions"
            )

        @task(2)
        def works(self):
            self.client.get(f"/api/v1/works?offset={random.randint(0, 200)}", name="api_works")

        @task(1)
        def knowledge(self):
            self.client.get("/api/v1/knowledge", name="api_knowledge")

        @task(1)
        def questions(self):
            self.client.get("/api/v1/questions", name="api_questions")

        @task(2)
        def search(self):
            self.client.get(f"/api/v1/search?q={random.choice(WORDS)}", name="api_search")

    class Bare(HttpUser):
        wait_time = constant(0)

        def on_start(self):
            ready.append(self)

        @task
        def bare(self):
            self.client.get("/bench/bare/", name="bare")

    def run(user_classes, seconds: float, warmup: float):
        """Run the users; count only once all have started (members logged in) and ``warmup``
        seconds more have passed (each worker's first requests load code and caches)."""
        ready.clear()
        environment = Environment(user_classes=user_classes, host=config["url"])
        runner = environment.create_local_runner()
        runner.start(USERS, spawn_rate=USERS)
        deadline = time.monotonic() + 300
        while len(ready) < USERS and time.monotonic() < deadline:
            gevent.sleep(0.2)
        gevent.sleep(warmup)
        environment.stats.reset_all()
        started = cpu_now()
        gevent.sleep(seconds)
        used = [after - before for before, after in zip(started, cpu_now(), strict=True)]
        runner.quit()
        return environment.stats, used

    parts = sorted(config.get("pids", {}))

    def cpu_now() -> list[float]:
        """Return the CPU seconds of each part of the stack, then of this load generator."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        stack = [tree_cpu_seconds(config["pids"][part]) for part in parts]
        return [*stack, own.ru_utime + own.ru_stime]

    # Members log in (Argon2) while spawning; the clock of the mix starts once all are running.
    mix, mix_cpu = run([Visitor, Member, ApiClient], SECONDS, WARMUP)
    bare, bare_cpu = run([Bare], BARE_SECONDS, 3)

    def pct(entry, fraction):
        return entry.get_response_time_percentile(fraction)

    pages = {
        name: {
            "requests": entry.num_requests,
            "p50_ms": pct(entry, 0.5),
            "p95_ms": pct(entry, 0.95),
            "p99_ms": pct(entry, 0.99),
        }
        for (name, _method), entry in sorted(mix.entries.items())
        if entry.num_requests
    }
    total = mix.total
    seconds = total.last_request_timestamp - total.start_time
    rps = total.num_requests / seconds
    bare_total = bare.total
    bare_rps = bare_total.num_requests / (bare_total.last_request_timestamp - bare_total.start_time)

    def per_request(used: list[float], requests: int) -> dict:
        ms = [seconds * 1000 / max(requests, 1) for seconds in used]
        return {
            **{part: round(value, 2) for part, value in zip(parts, ms, strict=False)},
            "locust": round(ms[-1], 2),
            "total": round(sum(ms), 2),
        }

    cpu = {
        "mix": per_request(mix_cpu, total.num_requests),
        "bare": per_request(bare_cpu, bare_total.num_requests),
    }
    failures = [
        {"name": f.name, "method": f.method, "error": str(f.error)[:200], "count": f.occurrences}
        for f in mix.errors.values()
    ] + [
        {"name": f.name, "error": str(f.error)[:200], "count": f.occurrences}
        for f in bare.errors.values()
    ]
    print(
        json.dumps(
            {
                "bench": "load",
                "rps": round(rps, 1),
                "bare_rps": round(bare_rps, 1),
                "ratio": round(rps / bare_rps, 3),
                "requests": total.num_requests,
                "errors": total.num_failures + bare_total.num_failures,
                "failures": failures[:10],
                "p50_ms": pct(total, 0.5),
                "p95_ms": pct(total, 0.95),
                "p99_ms": pct(total, 0.99),
                "bare_p95_ms": pct(bare_total, 0.95),
                "cpu_ms": cpu,
                "cpu_ratio": round(cpu["bare"]["total"] / cpu["mix"]["total"], 3)
                if cpu["mix"]["total"]
                else None,
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--locust":
        run_locust(sys.argv[2])
    else:
        started = time.monotonic()
        main()
