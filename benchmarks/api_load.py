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
import base64
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import baseline_app
import floor_app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LUA = HERE / "api_load.lua"
PASSWORD = "a quiet walk by the river"
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


class BenchmarkError(RuntimeError):
    pass


@dataclass
class Result:
    kind: str
    clients: int
    server: str
    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int
    requests: int
    cpu_ms: float  # the server's workers' CPU time (user + system) per request


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master's worker processes.

    Compared with wall time per request, it says whether a server was busy or waiting
    (on SQLite's write lock, say) while the clients waited.
    """
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing it with apt-get (Debian package wrk)...", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True)
        subprocess.run(install, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise BenchmarkError("wrk is missing and `apt-get install wrk` did not install it.")
    return found


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "backend"], capture_output=True)
    return head.stdout.strip() + (" + uncommitted backend changes" if dirty.stdout else "")


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(folder: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'diary.sqlite3'}",
        "DIARY_ENV": "development",
        "SCHEDULER_ENABLED": "0",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "NOTE_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
    }


def run_migrations(env: dict) -> None:
    command = [sys.executable, "-m", "flask", "--app", "backend", "db", "upgrade"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"Migrations failed:\n{done.stdout}\n{done.stderr}")


def start_gunicorn(stack: ExitStack, app: str, port: int, env: dict, cwd: Path, log: Path):
    """gunicorn, 2 sync workers, and nothing else: an empty config file, so that a
    gunicorn.conf.py in the working folder (the project's serves with gthread) is not read."""
    config = log.with_suffix(".gunicorn.conf.py")
    config.write_text("# Empty on purpose: the command line says it all.\n")
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(config), "-k", "sync", "-w", "2",
        "-b", f"127.0.0.1:{port}", app,
    ]  # fmt: skip
    env = {k: v for k, v in env.items() if k != "GUNICORN_CMD_ARGS"}
    handle = stack.enter_context(open(log, "w"))  # noqa: SIM115 (closed by the stack)
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=handle)

    def stop():
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    stack.callback(stop)
    return server


def call(port: int, method: str, path: str, body=None, cookie=None):
    """One request on its own connection; returns (status, headers, parsed body)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        text = response.read()
        return response.status, response.headers, json.loads(text) if text else None
    finally:
        connection.close()


def wait_until_up(port: int, path: str, server, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkError(f"The server on {port} exited:\n{log.read_text()[-3000:]}")
        try:
            if call(port, "GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchmarkError(f"The server on {port} did not answer {path} within 60 s.")


def sign_up(port: int, count: int) -> list[str]:
    """Register `count` staff people; returns each one's session cookie ("name=value")."""
    cookies = []
    for number in range(count):
        body = {
            "username": f"bench{number:03d}",
            "password": PASSWORD,
            "research_consent": True,
            "area": "QT6",
        }
        status, headers, answer = call(port, "POST", "/api/v1/auth/register", body)
        if status != 201:
            raise BenchmarkError(f"Registering bench{number:03d} gave {status}: {answer}")
        session = session_cookie(headers)
        if session is None:
            raise BenchmarkError("Registration set no session cookie.")
        cookies.append(session)
    return cookies


def sign_in_floor(port: int, count: int) -> list[str]:
    """Sign `count` people in to the floor server; returns each one's session cookie."""
    cookies = []
    for number in range(1, count + 1):
        status, headers, answer = call(port, "POST", f"/login/{number}")
        cookie = session_cookie(headers)
        if status != 204 or cookie is None:
            raise BenchmarkError(f"Signing in to the floor gave {status}: {answer}")
        cookies.append(cookie)
    return cookies


def session_cookie(headers) -> str | None:
    """The session cookie ("name=value") an answer sets, if it sets one."""
    found = headers.get_all("Set-Cookie") or []
    return next((c.split(";")[0] for c in found if "session=" in c), None)


def take_up_cookies(port: int, cookies: list[str], sessions: Path) -> list[str]:
    """Keep each person's latest session cookie, as a browser does; rewrite the sessions file.

    The app re-stamps a session's last activity, and so sends a new cookie, at most once a
    minute; a browser keeps it, so the person's requests in the next minute carry a fresh
    stamp and no cookie is signed again. wrk cannot take up cookies, so before each phase
    every person asks GET /api/v1/auth/me once and keeps what comes back.
    """
    fresh = []
    for cookie in cookies:
        status, headers, answer = call(port, "GET", "/api/v1/auth/me", cookie=cookie)
        if status != 200:
            raise BenchmarkError(f"GET /api/v1/auth/me gave {status}: {answer}")
        fresh.append(session_cookie(headers) or cookie)
    sessions.write_text("\n".join(fresh) + "\n")
    return fresh


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


