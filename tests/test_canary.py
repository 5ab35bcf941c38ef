"""Canaries: a distinctive note, password and push endpoint, followed everywhere they must
not go: the logs, the database (note and password), anyone else's view, any push payload."""

import json
import logging
import subprocess
from pathlib import Path

import pytest

from backend.extensions import db
from backend.services import releases, reminders
from backend.services.reminders import webpush
from tests.conftest import login, put_entry
from tests.pushservice import PushService

NOTE = "CANARY-NOTE-91c2-my-manager-shouted-again"
PASSWORD = "CANARY-PASSWORD-5d7e-correct-horse"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": True, "PRIVACY_K": 5}


def database_bytes(app) -> bytes:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        if url.startswith("sqlite"):
            db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    return subprocess.run(["pg_dump", plain], capture_output=True, check=True).stdout


def test_canaries_go_nowhere_they_should_not(app, make_user, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    owner = app.test_client()
    registered = owner.post(
        "/api/v1/auth/register",
        json={"username": "canary.owner", "password": PASSWORD, "research_consent": True,
              "area": "QT6", "role_group": "care_worker", "setting": "home_care"},
    )  # fmt: skip
    assert registered.status_code == 201
    for mood in (1, 2, 1):
        put_entry(owner, mood=mood, note=NOTE, needs=["someone_to_talk_to"])
    refused = put_entry(owner, mood=9, note=NOTE)[1]
    assert refused.status_code == 422 and NOTE not in refused.get_data(as_text=True)
    bad_login = owner.post(
        "/api/v1/auth/login", json={"username": "canary.owner", "password": PASSWORD + "x"}
    )
    assert bad_login.status_code == 401

    others = [signed_in(area="QT6")[0] for _ in range(6)]
    for other in others:
        put_entry(other, mood=3, note="an ordinary day")

    with PushService(expected_vapid_key=webpush.public_key(app)) as push:
        device = push.new_device()
        endpoint = device.endpoint
        assert (
            owner.post("/api/v1/push/subscriptions", json=device.subscription_json()).status_code
            == 204
        )
        assert (
            owner.put(
                "/api/v1/reminders", json={"enabled": True, "times": ["07:30"], "weekdays": ["mon"]}
            ).status_code
            == 200
        )
        assert owner.post("/api/v1/push/test", json={}).status_code in (200, 202, 204)
        with app.app_context():
            reminders.send_due(app)
        payloads = [d.plaintext for d in push.deliveries]
    assert payloads, "no push reached the double"
    for payload in payloads:
        for canary in (NOTE, PASSWORD, endpoint):
            assert canary.encode() not in payload

    with app.app_context():
        releases.publish()
    researcher = app.test_client()
    login(researcher, make_user(role="researcher"))
    seen_by_others = [
        *(o.get("/api/v1/me/export").get_data() for o in others),
        *(o.get("/api/v1/me/export?format=csv").get_data() for o in others),
        *(o.get("/api/v1/entries").get_data() for o in others),
        researcher.get("/api/v1/me/export").get_data(),
        *(
            researcher.get(f"/api/v1/insights/{path}").get_data()
            for path in ("releases", "trends?level=area", "needs-map", "alerts", "export.csv")
        ),
    ]
    assert any(b"QT6" in body for body in seen_by_others), "the researcher saw no release"
    for body in seen_by_others:
        for canary in (NOTE, PASSWORD, endpoint):
            assert canary.encode() not in body

    own = json.loads(owner.get("/api/v1/me/export").get_data())
    assert {e["note"] for e in own["entries"]} == {NOTE}

    stored = database_bytes(app)
    assert b"canary.owner" in stored
    assert NOTE.encode() not in stored
    assert PASSWORD.encode() not in stored

    assert caplog.records, "nothing was logged at all: the check would prove nothing"
    for canary in (NOTE, PASSWORD, endpoint):
        assert canary not in caplog.text
