"""Soak: mixed traffic from 64 clients for 10 minutes against `make serve` on PostgreSQL.

Serves the app as `make serve` does (`flask db upgrade`, then `gunicorn -c gunicorn.conf.py`:
two gthread workers, the scheduler in the master) with DIARY_ENV=production, on a
PostgreSQL database made for this run (dropped at the end) and Redis as the limiter's store.
The load generator stands where a TLS-terminating proxy would: TRUSTED_PROXIES=1,
X-Forwarded-Proto: https, and one X-Forwarded-For address per client (as real phones
behind a proxy would have), so per-address limits count each client on its own.

1. Setup: N staff people sign up through the API (real argon2id hashes).
2. Baseline, same server, same clients: GET /api/v1/taxonomy only, for --baseline-seconds.
3. Soak, for --minutes: each client signs in as its person, then sends, closed-loop:
   check-ins (PUT /api/v1/entries/{uuid}, new and replacing), history pages, single
   entries, summaries (week, month), taxonomy, and a sign-in once a minute. The publish
   job runs every RELEASE_INTERVAL_MINUTES (2 here) in the master while this goes on.
4. Every check-in answered 2xx is read back through the API: it must be there, as last sent.

Prints throughput, p50/p99 (overall and per kind), the count of 5xx (target 0), lost
check-ins (target 0), and the RSS of master + workers at the start, every 30 s and at the
end (target: flat). Clients run in several processes (threads within each) so that the
load generator is not one GIL. Loopback only; everything stops by itself.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--clients 64] [--processes 4]
        [--baseline-seconds 60] [--database-server URL] [--redis-url URL]
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from closed_loop import Tally, drive, report, sample_rss, timed  # noqa: E402

from tests.serving import (  # noqa: E402
    Client,
    Gunicorn,
    migrate,
    private_postgres,
    rss_kib,
    server_env,
)

PASSWORD = "soak test password, long enough"
FACTORS = ["workload", "staffing", "my_team", "sleep", "money", "travel"]
NEEDS = ["someone_to_talk_to", "sleep_help", "money_advice", "time_with_team"]
# (kind, weight) of the closed-loop mix; a sign-in is added once a minute per client.
MIX = [
    ("check-in", 30),
    ("replace", 5),
    ("history", 25),
    ("entry", 5),
    ("summary", 15),
    ("taxonomy", 20),
]


def headers_for(n: int) -> dict:
    return {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"198.51.100.{n % 250 + 1}"}


def check_in_body(rng: random.Random, n: int) -> dict:
    return {
        "occurred_at": (
            datetime.now(UTC) - timedelta(minutes=rng.randrange(1, 20 * 24 * 60))
        ).isoformat(),
        "mood": rng.randint(1, 5),
        "energy": rng.choice([None, 1, 2, 3, 4, 5]),
        "sleep": rng.choice([None, 1, 2, 3, 4, 5]),
        "stress": rng.choice([None, 1, 2, 3, 4, 5]),
        "factors": rng.sample(FACTORS, rng.randint(0, 3)),
        "needs": rng.sample(NEEDS, rng.randint(0, 2)),
        "note": f"soak note {n}: " + "a few words about the shift " * rng.randint(0, 6),
    }


def sign_in(client: Client, tally: Tally, username: str) -> None:
    body = {"username": username, "password": PASSWORD}
    reply = timed(tally, "sign-in", client, "POST", "/api/v1/auth/login", body)
    if reply is None or reply.status != 200:
        raise RuntimeError(f"{username} could not sign in: {reply and reply.status}")


def one_client(port: int, n: int, username: str, mode: str, seconds: float, tally: Tally):
    rng = random.Random(n)
    client = Client(port, headers=headers_for(n))
    sent: dict[str, dict] = {}  # id -> last body answered 2xx
    deadline = time.monotonic() + seconds
    try:
        if mode == "baseline":
            while time.monotonic() < deadline:
                timed(tally, "taxonomy", client, "GET", "/api/v1/taxonomy")
            return
        sign_in(client, tally, username)
        next_sign_in = time.monotonic() + 60 + rng.uniform(0, 30)
        kinds, weights = zip(*MIX, strict=True)
        count = 0
        while time.monotonic() < deadline:
            count += 1
            if time.monotonic() >= next_sign_in:
                sign_in(client, tally, username)
                next_sign_in += 60
                continue
            kind = rng.choices(kinds, weights)[0]
            if kind in ("replace", "entry") and not sent:
                kind = "check-in"
            if kind in ("check-in", "replace"):
                entry_id = rng.choice(list(sent)) if kind == "replace" else str(uuid.uuid4())
                body = check_in_body(rng, count)
                reply = timed(tally, kind, client, "PUT", f"/api/v1/entries/{entry_id}", body)
                if reply is not None and reply.status in (200, 201):
                    sent[entry_id] = body
            elif kind == "history":
                timed(tally, kind, client, "GET", "/api/v1/entries?limit=20")
            elif kind == "entry":
                entry_id = rng.choice(list(sent))
                timed(tally, kind, client, "GET", f"/api/v1/entries/{entry_id}")
            elif kind == "summary":
                period = rng.choice(["week", "month"])
                timed(tally, kind, client, "GET", f"/api/v1/me/summary?period={period}")
            else:
                timed(tally, kind, client, "GET", "/api/v1/taxonomy")
        read_back(client, sent, tally)
    finally:
        client.close()


def read_back(client: Client, sent: dict, tally: Tally) -> None:
    stored, cursor = {}, None
    for _page in range(10_000):
        reply = client.get("/api/v1/entries?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        if reply.status != 200:
            raise RuntimeError(f"reading back failed: {reply.status} {reply.body[:200]}")
        page = reply.json()
        stored.update((item["id"], item) for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    tally.acked += len(sent)
    for entry_id, body in sent.items():
        item = stored.get(entry_id)
        if item is None:
            tally.lost.append(entry_id)
        elif (item["mood"], item["note"], item["stress"]) != (
            body["mood"],
            body["note"],
            body["stress"],
        ):
            tally.wrong.append(entry_id)


def sign_up(port: int, count: int, tag: str) -> list[tuple[int, str]]:
    people, lock = [], threading.Lock()

    def make(numbers):
        for n in numbers:
            username = f"soak{n}_{tag}"
            client = Client(port, headers=headers_for(n))
            reply = client.post(
                "/api/v1/auth/register",
                {"username": username, "password": PASSWORD, "research_consent": n % 4 != 0,
                 "area": random.choice(["QT6", "QJK", "QOX", "QUA"]),
                 "role_group": "care_worker", "setting": "home_care"},
            )  # fmt: skip
            client.close()
            if reply.status != 201:
                raise RuntimeError(f"sign-up failed: {reply.status} {reply.body[:200]}")
            with lock:
                people.append((n, username))

    threads = [threading.Thread(target=make, args=(range(i, count, 4),)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if len(people) != count:
        raise RuntimeError(f"only {len(people)} of {count} people could sign up")
    return sorted(people)


def forget_limits(redis_url: str, tag: str, clients: int) -> None:
    """Take this run's sign-in counts out of Redis (they would expire within the hour).

    Per-account counts are kept under keyed hashes that name no one, so they are found by
    their prefix: the soak has a Redis database of its own.
    """
    import redis

    store = redis.Redis.from_url(redis_url, socket_timeout=10)
    try:
        patterns = [f"*{tag}*", "*account:*"] + [
            f"*/{headers_for(n)['X-Forwarded-For']}/*" for n in range(clients)
        ]
        for pattern in patterns:
            for key in store.scan_iter(match=pattern, count=1000):
                store.delete(key)
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--baseline-seconds", type=float, default=60)
    parser.add_argument(
        "--database-server",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server URL; a private database is made on it and dropped after",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    seconds = min(args.minutes, 60) * 60  # bounded: an hour at the very most
    tag = uuid.uuid4().hex[:6]
    with private_postgres(args.database_server, "soak") as (database_url, _admin, _name):
        env = server_env(
            database_url,
            DIARY_ENV="production",
            TRUSTED_PROXIES="1",
            WEB_CONCURRENCY="2",
            REDIS_URL=args.redis_url,
            RELEASE_INTERVAL_MINUTES="2",
            LOG_LEVEL="warning",
        )
        migrate(env)
        folder = Path(tempfile.mkdtemp(prefix=f"soak-{tag}-"))
        server = Gunicorn(env, folder)
        try:
            run = serve_and_soak(server, args, tag, seconds)
        finally:
            server.stop()
            forget_limits(args.redis_url, tag, args.clients)
        print_soak(args, run)
    return 0


def serve_and_soak(server: Gunicorn, args, tag: str, seconds: float) -> dict:
    """Start the server, sign people up, run the baseline and then the soak, sampling RSS."""
    server.start()
    server.wait_for_workers(2)
    print(f"gunicorn pids (master first): {server.pids()}; log {server.log_path}")
    started = time.monotonic()
    people = sign_up(server.port, args.clients, tag)
    print(f"{len(people)} people signed up in {time.monotonic() - started:.0f} s")

    base, problems = drive(
        one_client, server.port, people, args.processes, "baseline", args.baseline_seconds
    )
    if problems:
        raise RuntimeError("baseline broke: " + "; ".join(problems[:5]))
    base_rate = report("baseline (GET /api/v1/taxonomy only)", base, args.baseline_seconds)

    pids_before, rss_before = server.pids(), rss_kib(server.pids())
    samples, stop = [(time.monotonic(), rss_before)], threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(server, stop, samples))
    sampler.start()
    began = time.monotonic()
    try:
        soak, problems = drive(one_client, server.port, people, args.processes, "soak", seconds)
    finally:
        stop.set()
        sampler.join()
    return {
        "people": people, "base_rate": base_rate, "soak": soak, "problems": problems,
        "elapsed": time.monotonic() - began, "samples": samples,
        "pids_before": pids_before, "rss_before": rss_before,
        "pids_after": server.pids(), "rss_after": rss_kib(server.pids()),
    }  # fmt: skip


def print_soak(args, run: dict) -> None:
    """The soak's figures and its verdict against the targets."""
    soak, problems, samples = run["soak"], run["problems"], run["samples"]
    rss_before, rss_after = run["rss_before"], run["rss_after"]
    print(f"soak: {args.clients} clients, {args.minutes:g} min, {len(run['people'])} people")
    rate = report("soak (mixed)", soak, run["elapsed"])
    fives = sum(count for status, count in soak.statuses.items() if status >= 500)
    print(f"5xx answers: {fives}  {soak.server_errors[:5]}")
    print(
        f"check-ins acknowledged: {soak.acked}; lost: {len(soak.lost)}; "
        f"not as last sent: {len(soak.wrong)}"
    )
    print(f"client problems: {problems[:5] or 'none'}")
    trace = ", ".join(f"{kib / 1024:.0f}" for _t, kib in samples)
    print(
        f"RSS master+workers: start {rss_before / 1024:.0f} MiB, end {rss_after / 1024:.0f} "
        f"MiB ({(rss_after - rss_before) / 1024:+.0f} MiB); every 30 s: {trace}"
    )
    print(
        f"same processes throughout: {run['pids_before'] == run['pids_after']} {run['pids_after']}"
    )
    print(f"mixed throughput / taxonomy-only baseline: {rate / run['base_rate']:.2f}")
    failed = fives or soak.lost or soak.wrong or problems or soak.errors
    print("RESULT:", "FAIL" if failed else "PASS (no 5xx, no lost check-in, no errors)")


if __name__ == "__main__":
    raise SystemExit(main())
