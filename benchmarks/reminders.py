"""Reminders: 17,000 people due in the same minute, sent to the local push-service double.

Seeds a fresh, migrated database (SQLite in a temporary folder, or PostgreSQL with
--database-url) with N staff people, each with one device at the push-service double
(tests/pushservice.py, in a process of its own so that it does not share the sender's
CPU lock) and a reminder due now. Then runs one pass of the real reminder job
(backend.services.reminders.send_due: claim in batches, encrypt, sign, POST) and reads back
from the double when each push arrived, decrypted and checked.

Prints the time until the last push arrived and the p50/p99 lateness (arrival minus due
time), against a baseline measured in the same run: the same sender posting one push
after another, extrapolated to N. Target: all N delivered within 60 s. It reports; the exit
code is 0 unless the benchmark itself broke.

    .venv/bin/python benchmarks/reminders.py [--people 17000] [--database-url URL]
"""

import argparse
import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from apps import benchmark_app, fresh_database  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from measuring import percentile  # noqa: E402

from backend.extensions import db  # noqa: E402
from backend.models import User  # noqa: E402
from backend.models.reminders import PushSubscription, ReminderSchedule  # noqa: E402
from backend.services.reminders import schedule as reminders  # noqa: E402
from backend.services.reminders import webpush  # noqa: E402

TARGET_SECONDS = 60.0
BASELINE_SENDS = 300
CHUNK = 2000


def serve_double(conn, devices: int, latency: float) -> None:
    """In its own process: the push double, its devices, then the arrival times on request."""
    from tests.pushservice import PushService

    with PushService(latency=latency) as push:
        made = [push.new_device() for _ in range(devices)]
        conn.send([d.subscription_json() for d in made])
        cpu = time.process_time()
        conn.recv()
        conn.send(
            {
                "cpu": time.process_time() - cpu,
                "arrivals": [d.arrived for d in push.deliveries],
                "devices": len({d.token for d in push.deliveries}),
                "refusals": len(push.refusals),
                "payloads": sorted({d.plaintext.decode() for d in push.deliveries}),
            }
        )
        conn.recv()


def seed(subscriptions: list[dict], due: datetime) -> None:
    """One staff person per subscription, each with a reminder due at `due`."""
    now = datetime.now(UTC)
    for start in range(0, len(subscriptions), CHUNK):
        chunk = subscriptions[start : start + CHUNK]
        rows = [
            {"username": f"bench{start + i}", "password_hash": "-", "role": "staff"}
            for i in range(len(chunk))
        ]
        ids = db.session.scalars(sa.insert(User).returning(User.id), rows).all()
        db.session.execute(
            sa.insert(PushSubscription),
            [
                {
                    "user_id": uid,
                    "endpoint": sub["endpoint"],
                    "p256dh": sub["keys"]["p256dh"],
                    "auth": sub["keys"]["auth"],
                }
                for uid, sub in zip(ids, chunk, strict=True)
            ],
        )
        db.session.execute(
            sa.insert(ReminderSchedule),
            [
                {"user_id": uid, "enabled": True, "times": ["07:30"], "next_due_at": due,
                 "only_if_not_checked_in": True, "updated_at": now}
                for uid in ids
            ],
        )  # fmt: skip
    db.session.commit()


def baseline(app, subscriptions: list[dict]) -> float:
    """Seconds per push when the same sender posts one after another."""
    started = time.perf_counter()
    with webpush.Sender(app) as sender:
        for sub in subscriptions:
            keys = sub["keys"]
            sender.send(sub["endpoint"], keys["p256dh"], keys["auth"], reminders.REMINDER_PAYLOAD)
    return (time.perf_counter() - started) / len(subscriptions)


def run(args) -> None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    double = context.Process(
        target=serve_double,
        args=(theirs, args.people + BASELINE_SENDS, args.latency_ms / 1000),
    )
    double.start()
    subscriptions = ours.recv()
    people, spare = subscriptions[: args.people], subscriptions[args.people :]

    with (
        tempfile.TemporaryDirectory() as folder,
        fresh_database(args.database_url, folder, "reminders") as url,
    ):
        app = benchmark_app(
            url, folder, PUSH_ALLOW_LOOPBACK_HTTP=True, PUSH_SENDERS=args.senders,
            REMINDER_BATCH_SIZE=args.batch,
        )  # fmt: skip
        with app.app_context():
            upgrade()
            due = datetime.now(UTC)
            seed(people, due)
            per_push = baseline(app, spare)
            # As the job at the top of a minute: due at that moment, sent from then.
            due = datetime.now(UTC)
            db.session.execute(sa.update(ReminderSchedule).values(next_due_at=due))
            db.session.commit()
            started, cpu = time.perf_counter(), time.process_time()
            counts = reminders.send_due(app, due)
            job_seconds = time.perf_counter() - started
            job_cpu = time.process_time() - cpu
            db.session.remove()
            db.engine.dispose()
    ours.send("report")
    report = ours.recv()
    ours.send("stop")
    double.join(timeout=10)

    print_report(args, report, due, counts, (job_seconds, job_cpu, per_push))


def print_report(args, report: dict, due: datetime, counts: dict, timings: tuple) -> None:
    """The figures, one a line: what the double saw arrive, the job's time and CPU (from
    `timings`: seconds, CPU seconds, seconds a push one after another) and the verdict."""
    job_seconds, job_cpu, per_push = timings
    arrivals = report["arrivals"][BASELINE_SENDS:]
    lateness = [a - due.timestamp() for a in arrivals]
    last = max(lateness) if lateness else float("nan")
    sender_ms = job_cpu * 1000 / args.people
    double_ms = report["cpu"] * 1000 / len(report["arrivals"])
    p50, p99 = percentile(lateness, 0.5), percentile(lateness, 0.99)
    verdict = "PASS" if len(arrivals) == args.people and last <= TARGET_SECONDS else "FAIL"
    rows = [
        ("database", "PostgreSQL" if args.database_url else "SQLite"),
        ("people due", f"{args.people} (batch {args.batch}, {args.senders} pushes in flight)"),
        ("push service", f"answers after {args.latency_ms:.0f} ms"),
        ("job counts", counts),
        ("delivered", f"{len(arrivals)} to {report['devices'] - BASELINE_SENDS} devices, "
                      f"{report['refusals']} refused by the double"),
        ("job pass", f"{job_seconds:.1f} s"),
        ("CPU a push", f"sender {sender_ms:.2f} ms, double {double_ms:.2f} ms"),
        ("last arrival", f"{last:.1f} s after due"),
        ("lateness", f"p50 {p50:.1f} s, p99 {p99:.1f} s"),
        ("baseline", f"one after another: {per_push * 1000:.1f} ms a push, "
                     f"{per_push * args.people:.0f} s for {args.people}"),
        ("speed-up", f"{per_push * args.people / last:.1f}x the baseline"),
        ("payloads seen", report["payloads"]),
        ("target", f"all {args.people} within {TARGET_SECONDS:.0f} s: {verdict}"),
    ]  # fmt: skip
    for name, value in rows:
        print(f"{name:<14} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=17_000)
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--senders", type=int, default=64, help="pushes in flight")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="the double waits this long to answer"
    )
    parser.add_argument("--batch", type=int, default=500)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
