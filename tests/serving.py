"""Helpers for tests and benchmarks that run the app as `make serve` does: real gunicorn.

- `Gunicorn`: `gunicorn -c gunicorn.conf.py` in a process group of its own (master and
  workers), started on a free loopback port, waited for until it answers, and stopped
  (SIGTERM) or killed (SIGKILL to the whole group); never left behind.
- `flask_cli`: `flask --app backend ...` as a subprocess with the same environment.
- `Client`: a tiny HTTP/1.1 client on http.client with a cookie jar that also keeps
  `Secure`/`__Host-` cookies (the tests speak plain http to loopback and say
  `X-Forwarded-Proto: https`, as a TLS-terminating proxy would).
- PostgreSQL databases made for one test and dropped afterwards.

Nothing here talks to anything but 127.0.0.1.
"""

import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE_KEY = base64.b64encode(b"s" * 32).decode()
# Settings of the developer's shell that must not leak into a server a test starts.
_SCRUB = (
    "DATABASE_URL",
    "REDIS_URL",
    "DIARY_ENV",
    "SECRET_KEY",
    "NOTE_KEY",
    "BIND",
    "WEB_CONCURRENCY",
    "THREADS",
    "TRUSTED_PROXIES",
    "SCHEDULER_ENABLED",
    "RELEASE_INTERVAL_MINUTES",
    "LOGIN_LIMIT_PER_ACCOUNT",
    "LOGIN_LIMIT_PER_ADDRESS",
    "PRIVACY_K",
    "ALLOWED_ORIGINS",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a served app: this process's, minus app settings, plus these."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        DATABASE_URL=database_url,
        DIARY_ENV="development",
        SECRET_KEY="serving-test-secret-" + uuid.uuid4().hex,
        NOTE_KEY=NOTE_KEY,
        WEB_CONCURRENCY="2",
        LOG_LEVEL="info",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in settings.items()})
    return env


def flask_cli(env: dict, *args: str, input: str | None = None, timeout: float = 180):
    """Run `flask --app backend ARGS` in the repository; returns the CompletedProcess."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "backend", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"flask {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result


def migrate(env: dict) -> None:
    flask_cli(env, "db", "upgrade")


# ---------------------------------------------------------------- processes


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a process, or None if it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def group_pids(pgid: int) -> list[int]:
    """Live (not zombie) processes in this process group."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[2] == pgid and stat[0] != "Z":
                found.append(int(entry))
    return sorted(found)


