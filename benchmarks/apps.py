"""The app in a benchmark's own process, over a database made for the run.

For the benchmarks that call the app directly (the test client, or its services): a test
configuration with the scheduler off, over a fresh SQLite file in a temporary folder or a
PostgreSQL database of the run's own, dropped afterwards.
"""

import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from backend import create_app  # noqa: E402
from tests.serving import private_postgres  # noqa: E402


def benchmark_app(database_url: str, folder, **settings):
    """The app over that database, configured as in tests, with `settings` on top."""
    return create_app(
        {
            "TESTING": True,
            "DIARY_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "benchmark",
            "NOTE_KEY": "a" * 43 + "=",
            "SCHEDULER_ENABLED": False,
            **settings,
        }
    )


@contextmanager
def fresh_database(server_url: str | None, folder, name: str):
    """The URL of an empty database: on that PostgreSQL server if one is given (made for
    this run and dropped after it), otherwise a SQLite file `name`.sqlite3 in `folder`."""
    if not server_url:
        yield f"sqlite:///{folder}/{name}.sqlite3"
        return
    with private_postgres(server_url, f"bench_{name}") as (url, _admin, _database):
        yield url
