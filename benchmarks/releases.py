"""Releases: incremental publication against a full GROUP BY recompute, and /needs-map p95.

Seeds a fresh, migrated database (SQLite in a temporary folder, or a PostgreSQL database of
its own with --database-url, dropped after) with N staff people and M check-ins spread over
W weeks up to now, bulk-inserted with SQLAlchemy Core together with the person-week rollup
they imply (about a third of person-weeks with ONS4 answers, written to both); then builds
the open weeks' tallies and publishes a first release.

Then, in the same run:
- baseline: recompute weekly cells from every check-in with a plain GROUP BY (distinct
  people and mean mood by week and area, consenting people only), as a release without the
  rollup would have to;
- incremental: 1,000 new check-ins through the real entries service (which keeps the rollup
  and queues the deltas), then `releases.publish()`; the publish is what is timed (median of
  the rounds): it folds the whole queue into the tallies, decides every cell and writes the
  release, nothing of it done beforehand. The check-ins' own cost is printed beside it;
- /needs-map: p50/p95 over repeated GETs as a signed-in researcher (in-process test client).

Targets (issue 4): incremental publish at least 100x faster than the full recompute;
/needs-map p95 under 50 ms. It reports; the exit code is 0 unless the benchmark broke.

    .venv/bin/python benchmarks/releases.py [--people 20000] [--checkins 5000000]
        [--weeks 26] [--rounds 3] [--database-url postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from apps import benchmark_app, fresh_database  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from backend.extensions import db  # noqa: E402
from backend.models import Entry, User  # noqa: E402
from backend.models.insights import PersonWeek  # noqa: E402
from backend.models.types import utcnow  # noqa: E402
from backend.models.wellbeing import ONS4_ITEMS, Ons4Answer  # noqa: E402
from backend.services import demo, entries, taxonomy  # noqa: E402
from backend.services.releases import contributions  # noqa: E402
from backend.services.releases import publishing as releases  # noqa: E402

CHUNK = 20_000
NEW_CHECKINS = 1000
NEEDS_MAP_REQUESTS = 300


def seed(people: int, checkins: int, weeks: int, rng: random.Random) -> None:
    """Bulk-insert people, their check-ins and the person-weeks those check-ins make."""
    tax = taxonomy.get_taxonomy()
    areas = [a["code"] for a in tax["areas"]]
    roles = [r["code"] for r in tax["role_groups"]]
    settings = [s["code"] for s in tax["settings"]]
    needs = [n["code"] for n in tax["needs"]]
    factors = [f["code"] for f in tax["factors"]]
    now = utcnow() - timedelta(minutes=10)
    start = now - timedelta(weeks=weeks)
    span = (now - start).total_seconds()
    profiles = [(rng.choice(areas), rng.choice(roles), rng.choice(settings)) for _ in range(people)]
    codes = demo.vouching_codes(areas)
    users = [
        {
            "username": f"bench{n}", "password_hash": "x", "role": "staff",
            "area": a, "role_group": r, "setting": s, "research_consent": rng.random() < 0.9,
            "research_consent_changed_at": now, "session_version": 1, "created_at": now,
            # Counted at once: established, with the area vouched for by a hub's code.
            "established_at": now, "join_code_id": codes[a],
        }
        for n, (a, r, s) in enumerate(profiles)
    ]  # fmt: skip
    for i in range(0, people, CHUNK):
        db.session.execute(sa.insert(User), users[i : i + CHUNK])
    db.session.commit()
    ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
    per_person = checkins // people
    weeks_of: dict[tuple[int, object], list] = {}
    need_pool = [[]] * 3 + [[n] for n in needs]
    pairs = [[a, b] for a, b in zip(factors, factors[1:], strict=False)]
    factor_pool = [[]] * 3 + [[f] for f in factors] + pairs
    rows = []
    for index, user_id in enumerate(ids):
        area, role, setting = profiles[index]
        base = rng.choice([2, 3, 3, 4, 4, 4, 5])
        for _ in range(per_person):
            when = start + timedelta(seconds=rng.random() * span)
            mood = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
            row = (rng.getrandbits(128), user_id, when, mood, rng.randint(1, 5), rng.randint(1, 5),
                   rng.choice(factor_pool), rng.choice(need_pool), area, role, setting)  # fmt: skip
            rows.append(row)
            weeks_of.setdefault((user_id, contributions.week_of(when)), []).append(row)
        if len(rows) >= 200_000:
            bulk_insert_entries(rows)
            rows = []
            print(f"  {index + 1} people seeded", flush=True)
    bulk_insert_entries(rows)
    rollup, answers = [], []
    regions = {a["code"]: a["region"] for a in tax["areas"]}
    for (user_id, week), rows in weeks_of.items():
        _, _, _, _, _, _, _, _, area, role, setting = max(rows, key=lambda r: r[2])
        # About a third of person-weeks come with the week's ONS4 answers.
        ons4 = {item: rng.randint(0, 10) for item in ONS4_ITEMS} if rng.random() < 0.3 else {}
        if ons4:
            answers.append({"user_id": user_id, "week": week, "updated_at": now, **ons4})
        rollup.append(
            {
                **{item: ons4.get(item) for item in ONS4_ITEMS},
                "user_id": user_id, "week": week, "check_ins": len(rows),
                "mood": statistics.fmean(r[3] for r in rows),
                "energy": statistics.fmean(r[4] for r in rows), "sleep": None,
                "stress": statistics.fmean(r[5] for r in rows),
                "needs": sorted({n for r in rows for n in r[7]}),
                "factors": sorted({f for r in rows for f in r[6]}),
                "area": area, "region": regions.get(area),
                "role_group": role, "setting": setting, "updated_at": now,
            }
        )  # fmt: skip
    for i in range(0, len(rollup), CHUNK):
        db.session.execute(sa.insert(PersonWeek), rollup[i : i + CHUNK])
    for i in range(0, len(answers), CHUNK):
        db.session.execute(sa.insert(Ons4Answer), answers[i : i + CHUNK])
    db.session.commit()


ENTRY_COLUMNS = (
    "id", "user_id", "occurred_at", "mood", "energy", "stress", "factors", "needs",
    "area", "role_group", "setting", "created_at", "updated_at", "sleep", "note_sealed",
)  # fmt: skip


def bulk_insert_entries(rows: list[tuple]) -> None:
    """Straight to the driver (sqlite3 executemany, or PostgreSQL COPY): minutes, not hours.

    Values are written as the models store them: on SQLite a UUID is 32 hex digits and a
    time is naive UTC text; on PostgreSQL native uuid and timestamptz.
    """
    if not rows:
        return
    postgres = db.engine.dialect.name == "postgresql"
    connection = db.session.connection().connection.driver_connection
    if postgres:
        columns = ", ".join(ENTRY_COLUMNS[:-2])
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY entries ({columns}) FROM STDIN") as copy,
        ):
            for r in rows:
                copy.write_row((uuid.UUID(int=r[0]), *r[1:6], json.dumps(r[6]), json.dumps(r[7]),
                                *r[8:], r[2], r[2]))  # fmt: skip
    else:
        marks = ", ".join("?" * len(ENTRY_COLUMNS))
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        connection.executemany(
            f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) VALUES ({marks})",  # noqa: S608
            (
                (f"{r[0]:032x}", r[1], t, *r[3:6], json.dumps(r[6]), json.dumps(r[7]), *r[8:], t, t,
                 None, None)
                for r in rows
                for t in [r[2].strftime(stamp)]
            ),
        )  # fmt: skip
    db.session.commit()


def full_recompute() -> float:
    """A plain GROUP BY over every check-in: distinct people and mean mood by week and area."""
    if db.engine.dialect.name == "postgresql":
        week = sa.func.date_trunc("week", sa.func.timezone("Europe/London", Entry.occurred_at))
    else:
        week = sa.func.date(Entry.occurred_at, "weekday 0", "-6 days")
    people = sa.func.count(sa.distinct(Entry.user_id))
    query = (
        sa.select(week, Entry.area, people, sa.func.avg(Entry.mood))
        .join(User, User.id == Entry.user_id)
        .where(User.research_consent.is_(True))
        .group_by(week, Entry.area)
    )
    started = time.perf_counter()
    cells = db.session.execute(query).all()
    elapsed = time.perf_counter() - started
    db.session.rollback()
    print(f"  full recompute: {len(cells)} cells in {elapsed:.2f} s")
    return elapsed


def incremental_round(rng: random.Random, ids: list[int]) -> tuple[float, float]:
    """(seconds for 1,000 check-ins, seconds for the publish after them)."""
    started = time.perf_counter()
    for user_id in rng.sample(ids, NEW_CHECKINS):
        user = db.session.get(User, user_id)
        data = {
            "occurred_at": utcnow() - timedelta(minutes=1), "mood": rng.randint(1, 5),
            "energy": rng.randint(1, 5), "sleep": None, "stress": None,
            "factors": [], "needs": ["someone_to_talk_to"],
        }  # fmt: skip
        entries.put_entry(user, uuid.uuid4(), data)
    writes = time.perf_counter() - started
    started = time.perf_counter()
    release = releases.publish()
    publish = time.perf_counter() - started
    fresh = release.fresh_cells if release else 0
    print(f"  1,000 check-ins {writes:.2f} s; publish {publish * 1000:.1f} ms ({fresh} fresh)")
    return writes, publish


def researcher_client(app):
    with app.app_context():
        user = User(username="researcher", password_hash="x", role="researcher")
        db.session.add(user)
        db.session.commit()
        session_id = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session["started"] = session["seen"] = utcnow().timestamp()
    return client


def needs_map_latency(client) -> tuple[float, float]:
    times = []
    for _ in range(NEEDS_MAP_REQUESTS):
        started = time.perf_counter()
        response = client.get("/api/v1/insights/needs-map")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--checkins", type=int, default=5_000_000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-releases-")
    with fresh_database(args.database_url, folder, "releases") as url:
        app = benchmark_app(url, folder, RATELIMIT_ENABLED=False, PASSWORD_HASH_PROFILE="test")
        try:
            measure(app, args, url)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def measure(app, args, url: str) -> None:
    """Seed, publish once, then time the full recompute, the rounds and /needs-map."""
    rng = random.Random(4)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        seed(args.people, args.checkins, args.weeks, rng)
        took = time.perf_counter() - started
        print(f"seeded {args.people} people, {args.checkins} check-ins in {took:.0f} s")
        releases.rebuild_tallies()
        releases.publish()
        baseline = full_recompute()
        ids = list(db.session.scalars(sa.select(User.id).where(User.role == "staff")))
        rounds = [incremental_round(rng, ids) for _ in range(args.rounds)]
    publish = statistics.median(r[1] for r in rounds)
    writes = statistics.median(r[0] for r in rounds)
    p50, p95 = needs_map_latency(researcher_client(app))
    ratio = baseline / publish
    result = {
        "database": sa.engine.make_url(url).get_backend_name(),
        "full_recompute_s": round(baseline, 2),
        "incremental_publish_ms": round(publish * 1000, 1),
        "speed_up": round(ratio),
        "checkin_ms": round(writes, 2),
        "needs_map_p50_ms": round(p50, 1),
        "needs_map_p95_ms": round(p95, 1),
    }
    print(json.dumps(result))
    print(f"incremental publish {ratio:.0f}x faster than the full recompute "
          f"(target 100x): {'PASS' if ratio >= 100 else 'FAIL'}")  # fmt: skip
    print(f"/needs-map p95 {p95:.1f} ms (target 50 ms): {'PASS' if p95 < 50 else 'FAIL'}")


if __name__ == "__main__":
    main()