def rss_kib(pids: list[int]) -> int:
    """The summed resident set size of these processes, in KiB."""
    total = 0
    for pid in pids:
        with suppress(FileNotFoundError, ProcessLookupError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


class ServerFailed(AssertionError):
    pass


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py` serving the app, as `make serve` runs it.

    Each server gets a control socket of its own (gunicorn 27 otherwise shares
    ~/.gunicorn/gunicorn.ctl between every server on the machine).
    """

    def __init__(self, env: dict, folder: Path, name: str = "gunicorn"):
        self.env, self.folder, self.name = env, Path(folder), name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0
        self.log_path = self.folder / f"{name}.log"

    # -- lifecycle
    def start(self, timeout: float = 120) -> "Gunicorn":
        """Start on a free port and wait until it answers; retries if the port was taken."""
        for _attempt in range(3):
            self.port = free_port()
            self.starts += 1
            env = {**self.env, "BIND": f"127.0.0.1:{self.port}"}
            control = self.folder / f"{self.name}-{self.starts}.ctl"
            with open(self.log_path, "a") as log:
                log.write(f"\n==== start {self.starts} on port {self.port}\n")
                log.flush()
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                     "--control-socket", str(control)],
                    cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    start_new_session=True,
                )  # fmt: skip
            if self._wait_ready(timeout):
                return self
            self.kill()
        raise ServerFailed(f"gunicorn did not start; log:\n{self.log_tail()}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            with suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    conn.request("GET", "/api/v1/taxonomy")
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        return True
                finally:
                    conn.close()
            time.sleep(0.2)
        raise ServerFailed(f"gunicorn gave no answer in {timeout} s; log:\n{self.log_tail()}")

    @property
    def pgid(self) -> int:
        return self.proc.pid

    def pids(self) -> list[int]:
        """Master and workers (the master first)."""
        if self.proc is None:
            return []
        live = group_pids(self.pgid)
        return sorted(live, key=lambda pid: pid != self.proc.pid)

    def worker_pids(self) -> list[int]:
        return [pid for pid in self.pids() if pid != self.proc.pid]

    def wait_for_workers(self, count: int, timeout: float = 60) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = self.worker_pids()
            if len(workers) >= count:
                return workers
            time.sleep(0.1)
        raise ServerFailed(f"fewer than {count} workers; log:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to master and workers at once, then wait until none is left."""
        self._signal_group(signal.SIGKILL, grace=0)

    def stop(self, grace: float = 40) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL whatever is left."""
        self._signal_group(signal.SIGTERM, grace=grace)

    def _signal_group(self, sig: int, grace: float) -> None:
        if self.proc is None:
            return
        pgid = self.pgid
        with suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        try:
            self.proc.wait(timeout=grace if grace else 30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while group_pids(pgid) and time.monotonic() < deadline:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            time.sleep(0.05)
        left = group_pids(pgid)
        self.proc = None
        if left:
            raise ServerFailed(f"processes {left} of gunicorn group {pgid} would not die")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 6000) -> str:
        return self.log_text()[-chars:]

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def connection_owner(client_port: int, server_port: int, candidates: list[int]) -> int | None:
    """Which of these processes holds the server end of a loopback TCP connection."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                local_port = int(parts[1].rsplit(":", 1)[1], 16)
                remote_port = int(parts[2].rsplit(":", 1)[1], 16)
                if local_port == server_port and remote_port == client_port:
                    inode = parts[9]
    if inode is None or inode == "0":
        return None
    target = f"socket:[{inode}]"
    for pid in candidates:
        with suppress(FileNotFoundError, ProcessLookupError, PermissionError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with suppress(FileNotFoundError, OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                        return pid
    return None


# ---------------------------------------------------------------- HTTP


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


@dataclass
class Client:
    """One keep-alive connection and a cookie jar; not thread-safe (one per thread)."""

    port: int
    headers: dict = field(default_factory=dict)
    timeout: float = 60
    cookies: dict = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.connect()
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request_headers(self, body: bytes | None, extra: dict | None) -> dict:
        headers = {**self.headers, **(extra or {})}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def keep_cookies(self, message: http.client.HTTPMessage) -> None:
        for value in message.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";", 1)[0]
            expired = "max-age=0" in value.lower().replace(" ", "") or not cookie_value
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Reply:
        """Send one request; a stale keep-alive connection is retried once on a new one."""
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            reused = self.conn is not None
            conn = self.connect()
            try:
                conn.request(method, path, body=data, headers=self.request_headers(data, headers))
                response = conn.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            self.keep_cookies(response.headers)
            if response.will_close:
                self.close()
            return Reply(response.status, response.headers, raw)
        raise AssertionError("unreachable")

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Reply:
        return self.request("POST", path, body if body is not None else {}, **kw)

    def put(self, path: str, body, **kw) -> Reply:
        return self.request("PUT", path, body, **kw)


# ---------------------------------------------------------------- PostgreSQL


def server_url_from(test_database_url: str):
    """The PostgreSQL server named by TEST_DATABASE_URL, as a SQLAlchemy URL (psycopg 3)."""
    import sqlalchemy as sa

    from backend.config import sqlalchemy_url

    return sa.engine.make_url(sqlalchemy_url(test_database_url))


@contextmanager
def private_postgres(test_database_url: str, label: str):
    """A database of this test's own on that server (URL string), dropped afterwards."""
    import sqlalchemy as sa

    server = server_url_from(test_database_url)
    name = f"diary_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False), admin, name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def require_in_ci(reason: str):
    """Missing services: a loud failure under CI=true, a skip with the reason elsewhere."""
    import pytest

    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI must provide this: {reason}", pytrace=False)
    pytest.skip(reason)