def run_wrk(wrk: str, port: int, kind: str, clients: int, seconds: int, args: list[str]):
    """Drive one server for `seconds` with `clients` connections; returns wrk's RESULT dict."""
    threads = min(2, clients)
    command = [
        wrk, "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
        "-s", str(LUA), f"http://127.0.0.1:{port}", "--", kind, *args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise BenchmarkError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def measure(wrk, servers, kind, clients, seconds, label="") -> list[Result]:
    """One phase on each server in turn; `servers` maps a name to (port, gunicorn process,
    wrk script arguments)."""
    results = []
    for server, wrk_kind in KINDS[kind].items():
        port, process, args = servers[server]
        cpu_before = worker_cpu_seconds(process.pid)
        raw = run_wrk(wrk, port, wrk_kind, clients, seconds, args)
        cpu = worker_cpu_seconds(process.pid) - cpu_before
        socket_errors = sum(raw[k] for k in ("connect", "read", "write", "timeout"))
        result = Result(
            kind=kind,
            clients=clients,
            server=server,
            rps=raw["requests"] / (raw["duration_us"] / 1e6),
            p50_ms=raw["p50_us"] / 1000,
            p99_ms=raw["p99_us"] / 1000,
            non2xx=raw["non2xx"],
            socket_errors=socket_errors,
            requests=raw["requests"],
            cpu_ms=cpu * 1000 / raw["requests"] if raw["requests"] else float("nan"),
        )
        print(
            f"  {label}{kind:<8} {clients:>3} clients  {server:<8} {result.rps:8.0f} req/s  "
            f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
            f"CPU {result.cpu_ms:5.2f} ms/req  errors {result.non2xx + socket_errors}",
            flush=True,
        )
        results.append(result)
    return results


def report(results: list[Result]) -> None:
    by_key = {(r.kind, r.clients, r.server): r for r in results}
    print()
    print(
        "kind      clients  server     req/s   p50 ms   p99 ms  CPU ms/req  non-2xx  socket-err"
        "  requests"
    )
    for r in results:
        print(
            f"{r.kind:<9} {r.clients:>7}  {r.server:<8} {r.rps:7.0f} {r.p50_ms:8.1f} "
            f"{r.p99_ms:8.1f} {r.cpu_ms:11.2f} {r.non2xx:8d} {r.socket_errors:11d} {r.requests:9d}"
        )
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
    env = app_environment(folder)
    run_migrations(env)
    baseline_db, floor_db = folder / "baseline.sqlite3", folder / "floor.sqlite3"
    baseline_app.create_schema(str(baseline_db))
    floor_app.create_schema(str(floor_db))
    ports = {name: free_port() for name in ("app", "floor", "baseline")}
    logs = {name: folder / f"{name}.log" for name in ports}
    app_server = start_gunicorn(stack, "backend:create_app()", ports["app"], env, ROOT, logs["app"])
    floor_env = {**os.environ, "FLOOR_DB": str(floor_db), "FLOOR_SECRET": secrets.token_hex(32)}
    floor_server = start_gunicorn(
        stack, "floor_app:app", ports["floor"], floor_env, HERE, logs["floor"]
    )
    base_env = {**os.environ, "BASELINE_DB": str(baseline_db)}
    base_server = start_gunicorn(
        stack, "baseline_app:app", ports["baseline"], base_env, HERE, logs["baseline"]
    )
    wait_until_up(ports["app"], "/api/v1/taxonomy", app_server, logs["app"])
    wait_until_up(ports["floor"], "/api/openapi.json", floor_server, logs["floor"])
    wait_until_up(ports["baseline"], "/rows?person=1", base_server, logs["baseline"])

    cookies = sign_up(ports["app"], options.users)
    sessions, floor_sessions = folder / "sessions.txt", folder / "floor-sessions.txt"
    sessions.write_text("\n".join(cookies) + "\n")
    floor_sessions.write_text("\n".join(sign_in_floor(ports["floor"], options.users)) + "\n")
    occurred_at = (started - timedelta(hours=1)).isoformat(timespec="seconds")
    smoke_test(ports, cookies[0], floor_sessions.read_text().split()[0], occurred_at)
    spread = [str(int(started.timestamp())), str(SPREAD_DAYS * 86400)]

    servers = {
        "app": (ports["app"], app_server, [str(sessions), *spread]),
        "floor": (ports["floor"], floor_server, [str(floor_sessions), *spread]),
        "baseline": (ports["baseline"], base_server, [str(sessions), *spread]),
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
