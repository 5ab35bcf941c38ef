"""API load: the app's check-ins and history reads under load, against a bare baseline.

Serves the app with gunicorn (2 sync workers) on 127.0.0.1 over a fresh, migrated SQLite
database, and, in the same run and with the same settings, a bare Flask + sqlite3 app
(benchmarks/baseline_app.py, the baseline of the targets) and the required stack's floor
(benchmarks/floor_app.py: Flask-Login, Flask-SQLAlchemy, flask-smorest and marshmallow doing
the baseline's work, none of the product's). Signs up N staff people through the API, then
drives all three with wrk (benchmarks/api_load.lua): signed-in check-ins
(PUT /api/v1/entries/{uuid4}) and history reads (GET /api/v1/entries?limit=20), at each
concurrency, for a fixed time each.
Check-ins fall at random in the 4 weeks before the run (SPREAD_DAYS), so each person-week
holds a diary's worth of check-ins rather than the whole run's: the app recomputes a
person's week on every write, and that cost grows with the check-ins in the week.
Prints requests/s, p50, p99 and the server's CPU per request (its workers' user + system
time over the phase, from /proc: busy or waiting?) for every (kind x clients x server), the
ratios, and PASS/FAIL for the targets of issue 14 (ratios to the floor). It reports; it does
not gate: the exit code is 0 unless the benchmark itself broke. Only loopback traffic;
everything stops by itself.

    .venv/bin/python benchmarks/api_load.py [--duration 12] [--clients 16,64] [--users 64]
                                            [--kinds checkin,history]

wrk is installed from Debian (apt-get install wrk) when missing.
"""

import argparse
import os
import sys
import tempfile
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from measuring import (
    Result,
    code_version,
    ensure_wrk,
    measure_phase,
    print_phase,
    print_table,
)
from servers import (
    HERE,
    BenchmarkError,
    call,
    serve_all,
    sign_in_floor,
    sign_up,
    take_up_cookies,
)

LUA = HERE / "api_load.lua"
WARMUP_SECONDS = 2
# The targets (issue 14) are ratios to the floor, the required stack doing nothing else;
# the bare baseline stays in the print-out as the physical limit.
TARGETS = {  # kind: (least share of the floor's req/s, most times the floor's p99 or None)
    "checkin": (0.70, 1.5),
    "history": (0.90, None),
}
SPREAD_DAYS = 28  # check-ins fall in the 4 weeks before the run, a few a day per person
# What wrk asks each server for, by kind: the floor answers the app's routes.
KINDS = {
    "checkin": {"app": "app_put", "floor": "app_put", "baseline": "base_put"},
    "history": {"app": "app_list", "floor": "app_list", "baseline": "base_list"},
}


def smoke_test(ports: dict, cookie: str, floor_cookie: str, occurred_at: str) -> None:
    """One request of each kind, so a broken setup fails loudly before any timing."""
    body = {"occurred_at": occurred_at, "mood": 3, "note": "Smoke test."}
    put, history = f"/api/v1/entries/{uuid.uuid4()}", "/api/v1/entries?limit=20"
    app, floor, base = ports["app"], ports["floor"], ports["baseline"]
    checks = [
        (call(app, "PUT", put, body, cookie), 201, "app check-in"),
        (call(app, "GET", history, cookie=cookie), 200, "app history"),
        (call(floor, "PUT", put, body, floor_cookie), 201, "floor check-in"),
        (call(floor, "GET", history, cookie=floor_cookie), 200, "floor history"),
        (call(base, "PUT", f"/rows/{uuid.uuid4()}", {**body, "person": 1}), 201, "base insert"),
        (call(base, "GET", "/rows?person=1&limit=20"), 200, "baseline read"),
    ]
    for (status, _headers, answer), expected, what in checks:
        if status != expected:
            raise BenchmarkError(f"Smoke test: {what} gave {status}, not {expected}: {answer}")


def measure(wrk, servers, kind, clients, seconds, label="") -> list[Result]:
    """One phase on each server in turn; `servers` maps a name to (port, gunicorn process,
    wrk script arguments)."""
    results = []
    for server, wrk_kind in KINDS[kind].items():
        port, process, args = servers[server]
        result = measure_phase(wrk, LUA, (server, port, process, args), wrk_kind, kind, clients,
                               seconds)  # fmt: skip
        print_phase(result, label)
        results.append(result)
    return results


