"""The reminders API: the VAPID key, devices, settings, and the 422s for bad input."""

import base64
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest

from backend import create_app
from backend.extensions import db
from tests.conftest import PASSWORD, login
from tests.pushservice import make_device

ENDPOINT = "https://push.example.net/send/abc123"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": True}


@contextmanager
def fresh_app(config):
    """A second app on the same database and instance/, as after a restart."""
    app = create_app(config)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def subscription(endpoint=ENDPOINT):
    return make_device(endpoint).subscription_json()


def errors_of(response) -> dict:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]["json"]


def test_vapid_key_is_made_once_and_kept(app, signed_in, app_config):
    client, person = signed_in()
    key = client.get("/api/v1/push/vapid-public-key").get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4  # an uncompressed P-256 point, as browsers want

    path = Path(app_config["INSTANCE_PATH"]) / "vapid_private.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    # A restarted app reads the same key; it never makes a new one over it.
    with fresh_app(app_config) as again:
        client = again.test_client()
        login(client, person)
        assert client.get("/api/v1/push/vapid-public-key").get_json()["public_key"] == key
    assert path.read_bytes() == before


def test_reminders_are_for_staff_only(client, signed_in):
    assert client.get("/api/v1/reminders").status_code == 401
    researcher, _ = signed_in(role="researcher")
    assert researcher.get("/api/v1/reminders").status_code == 403
    assert researcher.post("/api/v1/push/subscriptions", json=subscription()).status_code == 403


def test_a_device_is_added_once_and_removed(signed_in):
    client, _ = signed_in()
    body = subscription()
    assert client.post("/api/v1/push/subscriptions", json=body).status_code == 204
    assert client.post("/api/v1/push/subscriptions", json=body).status_code == 204
    assert client.get("/api/v1/reminders").get_json()["devices"] == 1
    other = subscription("https://push.example.net/send/second-phone")
    client.post("/api/v1/push/subscriptions", json=other)
    assert client.get("/api/v1/reminders").get_json()["devices"] == 2

    gone = client.delete("/api/v1/push/subscriptions", json={"endpoint": ENDPOINT})
    assert gone.status_code == 204
    assert client.get("/api/v1/reminders").get_json()["devices"] == 1


def test_someone_else_cannot_remove_my_device(signed_in):
    mine, _ = signed_in()
    theirs, _ = signed_in()
    mine.post("/api/v1/push/subscriptions", json=subscription())
    theirs.delete("/api/v1/push/subscriptions", json={"endpoint": ENDPOINT})
    assert mine.get("/api/v1/reminders").get_json()["devices"] == 1


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.net/send/1",  # plain http to a real service
        "ftp://push.example.net/send/1",
        "https://10.0.0.5/send/1",  # a private address: the server would POST inside
        "https://localhost/send/1",
        "https://[::1]/send/1",
        "not a url",
    ],
)
def test_endpoints_we_will_not_send_to(signed_in, endpoint):
    client, _ = signed_in()
    response = client.post("/api/v1/push/subscriptions", json=subscription(endpoint))
    assert "endpoint" in errors_of(response)


def test_loopback_http_only_when_the_setting_allows_it(app_config, make_user):
    person = make_user()
    loopback = "http://127.0.0.1:9/push/x"
    for allowed, status in ((True, 204), (False, 422)):
        with fresh_app({**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": allowed}) as app:
            client = app.test_client()
            login(client, person)
            answer = client.post("/api/v1/push/subscriptions", json=subscription(loopback))
            assert answer.status_code == status


def test_keys_must_be_a_real_public_key_and_secret(signed_in):
    client, _ = signed_in()
    body = subscription()
    body["keys"]["p256dh"] = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).decode()
    assert "keys.p256dh" in errors_of(client.post("/api/v1/push/subscriptions", json=body))
    body = subscription()
    body["keys"]["auth"] = "c2hvcnQ"
    assert "keys.auth" in errors_of(client.post("/api/v1/push/subscriptions", json=body))
    body = subscription()
    del body["keys"]
    assert "keys" in errors_of(client.post("/api/v1/push/subscriptions", json=body))


def test_settings_start_off_and_round_trip(signed_in):
    client, _ = signed_in()
    first = client.get("/api/v1/reminders").get_json()
    assert first["enabled"] is False and first["next_due_at"] is None
    assert first["time_zone"] == "Europe/London"

    wanted = {
        "enabled": True,
        "times": ["19:15", "07:30"],
        "weekdays": ["fri", "mon"],
        "time_zone": "America/New_York",
        "only_if_not_checked_in": False,
        "paused_until": None,
    }
    saved = client.put("/api/v1/reminders", json=wanted).get_json()
    assert saved["times"] == ["07:30", "19:15"]
    assert saved["weekdays"] == ["mon", "fri"]
    assert saved["next_due_at"] is not None
    assert client.get("/api/v1/reminders").get_json() == saved

    # Left-out settings keep their values; turning off clears the next due time.
    off = client.put("/api/v1/reminders", json={"enabled": False}).get_json()
    assert off["enabled"] is False and off["next_due_at"] is None
    assert off["times"] == ["07:30", "19:15"] and off["time_zone"] == "America/New_York"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"times": ["25:00"]}, "times"),
        ({"times": ["7:30"]}, "times"),
        ({"times": ["07:00", "12:00", "18:00", "21:00"]}, "times"),
        ({"enabled": True, "weekdays": []}, "weekdays"),
        ({"enabled": True, "times": []}, "times"),
        ({"weekdays": ["funday"]}, "weekdays"),
        ({"enabled": "yes"}, "enabled"),
        ({"paused_until": "2999-01-01"}, "paused_until"),
        ({"paused_until": "next week"}, "paused_until"),
    ],
)
def test_bad_settings_get_a_422_naming_the_field(signed_in, body, field):
    client, _ = signed_in()
    client.put("/api/v1/reminders", json={"enabled": False, "times": ["08:00"]})
    response = client.put("/api/v1/reminders", json=body)
    errors = errors_of(response)
    assert field in errors, errors
    # A request that fails changes nothing.
    assert client.get("/api/v1/reminders").get_json()["times"] == ["08:00"]


def test_erasure_and_export_cover_reminders(signed_in):
    client, _ = signed_in()
    client.post("/api/v1/push/subscriptions", json=subscription())
    client.put("/api/v1/reminders", json={"enabled": True, "times": ["08:00"]})
    other = client.get("/api/v1/me/export").get_json()["other"]
    assert other["reminder_schedules"][0]["times"] == ["08:00"]
    assert other["push_subscriptions"][0]["endpoint"] == ENDPOINT

    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    from backend.models.reminders import PushSubscription, ReminderSchedule

    with client.application.app_context():
        assert db.session.query(PushSubscription).count() == 0
        assert db.session.query(ReminderSchedule).count() == 0
