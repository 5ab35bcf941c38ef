"""PostgreSQL databases made for one test (or benchmark) and dropped afterwards."""

import os
import uuid
from contextlib import contextmanager


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