def report(results: list[Result]) -> None:
    by_key = {(r.kind, r.clients, r.server): r for r in results}
    print_table(results)
    print()
    print("ratios: app / floor (the targets: what the product's own work costs on top of")
    print("the required stack), floor / baseline (what the required stack alone leaves),")
    print("app / baseline (against the physical limit)")
    verdicts = []
    for kind, clients in sorted({(r.kind, r.clients) for r in results}):
        app, floor, base = (by_key[(kind, clients, s)] for s in ("app", "floor", "baseline"))
        rps_ratio = app.rps / floor.rps if floor.rps else 0.0
        p99_ratio = app.p99_ms / floor.p99_ms if floor.p99_ms else float("inf")
        print(
            f"  {kind:<8} {clients:>3} clients  app/floor req/s x{rps_ratio:.2f} "
            f"p99 x{p99_ratio:.2f}  floor/base req/s x{floor.rps / base.rps:.2f} "
            f"p99 x{floor.p99_ms / base.p99_ms:.2f}  app/base req/s x{app.rps / base.rps:.2f}"
        )
        least, most_p99 = TARGETS[kind]
        verdicts.append(
            (f"{kind} req/s >= {least:.0%} of the floor's at {clients} clients",
             rps_ratio >= least, f"{rps_ratio:.0%}")
        )  # fmt: skip
        if most_p99 is not None:
            verdicts.append(
                (f"{kind} p99 <= {most_p99:g}x the floor's at {clients} clients",
                 p99_ratio <= most_p99, f"{p99_ratio:.2f}x")
            )  # fmt: skip
    print()
    print("targets (issue 14)")
    for name, passed, figure in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {figure}")
    errors = sum(r.non2xx + r.socket_errors for r in results)
    print(f"  errors (non-2xx + socket) across all phases: {errors}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds per phase")
    parser.add_argument("--clients", default="16,64", help="concurrency levels, comma-separated")
    parser.add_argument("--users", type=int, default=64, help="staff people to sign up")
    parser.add_argument("--kinds", default=",".join(KINDS), help="checkin, history or both")
    options = parser.parse_args()
    levels = [int(level) for level in options.clients.split(",")]
    options.kinds = [kind for kind in KINDS if kind in options.kinds.split(",")]

    wrk = ensure_wrk()
    started = datetime.now(UTC)
    print(
        f"API load, {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
        f"{options.duration} s per phase, gunicorn -w 2 (sync), wrk -t 2, "
        f"code {code_version()}",
        flush=True,
    )
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="api-load-")))
        try:
            results = serve_and_measure(stack, folder, wrk, levels, options, started)
        except BenchmarkError as problem:
            log = folder / "app.log"
            tail = "\n".join(log.read_text().splitlines()[-40:]) if log.exists() else ""
            raise BenchmarkError(f"{problem}\n--- end of the app's log ---\n{tail}") from None
    report(results)
    return 0


def serve_and_measure(stack, folder: Path, wrk: str, levels, options, started) -> list[Result]:
    """Prepare the three servers in `folder`, sign people up, and run every phase."""
    served = serve_all(stack, folder)
    ports = {name: port for name, (port, _process) in served.items()}
    cookies = sign_up(ports["app"], options.users)
    sessions, floor_sessions = folder / "sessions.txt", folder / "floor-sessions.txt"
    sessions.write_text("\n".join(cookies) + "\n")
    floor_sessions.write_text("\n".join(sign_in_floor(ports["floor"], options.users)) + "\n")
    occurred_at = (started - timedelta(hours=1)).isoformat(timespec="seconds")
    smoke_test(ports, cookies[0], floor_sessions.read_text().split()[0], occurred_at)
    spread = [str(int(started.timestamp())), str(SPREAD_DAYS * 86400)]

    files = {"app": sessions, "floor": floor_sessions, "baseline": sessions}
    servers = {
        name: (port, process, [str(files[name]), *spread])
        for name, (port, process) in served.items()
    }
    results = []
    for kind in options.kinds:
        cookies = take_up_cookies(ports["app"], cookies, sessions)
        measure(wrk, servers, kind, min(levels), WARMUP_SECONDS, "warm-up ")
        for clients in levels:
            cookies = take_up_cookies(ports["app"], cookies, sessions)
            results += measure(wrk, servers, kind, clients, options.duration)
    return results


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as problem:
        print(f"api_load: {problem}", file=sys.stderr)
        sys.exit(2)
