"""Graceful degradation: with the database out of reach the API answers 503, in the one shape.

tests/test_errors.py covers a SQLite file that cannot be opened. Here: a PostgreSQL server
that is not there at all (a closed loopback port), and one that goes away in the middle of
a run and comes back (a private database stops accepting connections and its sessions
are ended, as in a failover). While it is gone, every call that needs the database is a
JSON 503 and changes nothing; what needs no database (the taxonomy, for someone not
signed in: a session is checked against the database on every request) still answers; once
it is back the same app, unrestarted, serves again.
"""

import os
import time
import uuid

import pytest
import sqlalchemy as sa

from backend import create_app
from backend.extensions import db
from tests.conftest import PASSWORD, base_config, entry_body, migrate_to_head
from tests.serving import free_port, private_postgres
from tests.test_errors import assert_error_shape


def assert_unavailable(response):
    body = assert_error_shape(response, 503)
    assert "try again" in body["message"]


def calls_needing_the_database(client, entry_id: str):
    yield client.put(f"/api/v1/entries/{entry_id}", json=entry_body(mood=1))
    yield client.get("/api/v1/entries")
    yield client.get("/api/v1/me/summary?period=week")
    yield client.get("/api/v1/auth/me")
    yield client.post("/api/v1/auth/login", json={"username": "nobody", "password": PASSWORD})


def test_postgres_server_not_there_is_503(tmp_path):
    """Nothing listens on the port: signing in or up is a 503; the taxonomy still works."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/diary"
    app = create_app(base_config(url, str(tmp_path)))
    client = app.test_client()
    assert_unavailable(
        client.post("/api/v1/auth/login", json={"username": "someone", "password": PASSWORD})
    )
    assert_unavailable(
        client.post(
            "/api/v1/auth/register",
            json={"username": "someone", "password": PASSWORD, "research_consent": True},
        )
    )
    assert client.get("/api/v1/taxonomy").status_code == 200
    with app.app_context():
        db.engine.dispose()


def _cut_off(admin, name: str) -> None:
    """The database refuses new connections and every open one is ended."""
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            left = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar()
            if not left:
                return
            time.sleep(0.1)
    raise AssertionError("sessions of the test database would not end")


def _restore(admin, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))


@pytest.mark.postgres
def test_postgres_going_away_mid_run_is_503_then_recovers(tmp_path):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("needs TEST_DATABASE_URL (a PostgreSQL server to make a database on)")
    with private_postgres(os.environ["TEST_DATABASE_URL"], "degrade") as (url, admin, name):
        migrate_to_head(url, str(tmp_path))
        app = create_app(base_config(url, str(tmp_path)))
        from backend.services import accounts

        with app.app_context():
            accounts.register("survivor", PASSWORD, True, area="QT6")
        client = app.test_client()
        login = {"username": "survivor", "password": PASSWORD}
        assert client.post("/api/v1/auth/login", json=login).status_code == 200
        kept = str(uuid.uuid4())
        assert client.put(f"/api/v1/entries/{kept}", json=entry_body()).status_code == 201
        lost = str(uuid.uuid4())
        try:
            _cut_off(admin, name)
            # Pooled connections were ended under the app, and new ones are refused.
            for response in calls_needing_the_database(client, lost):
                assert_unavailable(response)
            # Someone not signed in still gets what needs no database.
            assert app.test_client().get("/api/v1/taxonomy").status_code == 200
        finally:
            _restore(admin, name)
        # Back: the same app and the same session serve again; the refused write left nothing.
        listed = client.get("/api/v1/entries")
        assert listed.status_code == 200, listed.get_json()
        assert [item["id"] for item in listed.get_json()["items"]] == [kept]
        assert client.get(f"/api/v1/entries/{lost}").status_code == 404
        assert client.put(f"/api/v1/entries/{lost}", json=entry_body()).status_code == 201
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
