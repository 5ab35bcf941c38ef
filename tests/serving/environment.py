"""The environment of a served app, and the `flask` command run in it.

- `server_env`: this process's environment minus the developer's app settings, plus a
  test's own (a fresh secret, a fixed note key).
- `flask_cli`: `flask --app backend ...` as a subprocess in the repository; `migrate` is
  `flask db upgrade`.
"""

import base64
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
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
