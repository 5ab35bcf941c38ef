"""Session lifetimes, with a controlled clock: idle and absolute timeouts by role."""

from datetime import timedelta

import pyotp
import pytest

from backend import sessions
from backend.extensions import db
from backend.models import User
from backend.models.types import utcnow
from backend.services.accounts import second_factor
from tests.conftest import login


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sessions, "clock", clock)
    return clock


def test_a_new_session_cookie_at_every_sign_in(app, make_user):
    person = make_user()
    client = app.test_client()
    login(client, person)
    first = client.get_cookie("diary_session").value
    login(client, person)
    assert client.get_cookie("diary_session").value != first


def test_staff_session_survives_a_week_of_quiet_but_not_fifteen_days(app, make_user, clock):
    client = app.test_client()
    login(client, make_user())
    clock.advance(days=7)
    assert client.get("/api/v1/auth/me").status_code == 200
    clock.advance(days=13)
    assert client.get("/api/v1/auth/me").status_code == 200
    clock.advance(days=15)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_staff_session_ends_after_ninety_days_however_active(app, make_user, clock):
    client = app.test_client()
    login(client, make_user())
    for _ in range(9):
        clock.advance(days=10)
        assert client.get("/api/v1/auth/me").status_code == 200
    clock.advance(days=1)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_researcher_session_idles_out_after_thirty_minutes(app, make_user, clock):
    person = make_user(role="researcher")
    with app.app_context():
        secret = second_factor.enrol_now(db.session.get(User, person.id))["secret"]
    client = app.test_client()
    body = {
        "username": person.username,
        "password": person.password,
        "totp": pyotp.TOTP(secret).now(),
    }
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
    clock.advance(minutes=29)
    assert client.get("/api/v1/auth/me").status_code == 200
    clock.advance(minutes=31)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_timeouts_are_configurable(make_app, make_user, clock):
    app = make_app(SESSION_IDLE_MINUTES_STAFF=5)
    client = app.test_client()
    login(client, make_user())
    clock.advance(minutes=6)
    assert client.get("/api/v1/auth/me").status_code == 401
