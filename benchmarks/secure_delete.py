"""What SQLite's secure_delete costs: check-ins and erasures with it on (the app) and off.

Two apps in this one process, each over a fresh, migrated SQLite file in a temporary folder:
one as the app runs (`PRAGMA secure_delete=ON`, and a WAL checkpoint with TRUNCATE after an
erasure), one with secure_delete turned off again on every connection. Rounds alternate
between the two, so both see the same machine load. Each round, through the test client:
new check-ins (PUT /api/v1/entries/{uuid4}), replacements of check-ins (the same id with a
new note: an UPDATE, where zeroing the old cell is the work secure_delete adds), and the
erasure of one person with a diary of check-ins (DELETE /api/v1/me). Prints the median of
the rounds in ms per request. It reports; the exit code is 0 unless the benchmark broke.

    .venv/bin/python benchmarks/secure_delete.py [--rounds 5] [--checkins 300] [--diary 200]
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from apps import benchmark_app  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from backend.extensions import db  # noqa: E402

PASSWORD = "a quiet walk by the river"


def make_app(folder: Path, secure_delete: bool):
    url = f"sqlite:///{folder}/diary.sqlite3"
    app = benchmark_app(url, folder, RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade()
        if not secure_delete:
            sa.event.listen(
                db.engine, "connect", lambda c, _r: c.execute("PRAGMA secure_delete=OFF")
            )
        db.engine.dispose()
    return app


def body(note: str, hours_ago: float) -> dict:
    moment = datetime.now(UTC) - timedelta(hours=hours_ago)
    return {"occurred_at": moment.isoformat(), "mood": 3, "factors": ["workload"], "note": note}


def sign_up(app, name: str):
    client = app.test_client()
    answer = client.post(
        "/api/v1/auth/register",
        json={"username": name, "password": PASSWORD, "research_consent": True},
    )
    assert answer.status_code == 201, answer.get_json()
    return client


def timed(calls) -> float:
    """ms per call."""
    start = time.perf_counter()
    count = 0
    for call in calls:
        response = call()
        assert response.status_code < 300, response.get_json()
        count += 1
    return (time.perf_counter() - start) * 1000 / count


def one_round(app, number: int, checkins: int, diary: int) -> dict[str, float]:
    writer = sign_up(app, f"writer{number}")
    ids = [str(uuid.uuid4()) for _ in range(checkins)]
    note = "A long shift, but the team pulled together. " * 4
    new = timed(
        (lambda i=i, n=n: writer.put(f"/api/v1/entries/{i}", json=body(note, n % 600)))
        for n, i in enumerate(ids)
    )
    replaced = timed(
        (lambda i=i, n=n: writer.put(f"/api/v1/entries/{i}", json=body(note[::-1], n % 600)))
        for n, i in enumerate(ids)
    )
    leaver = sign_up(app, f"leaver{number}")
    for n in range(diary):
        leaver.put(f"/api/v1/entries/{uuid.uuid4()}", json=body(note, n * 3))
    erased = timed([lambda: leaver.delete("/api/v1/me", json={"password": PASSWORD})])
    return {"new check-in": new, "replaced check-in": replaced, f"erasure ({diary})": erased}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--checkins", type=int, default=300, help="per round and app")
    parser.add_argument("--diary", type=int, default=200, help="check-ins of the erased person")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as on_dir, tempfile.TemporaryDirectory() as off_dir:
        apps = {"on": make_app(Path(on_dir), True), "off": make_app(Path(off_dir), False)}
        results = {name: [] for name in apps}
        for number in range(args.rounds):
            for name in ("on", "off") if number % 2 == 0 else ("off", "on"):
                results[name].append(one_round(apps[name], number, args.checkins, args.diary))
        print(f"median of {args.rounds} rounds, ms per request (secure_delete on / off):")
        for kind in results["on"][0]:
            on = statistics.median(r[kind] for r in results["on"])
            off = statistics.median(r[kind] for r in results["off"])
            print(f"  {kind:22} {on:8.2f} / {off:8.2f}   on/off {on / off:5.2f}")
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
