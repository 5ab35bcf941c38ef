"""Fixtures: a fresh app and an empty database for every test, on SQLite and PostgreSQL.

The schema is built by running the migrations (once per session per database), then each
test starts from an empty copy: a copied SQLite file, or truncated PostgreSQL tables in a
database made for this test session alone (so parallel sessions never meet).
"""

import base64
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from backend import create_app
from backend.config import sqlalchemy_url
from backend.extensions import db, limiter

PASSWORD = "a quiet walk by the river"
TEST_NOTE_KEY = base64.b64encode(b"k" * 32).decode()
BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL") else [])


def wrong_code(secret: str) -> str:
    """Six digits the authenticator app would not accept now: the server takes the codes of
    the step before and after too, so none of those three."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    accepted = {totp.at(now + 30 * step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def base_config(database_url: str, instance_path: str, **extra) -> dict:
    """The configuration every test app starts from."""
    return {
        "TESTING": True,
        "DIARY_ENV": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": "test-secret-key",
        "NOTE_KEY": TEST_NOTE_KEY,
        "SCHEDULER_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "test",
        **extra,
    }


def migrate_to_head(database_url: str, instance_path: str) -> None:
    app = create_app(base_config(database_url, instance_path))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file with the migrated, empty schema, copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    migrate_to_head(f"sqlite:///{path}", str(folder))
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A PostgreSQL database of this session's own, migrated to head, dropped at the end."""
    server = sa.engine.make_url(sqlalchemy_url(os.environ["TEST_DATABASE_URL"]))
    name = f"diary_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url, str(tmp_path_factory.mktemp("pg")))
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """An empty, migrated database: a SQLite file, or (when configured) PostgreSQL."""
    return database_for(request, tmp_path)


def database_for(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "diary.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture
def app_config(database_url, tmp_path, request):
    """Override in a test module to change settings; the `app` fixture reads it.

    A test marked `@pytest.mark.app_settings(NAME=value, ...)` gets those settings too.
    """
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    marker = request.node.get_closest_marker("app_settings")
    return base_config(database_url, str(instance), **(marker.kwargs if marker else {}))


def close_app(app) -> None:
    """Give back every database connection an app holds (PostgreSQL warns otherwise)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        # The limiter is one object for the process: clear what earlier tests counted.
        limiter.reset()
    yield app
    close_app(app)


@pytest.fixture
def make_app(app_config):
    """make_app(**overrides): another app on the same database, closed after the test."""
    made = []

    def make(**overrides):
        made.append(create_app({**app_config, **overrides}))
        return made[-1]

    yield make
    for app in made:
        close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class Person:
    id: int
    username: str
    password: str
    role: str
    # Researchers and admins need a second step: their TOTP secret and unused recovery codes.
    totp_secret: str | None = None
    recovery_codes: list[str] = field(default_factory=list)


def settle(user, established: bool = True, vouched: bool = True) -> None:
    """Make a new staff account one that counts at once: made 30 days ago, established, and
    (with an area) vouched for by a join code of the hub's. The caller commits."""
    from backend.services import join_codes

    if established:
        user.created_at = datetime.now(UTC) - timedelta(days=30)
        user.established_at = datetime.now(UTC) - timedelta(days=16)
    if vouched and user.area:
        code, _row = join_codes.issue(user.area)
        join_codes.use(user, code)


@pytest.fixture
def make_user(app):
    """make_user(role="staff", research_consent=True, area=..., ...) -> Person.

    A staff account counts in releases at once unless told otherwise: `established=False`
    makes a fresh account (it waits, as a real one does), `vouched=False` leaves its area
    self-declared (it counts from region level up).
    """
    counter = iter(range(1, 1_000_000))

    def make(
        username=None,
        role="staff",
        password=PASSWORD,
        research_consent=True,
        established=True,
        vouched=True,
        **profile,
    ):
        from backend.services import accounts
        from backend.services.accounts import second_factor

        username = username or f"{role}{next(counter)}"
        with app.app_context():
            if role == "staff":
                profile.setdefault("area", "QT6")
                profile.setdefault("role_group", "care_worker")
                profile.setdefault("setting", "home_care")
                user = accounts.register(username, password, research_consent, **profile)
                settle(user, established, vouched)
                db.session.commit()
                return Person(user.id, user.username, password, user.role)
            user = accounts.create_account(username, password, role)
            second = second_factor.enrol_now(user)
            return Person(
                user.id,
                user.username,
                password,
                user.role,
                second["secret"],
                second["recovery_codes"],
            )

    return make


def login(client, person: Person):
    """Sign a test client in as this person (using up a recovery code for a second step)."""
    body = {"username": person.username, "password": person.password}
    if person.totp_secret:
        body["recovery_code"] = person.recovery_codes.pop()
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.get_json()
    return response


@pytest.fixture
def signed_in(app, make_user):
    """signed_in(**user_args) -> (client, person): a fresh client signed in as a new person."""

    def make(**kwargs):
        person = make_user(**kwargs)
        client = app.test_client()
        login(client, person)
        return client, person

    return make


def database_rows(app) -> dict[str, list[str]]:
    """Every row of every table, sorted: equal before and after means nothing changed."""
    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(sa.select(table)))
            for table in db.metadata.sorted_tables
        }


def entry_body(**overrides) -> dict:
    """A valid check-in body, an hour ago unless told otherwise."""
    body = {
        "occurred_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "mood": 3,
        "energy": 2,
        "sleep": None,
        "stress": 4,
        "factors": ["workload", "staffing"],
        "needs": ["someone_to_talk_to"],
        "note": "Long shift, but the team pulled together.",
    }
    body.update(overrides)
    return body


def put_entry(client, entry_id=None, **overrides):
    """PUT a check-in with a new (or given) client-made id; returns (id, response)."""
    entry_id = entry_id or str(uuid.uuid4())
    response = client.put(f"/api/v1/entries/{entry_id}", json=entry_body(**overrides))
    return entry_id, response
