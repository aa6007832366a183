"""Benchmark: deliver a nieuwsflits to 20,000 confirmed subscribers (--full: 100,000).

The SMTP sink (aiosmtpd) runs in its own process and counts what it accepts. The baseline is
a bare smtplib loop sending one pre-rendered message over one connection to the same sink in
the same run. Prints one JSON line.
"""

import argparse
import json
import multiprocessing
import os
import smtplib
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sink(port: int, pipe) -> None:
    """Run an aiosmtpd sink until told to stop; answer "count", "report" and "reset"."""
    import threading

    from aiosmtpd.controller import Controller

    received: Counter = Counter()
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with lock:
                received.update(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    while True:
        command = pipe.recv()
        with lock:
            if command == "report":
                pipe.send(dict(received))
            elif command == "reset":
                received.clear()
                pipe.send("ok")
            elif command == "stop":
                break
    controller.stop()


def _setup_django(port: int, database: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bouwplaats.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["EMAIL_HOST"] = "127.0.0.1"
    os.environ["EMAIL_PORT"] = str(port)
    os.environ.setdefault("SITE_URL", "https://bouwplaats.example.nl")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Only record the task: the benchmark runs the delivery itself, to time it alone.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)


def _prepare(count: int):
    from bouwplaats.accounts.models import User
    from bouwplaats.newsletters.models import NewsletterList, Subscription
    from bouwplaats.programmes.models import Programme, ProgrammeMembership

    programme = Programme.objects.create(name="Leerplatform MIRT", slug="leerplatform-mirt")
    team = User.objects.create_user(email="diana.kool@example.nl", full_name="Diana Kool")
    ProgrammeMembership.objects.create(programme=programme, user=team, role="trekker")
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Leerplatform MIRT", slug="nieuwsflits-mirt"
    )
    Subscription.objects.bulk_create(
        (
            Subscription(
                newsletter_list=newsletter_list,
                email=f"lezer{n:06}@example.nl",
                name=f"Lezer {n}",
                status=Subscription.Status.CONFIRMED,
                consent_source="bench",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    return newsletter_list, team


def _seed_intro() -> str:
    seed = ROOT.parent / "shared" / "seeds" / "001_7efe80bfa6dca19d.txt"
    if seed.exists():
        return seed.read_text()[:2500]
    return "Ook steeds meer bijeenkomsten en cursussen vinden weer fysiek plaats. " * 30


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="100,000 subscribers")
    parser.add_argument("--messages", type=int, help="number of subscribers (default 20,000)")
    args, _unknown = parser.parse_known_args()
    count = args.messages or (100_000 if args.full else 20_000)

    port = _free_port()
    parent, child = multiprocessing.Pipe()
    sink = multiprocessing.Process(target=_sink, args=(port, child), daemon=True)
    sink.start()
    assert parent.recv() == "ready"

    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(port, str(Path(tmp) / "bench.sqlite3"))
        from bouwplaats.newsletters import delivery, rendering, services

        newsletter_list, team = _prepare(count)
        issue = services.issue_create(
            newsletter_list=newsletter_list,
            user=team,
            subject="Nieuwsflits Leerplatform MIRT - 22 september",
            intro=_seed_intro(),
            signature_name="Diana Kool",
            signature_role="Trekker Leerplatform MIRT, DGMo, MinIenW",
        )

        # Baseline: one pre-rendered message, a bare smtplib loop, same sink. Half of it runs
        # before and half after the real send, so that drift in the machine's load evens out.
        reference = rendering.issue_message(
            rendering.issue_render(issue),
            email_address="lezer@example.nl",
            name="Lezer",
            subscription_id=1,
        )
        data = reference.message().as_bytes(linesep="\r\n")
        baseline = {"seconds": 0.0, "received": 0}

        def run_baseline(messages: int) -> None:
            parent.send("reset")
            parent.recv()
            smtp = smtplib.SMTP("127.0.0.1", port)
            started = time.perf_counter()
            for n in range(messages):
                smtp.sendmail("noreply@bouwplaats.nl", [f"basis{n:06}@example.nl"], data)
            baseline["seconds"] += time.perf_counter() - started
            smtp.quit()
            parent.send("report")
            baseline["received"] += sum(parent.recv().values())
            parent.send("reset")
            parent.recv()

        run_baseline(count // 2)

        # The real thing: Delivery rows, the send loop, per-message commit.
        started = time.perf_counter()
        services.issue_send(issue=issue, user=team)
        delivery.issue_deliver(issue.pk)
        elapsed = time.perf_counter() - started
        parent.send("report")
        received = parent.recv()
        run_baseline(count - count // 2)
        parent.send("stop")
        sink.join(timeout=10)

        issue.refresh_from_db()
        expected = {f"lezer{n:06}@example.nl" for n in range(count)}
        missing = len(expected - set(received))
        duplicates = sum(max(received.get(address, 0) - 1, 0) for address in expected)
        unknown = len(set(received) - expected)
        per_s = count / elapsed
        baseline_per_s = baseline["received"] / baseline["seconds"]
        print(
            json.dumps(
                {
                    "bench": "newsletter",
                    "messages": count,
                    "messages_per_s": round(per_s, 1),
                    "seconds": round(elapsed, 2),
                    "duplicates": duplicates,
                    "missing": missing,
                    "unknown": unknown,
                    "issue_status": issue.status,
                    "message_bytes": len(data),
                    "baseline_per_s": round(baseline_per_s, 1),
                    "ratio": round(per_s / baseline_per_s, 3),
                }
            )
        )


if __name__ == "__main__":
    main()
