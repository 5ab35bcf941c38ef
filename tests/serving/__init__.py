"""Helpers for tests and benchmarks that run the app as `make serve` does: real gunicorn.

- `Gunicorn` (server.py): `gunicorn -c gunicorn.conf.py` on a free loopback port, in a
  process group of its own, never left behind.
- `server_env`, `flask_cli`, `migrate` (environment.py): the served app's environment and
  `flask --app backend ...` run in it.
- `Client` (client.py): a tiny HTTP/1.1 client with a cookie jar that keeps `Secure`
  cookies over plain http to loopback.
- `group_pids`, `rss_kib`, `connection_owner` (processes.py): processes seen through /proc.
- `private_postgres` (postgres.py): a PostgreSQL database made for one test, dropped after.

Nothing here talks to anything but 127.0.0.1. Callers import from this package, not from
its modules.
"""

from .client import Client, Reply
from .environment import NOTE_KEY, ROOT, flask_cli, free_port, migrate, server_env
from .postgres import private_postgres, require_in_ci, server_url_from
from .processes import connection_owner, group_pids, rss_kib
from .server import Gunicorn, ServerFailed

__all__ = [
    "NOTE_KEY",
    "ROOT",
    "Client",
    "Gunicorn",
    "Reply",
    "ServerFailed",
    "connection_owner",
    "flask_cli",
    "free_port",
    "group_pids",
    "migrate",
    "private_postgres",
    "require_in_ci",
    "rss_kib",
    "server_env",
    "server_url_from",
]
