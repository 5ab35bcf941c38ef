"""Starting the servers a benchmark measures, and signing people in to them.

The app under gunicorn (2 sync workers, nothing else) over a fresh, migrated SQLite
database, and the bare baseline (baseline_app.py) and the required stack's floor
(floor_app.py) the same way; a free loopback port for each, a wait until each answers, and
people signed up (the app) or signed in (the floor), with their session cookies kept as a
browser keeps them. Every server stops with the ExitStack it was started on.
"""

import base64
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PASSWORD = "a quiet walk by the river"


class BenchmarkError(RuntimeError):
    """The benchmark itself broke (not a slow figure): it stops with exit code 2."""


def free_port() -> int:
    """A loopback port nobody listens on just now."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(folder: Path) -> dict:
    """The served app's environment: a SQLite file in `folder`, fresh keys, no scheduler."""
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
    """`flask db upgrade` in that environment."""
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
    """Wait (60 s at most) until GET `path` answers 200, or say why the server exited."""
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


def serve_all(stack: ExitStack, folder: Path) -> dict:
    """The app, the floor and the baseline, each on a fresh database in `folder`, started
    and answering; returns {name: (port, gunicorn process)}. Logs: folder/NAME.log."""
    import baseline_app
    import floor_app

    env = app_environment(folder)
    run_migrations(env)
    baseline_db, floor_db = folder / "baseline.sqlite3", folder / "floor.sqlite3"
    baseline_app.create_schema(str(baseline_db))
    floor_app.create_schema(str(floor_db))
    floor_env = {**os.environ, "FLOOR_DB": str(floor_db), "FLOOR_SECRET": secrets.token_hex(32)}
    base_env = {**os.environ, "BASELINE_DB": str(baseline_db)}
    servers = {  # name: (gunicorn app, environment, working folder, a path that answers 200)
        "app": ("backend:create_app()", env, ROOT, "/api/v1/taxonomy"),
        "floor": ("floor_app:app", floor_env, HERE, "/api/openapi.json"),
        "baseline": ("baseline_app:app", base_env, HERE, "/rows?person=1"),
    }
    ports = {name: free_port() for name in servers}
    started = {}
    for name, (app, app_env, cwd, _path) in servers.items():
        log = folder / f"{name}.log"
        started[name] = (ports[name], start_gunicorn(stack, app, ports[name], app_env, cwd, log))
    for name, (port, process) in started.items():
        wait_until_up(port, servers[name][3], process, folder / f"{name}.log")
    return started
