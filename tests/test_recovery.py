"""The recovery key: shown once at sign-up, the way back in after a forgotten password."""

import re

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from tests.conftest import PASSWORD, database_rows, login, put_entry
from tests.test_errors import assert_error_shape

KEY = re.compile(r"^[0-9A-F]{4}(-[0-9A-F]{4}){7}$")
NEW_PASSWORD = "a different walk by the sea"
# Small sign-in budgets, quick to use up.
TIGHT_LIMITS = pytest.mark.app_settings(
    LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_ADDRESS="6 per minute"
)


def sign_up(client, username="forgetful"):
    body = {"username": username, "password": PASSWORD, "research_consent": True}
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def recover(client, username, key, new_password=NEW_PASSWORD, address="127.0.0.1", **extra):
    body = {"username": username, "recovery_key": key, "new_password": new_password, **extra}
    return client.post("/api/v1/auth/recover", json=body, environ_base={"REMOTE_ADDR": address})


def test_sign_up_shows_a_recovery_key_once_and_keeps_only_its_hash(app, client):
    person = sign_up(client)
    key = person["recovery_key"]
    assert KEY.match(key)
    assert person["has_recovery_key"] is True
    me = client.get("/api/v1/auth/me").get_json()
    assert "recovery_key" not in me and me["has_recovery_key"] is True
    with app.app_context():
        stored = db.session.scalar(sa.select(User.recovery_key_hash))
    assert stored.startswith("$argon2id$")
    assert key not in str(database_rows(app))


def test_recovery_sets_a_new_password_ends_other_sessions_and_keeps_the_diary(app, client):
    key = sign_up(client)["recovery_key"]
    entry_id, saved = put_entry(client, note="Notes survive recovery.")
    assert saved.status_code == 201
    other_phone = app.test_client()
    login_body = {"username": "forgetful", "password": PASSWORD}
    assert other_phone.post("/api/v1/auth/login", json=login_body).status_code == 200

    phone = app.test_client()
    response = recover(phone, "Forgetful", key)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["username"] == "forgetful"
    assert KEY.match(answer["recovery_key"]) and answer["recovery_key"] != key
    # This phone is signed in; every other session has ended.
    assert phone.get("/api/v1/auth/me").status_code == 200
    assert other_phone.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401
    # The notes and history are all still there.
    entry = phone.get(f"/api/v1/entries/{entry_id}").get_json()
    assert entry["note"] == "Notes survive recovery."
    # The new password works, the old one does not, and the used key has stopped working.
    fresh = app.test_client()
    assert fresh.post("/api/v1/auth/login", json=login_body).status_code == 401
    login_body["password"] = NEW_PASSWORD
    assert fresh.post("/api/v1/auth/login", json=login_body).status_code == 200
    assert recover(app.test_client(), "forgetful", key, "yet another long one").status_code == 401
    again = recover(app.test_client(), "forgetful", answer["recovery_key"], "yet another long one")
    assert again.status_code == 200


def test_a_key_copied_by_hand_still_works(client, app):
    key = sign_up(client)["recovery_key"]
    by_hand = key.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert recover(app.test_client(), "forgetful", f"  {by_hand} ").status_code == 200


def test_unknown_name_and_wrong_key_get_the_same_answer_and_change_nothing(app, client):
    key = sign_up(client)["recovery_key"]
    wrong = ("0000" if not key.startswith("0000") else "1111") + key[4:]
    before = database_rows(app)
    answers = [
        recover(app.test_client(), "forgetful", wrong),
        recover(app.test_client(), "nobody-here", key),
    ]
    for response in answers:
        assert_error_shape(response, 401)
    assert answers[0].get_json() == answers[1].get_json()
    assert answers[0].get_json()["errors"]["json"]["recovery_key"]
    assert database_rows(app) == before
    assert client.get("/api/v1/auth/me").status_code == 200


def test_an_account_without_a_key_gets_the_same_answer(app, client):
    key = sign_up(client)["recovery_key"]
    with app.app_context():
        db.session.execute(sa.update(User).values(recovery_key_hash=None))
        db.session.commit()
    response = recover(app.test_client(), "forgetful", key)
    assert_error_shape(response, 401)
    assert response.get_json()["message"] == "That username and recovery key do not match."


@pytest.mark.parametrize(
    "body, field",
    [
        ({"new_password": "short"}, "new_password"),
        ({"new_password": "password123"}, "new_password"),
        ({"recovery_key": ""}, "recovery_key"),
        ({"username": None}, "username"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(app, client, body, field):
    key = sign_up(client)["recovery_key"]
    before = database_rows(app)
    full = {"username": "forgetful", "recovery_key": key, "new_password": NEW_PASSWORD, **body}
    response = app.test_client().post("/api/v1/auth/recover", json=full)
    assert_error_shape(response, 422)
    assert field in response.get_json()["errors"]["json"]
    assert database_rows(app) == before


@TIGHT_LIMITS
def test_recovery_is_throttled_per_account_from_any_address(app, client):
    sign_up(client)
    statuses = [
        recover(app.test_client(), "forgetful", "0" * 32, address=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


@TIGHT_LIMITS
def test_recovery_is_throttled_per_address_across_accounts(app):
    client = app.test_client()
    statuses = [recover(client, f"name{n}", "0" * 32).status_code for n in range(7)]
    assert statuses == [401] * 6 + [429]


def test_a_new_key_from_settings_replaces_the_old_one(app, client, monkeypatch):
    old = sign_up(client)["recovery_key"]
    response = client.post("/api/v1/auth/recovery-key", json={})
    assert response.status_code == 201
    new = response.get_json()["recovery_key"]
    assert KEY.match(new) and new != old
    assert recover(app.test_client(), "forgetful", old).status_code == 401
    assert recover(app.test_client(), "forgetful", new).status_code == 200


def test_a_new_key_needs_a_recent_sign_in_or_the_password(app, client, monkeypatch):
    from backend import sessions
    from tests.test_sessions import Clock

    clock = Clock()
    monkeypatch.setattr(sessions, "clock", clock)
    sign_up(client)
    clock.advance(minutes=11)
    before = database_rows(app)
    asked = client.post("/api/v1/auth/recovery-key", json={})
    assert_error_shape(asked, 403)
    assert "password" in asked.get_json()["errors"]["json"]
    wrong = client.post("/api/v1/auth/recovery-key", json={"password": "not my password"})
    assert_error_shape(wrong, 422)
    assert database_rows(app) == before
    right = client.post("/api/v1/auth/recovery-key", json={"password": PASSWORD})
    assert right.status_code == 201
    # The password counts as a recent sign-in for the next few minutes.
    assert client.post("/api/v1/auth/recovery-key", json={}).status_code == 201


def test_a_researcher_still_needs_the_second_step_to_recover(app, make_user):
    researcher = make_user(role="researcher")
    client = app.test_client()
    login(client, researcher)
    key = client.post("/api/v1/auth/recovery-key", json={}).get_json()["recovery_key"]
    before = database_rows(app)
    without = recover(app.test_client(), researcher.username, key)
    assert_error_shape(without, 401)
    assert "totp" in without.get_json()["errors"]["json"]
    assert database_rows(app) == before
    code = researcher.recovery_codes.pop()
    done = recover(app.test_client(), researcher.username, key, recovery_code=code)
    assert done.status_code == 200
