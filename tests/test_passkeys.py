"""Passkeys through the API, answered by a software authenticator with real P-256 keys."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Passkey, PasskeyChallenge
from backend.models.types import utcnow
from tests.authenticator import Authenticator, b64url
from tests.conftest import PASSWORD, database_rows, login
from tests.test_errors import assert_error_shape

BASE = "/api/v1/auth/passkeys"


def add_passkey(client, device=None, name=None, **body):
    device = device or Authenticator()
    options = client.post(f"{BASE}/registration/options", json=body)
    assert options.status_code == 200, options.get_json()
    answer = {"credential": device.create(options.get_json()), "name": name}
    response = client.post(f"{BASE}/registration", json=answer)
    assert response.status_code == 201, response.get_json()
    return device, response.get_json()


def sign_in_options(client):
    response = client.post(f"{BASE}/sign-in/options", json={})
    assert response.status_code == 200
    return response.get_json()


def sign_in(client, device, **how):
    credential = device.get(sign_in_options(client), **how)
    return client.post(f"{BASE}/sign-in", json={"credential": credential})


def rows_but_challenges(app):
    rows = database_rows(app)
    rows.pop("passkey_challenges")
    return rows


def test_sign_in_with_a_passkey_and_no_username(app, signed_in):
    client, person = signed_in()
    device, added = add_passkey(client)
    assert added["name"] == "Passkey 1" and added["last_used_at"] is None
    client.post("/api/v1/auth/logout", json={})

    options = sign_in_options(app.test_client())["publicKey"]
    assert options["rpId"] == "localhost" and options["userVerification"] == "preferred"
    assert not options.get("allowCredentials")  # discoverable: the phone offers it
    phone = app.test_client()
    response = sign_in(phone, device)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["username"] == person.username
    assert phone.get("/api/v1/auth/me").get_json()["username"] == person.username
    listed = phone.get(BASE).get_json()
    assert listed[0]["last_used_at"] is not None


def test_registration_asks_for_a_discoverable_passkey_and_excludes_known_ones(signed_in):
    client, person = signed_in()
    device, _ = add_passkey(client)
    options = client.post(f"{BASE}/registration/options", json={}).get_json()["publicKey"]
    selection = options["authenticatorSelection"]
    assert selection["residentKey"] == "required"
    assert selection["userVerification"] == "preferred"
    assert options["user"]["name"] == person.username
    assert options["user"]["id"] != b64url(str(person.id).encode())
    assert [c["id"] for c in options["excludeCredentials"]] == [b64url(device.credential_id)]
    assert options["timeout"] == 120_000


def test_several_passkeys_with_names_that_can_change(app, signed_in):
    client, _ = signed_in()
    add_passkey(client)
    _, second = add_passkey(client, name="  Work   phone ")
    assert second["name"] == "Work phone"
    renamed = client.patch(f"{BASE}/{second['id']}", json={"name": "My old phone"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "My old phone"
    assert [p["name"] for p in client.get(BASE).get_json()] == ["Passkey 1", "My old phone"]
    before = database_rows(app)
    for name in ["   ", "x" * 61]:
        assert_error_shape(client.patch(f"{BASE}/{second['id']}", json={"name": name}), 422)
    assert database_rows(app) == before


def test_another_persons_passkey_is_not_found(app, signed_in):
    mine, _ = signed_in()
    theirs, _ = signed_in()
    _, passkey = add_passkey(theirs)
    before = database_rows(app)
    assert_error_shape(mine.patch(f"{BASE}/{passkey['id']}", json={"name": "Mine now"}), 404)
    assert_error_shape(mine.delete(f"{BASE}/{passkey['id']}", json={}), 404)
    huge = mine.delete(f"{BASE}/99999999999", json={})  # past any id: refused, never a 500
    assert_error_shape(huge, huge.status_code) and 400 <= huge.status_code < 500
    assert database_rows(app) == before
    assert mine.get(BASE).get_json() == []


def test_removing_a_passkey_needs_a_recent_sign_in(app, signed_in, monkeypatch):
    from backend import sessions
    from tests.test_sessions import Clock

    clock = Clock()
    monkeypatch.setattr(sessions, "clock", clock)
    client, _ = signed_in()
    device, passkey = add_passkey(client)
    clock.advance(minutes=11)
    before = database_rows(app)
    asked = client.delete(f"{BASE}/{passkey['id']}", json={})
    assert_error_shape(asked, 403)
    assert "password" in asked.get_json()["errors"]["json"]
    assert_error_shape(client.post(f"{BASE}/registration/options", json={}), 403)
    assert_error_shape(client.delete(f"{BASE}/{passkey['id']}", json={"password": "no"}), 422)
    assert database_rows(app) == before
    assert client.delete(f"{BASE}/{passkey['id']}", json={"password": PASSWORD}).status_code == 204
    assert client.get(BASE).get_json() == []
    assert_error_shape(sign_in(app.test_client(), device), 401)


def _count_back(device):
    device.sign_count = 10
    return {"count": 3}


BROKEN = {
    "another origin": lambda device: {"origin": "http://localhost:6666"},
    "another site": lambda device: {"origin": "https://evil.example", "rp_id": "evil.example"},
    "another relying party": lambda device: {"rp_id": "example.org"},
    "a sign count that went backwards": _count_back,
}


@pytest.mark.parametrize("how", BROKEN)
def test_a_broken_sign_in_is_refused_and_changes_nothing(app, signed_in, how):
    client, _ = signed_in()
    device, _ = add_passkey(client)
    if how == "a sign count that went backwards":
        assert sign_in(app.test_client(), device, count=5).status_code == 200
    before = rows_but_challenges(app)
    phone = app.test_client()
    response = sign_in(phone, device, **BROKEN[how](device))
    assert_error_shape(response, 401)
    assert "credential" in response.get_json()["errors"]["json"]
    assert rows_but_challenges(app) == before
    assert phone.get("/api/v1/auth/me").status_code == 401


def test_an_unknown_passkey_or_a_bad_signature_is_refused(app, signed_in):
    client, _ = signed_in()
    device, _ = add_passkey(client)
    before = rows_but_challenges(app)
    stranger = Authenticator()
    stranger.user_handle = device.user_handle
    assert_error_shape(sign_in(app.test_client(), stranger), 401)
    phone = app.test_client()
    credential = device.get(sign_in_options(phone))
    credential["response"]["signature"] = b64url(b"\x30\x06\x02\x01\x01\x02\x01\x01")
    assert_error_shape(phone.post(f"{BASE}/sign-in", json={"credential": credential}), 401)
    garbage = {"credential": {"rawId": "!!", "response": "no"}}
    sign_in_options(phone)
    assert_error_shape(phone.post(f"{BASE}/sign-in", json=garbage), 401)
    assert rows_but_challenges(app) == before


def test_backup_eligibility_may_not_change(app, signed_in):
    client, _ = signed_in()
    device, _ = add_passkey(client, Authenticator(backup_eligible=True, backed_up=False))
    device.backed_up = True  # synced since: fine, and noted
    assert sign_in(app.test_client(), device).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(Passkey.backed_up)) is True
    before = rows_but_challenges(app)
    device.backup_eligible = device.backed_up = False
    assert_error_shape(sign_in(app.test_client(), device), 401)
    assert rows_but_challenges(app) == before


def test_a_challenge_works_once_for_its_own_session_within_two_minutes(app, signed_in):
    client, _ = signed_in()
    device, _ = add_passkey(client)
    phone = app.test_client()
    credential = device.get(sign_in_options(phone))
    assert phone.post(f"{BASE}/sign-in", json={"credential": credential}).status_code == 200
    phone.post("/api/v1/auth/logout", json={})
    before = rows_but_challenges(app)
    # Replayed: the same answer again, on a session that still carries the token.
    replay = app.test_client()
    options = sign_in_options(replay)
    with replay.session_transaction() as session:
        token = session["passkey_challenge"]
    again = replay.post(f"{BASE}/sign-in", json={"credential": device.get(options)})
    assert again.status_code == 200
    with replay.session_transaction() as session:
        session["passkey_challenge"] = token
    assert_error_shape(replay.post(f"{BASE}/sign-in", json={"credential": credential}), 400)
    # Another session's challenge: this one never asked for it.
    asking, answering = app.test_client(), app.test_client()
    stolen = device.get(sign_in_options(asking))
    assert_error_shape(answering.post(f"{BASE}/sign-in", json={"credential": stolen}), 400)
    # Expired: two minutes have gone by.
    late = app.test_client()
    options = sign_in_options(late)
    with app.app_context():
        db.session.execute(
            sa.update(PasskeyChallenge).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    expired = late.post(f"{BASE}/sign-in", json={"credential": device.get(options)})
    assert_error_shape(expired, 400)
    assert "too long" in expired.get_json()["message"]
    for table, rows in rows_but_challenges(app).items():
        if table != "passkeys":
            assert rows == before[table], table


def test_a_registration_challenge_cannot_sign_in(app, signed_in):
    client, _ = signed_in()
    device, _ = add_passkey(client)
    options = client.post(f"{BASE}/registration/options", json={}).get_json()
    response = client.post(
        f"{BASE}/sign-in", json={"credential": device.get(options, rp_id="localhost")}
    )
    assert_error_shape(response, 400)


def test_a_broken_registration_is_refused_and_adds_nothing(app, signed_in):
    client, _ = signed_in()
    before = rows_but_challenges(app)
    for origin, rp_id in [
        ("http://localhost:6666", None),
        ("http://localhost:5000", "example.org"),
    ]:
        options = client.post(f"{BASE}/registration/options", json={}).get_json()
        credential = Authenticator().create(options, origin=origin, rp_id=rp_id)
        response = client.post(f"{BASE}/registration", json={"credential": credential})
        assert_error_shape(response, 422)
        assert "credential" in response.get_json()["errors"]["json"]
    assert_error_shape(client.post(f"{BASE}/registration", json={"credential": {}}), 400)
    after = rows_but_challenges(app)
    after.pop("users"), before.pop("users")  # the passkey handle, made at the first ask
    assert after == before


def test_a_researcher_uses_a_passkey_as_the_second_step(app, make_user):
    researcher = make_user(role="researcher")
    client = app.test_client()
    login(client, researcher)
    device, _ = add_passkey(client)

    desk = app.test_client()
    assert_error_shape(desk.post(f"{BASE}/second-step/options", json={}), 401)
    body = {"username": researcher.username, "password": researcher.password}
    asked = desk.post("/api/v1/auth/login", json=body)
    assert_error_shape(asked, 401)
    assert "passkey" in asked.get_json()["message"]
    options = desk.post(f"{BASE}/second-step/options", json={}).get_json()
    allowed = [c["id"] for c in options["publicKey"]["allowCredentials"]]
    assert allowed == [b64url(device.credential_id)]
    done = desk.post(f"{BASE}/second-step", json={"credential": device.get(options)})
    assert done.status_code == 200, done.get_json()
    assert desk.get("/api/v1/auth/me").get_json()["role"] == "researcher"


def test_a_researchers_passkey_alone_does_not_sign_in(app, make_user):
    researcher = make_user(role="researcher")
    client = app.test_client()
    login(client, researcher)
    device, _ = add_passkey(client)
    before = rows_but_challenges(app)
    phone = app.test_client()
    assert_error_shape(sign_in(phone, device), 403)
    assert phone.get("/api/v1/auth/me").status_code == 401
    assert rows_but_challenges(app) == before


def test_a_second_step_needs_the_persons_own_passkey(app, make_user, signed_in):
    researcher = make_user(role="researcher")
    client = app.test_client()
    login(client, researcher)
    add_passkey(client)
    staff_client, _ = signed_in()
    someone_else, _ = add_passkey(staff_client)
    desk = app.test_client()
    desk.post("/api/v1/auth/login", json={"username": researcher.username, "password": PASSWORD})
    options = desk.post(f"{BASE}/second-step/options", json={}).get_json()
    credential = someone_else.get(options, rp_id="localhost")
    assert_error_shape(desk.post(f"{BASE}/second-step", json={"credential": credential}), 401)
    assert desk.get("/api/v1/auth/me").status_code == 401


def test_the_last_second_step_of_a_researcher_cannot_be_removed(app, make_user):
    researcher = make_user(role="researcher")
    client = app.test_client()
    login(client, researcher)
    _, first = add_passkey(client)
    # With a passkey in place, the authenticator app may go.
    off = client.delete("/api/v1/auth/totp", json={"password": PASSWORD})
    assert off.status_code == 204
    _, second = add_passkey(client)
    assert client.delete(f"{BASE}/{first['id']}", json={}).status_code == 204
    before = database_rows(app)
    refused = client.delete(f"{BASE}/{second['id']}", json={})
    assert_error_shape(refused, 403)
    assert database_rows(app) == before
    # Signing in now asks for the passkey: it is the one second step left.
    asked = app.test_client().post(
        "/api/v1/auth/login", json={"username": researcher.username, "password": PASSWORD}
    )
    assert asked.get_json()["errors"]["json"] == {
        "passkey": ["Please confirm it's you with your passkey."]
    }


def test_staff_cannot_ask_for_a_second_step_they_do_not_have(app, signed_in):
    client, person = signed_in()
    add_passkey(client)
    body = {"username": person.username, "password": PASSWORD}
    desk = app.test_client()
    assert desk.post("/api/v1/auth/login", json=body).status_code == 200
    fresh = app.test_client()
    assert_error_shape(fresh.post(f"{BASE}/second-step/options", json={}), 401)


def test_export_lists_passkeys_without_key_material_and_erasure_removes_them(app, signed_in):
    client, _ = signed_in()
    device, _ = add_passkey(client, name="My phone")
    client.post(f"{BASE}/registration/options", json={})  # an unanswered challenge
    exported = client.get("/api/v1/me/export").get_json()
    assert [p["name"] for p in exported["passkeys"]] == ["My phone"]
    assert set(exported["passkeys"][0]) == {"name", "created_at", "last_used_at", "backed_up"}
    assert "passkeys" not in exported["other"] and "passkey_challenges" not in exported["other"]
    text = str(exported)
    assert b64url(device.credential_id) not in text and "public_key" not in text
    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Passkey)) == 0
        left = db.session.scalar(sa.select(sa.func.count()).select_from(PasskeyChallenge))
        assert left == 0


@pytest.mark.app_settings(LOGIN_LIMIT_PER_ADDRESS="4 per minute")
def test_passkey_sign_ins_draw_on_the_sign_in_budget_of_the_address(app, make_user):
    person = make_user()
    phone = app.test_client()
    body = {"username": person.username, "password": "not the password"}
    assert [phone.post("/api/v1/auth/login", json=body).status_code for _ in range(3)] == [401] * 3
    stranger = Authenticator()
    assert sign_in(phone, stranger).status_code == 401
    assert_error_shape(sign_in(phone, stranger), 429)


def test_the_settings_say_where_passkeys_work(client):
    assert client.get(f"{BASE}/settings").get_json() == {
        "rp_id": "localhost",
        "origin": "http://localhost:5000",
    }


@pytest.mark.parametrize(
    "settings, named",
    [
        ({"WEBAUTHN_RP_ID": "127.0.0.1"}, "WEBAUTHN_RP_ID"),
        ({"WEBAUTHN_RP_ID": "localhost:5000"}, "WEBAUTHN_RP_ID"),
        ({"WEBAUTHN_ORIGIN": "http://127.0.0.1:5000"}, "WEBAUTHN_ORIGIN"),
        ({"WEBAUTHN_ORIGIN": "http://diary.example.org"}, "WEBAUTHN_ORIGIN"),
        ({"WEBAUTHN_ORIGIN": "https://diary.example.org/app"}, "WEBAUTHN_ORIGIN"),
        ({"WEBAUTHN_ORIGIN": "https://diary.example.org"}, "WEBAUTHN_RP_ID"),
    ],
)
def test_settings_that_cannot_work_stop_start_up(make_app, settings, named):
    with pytest.raises(RuntimeError, match=named):
        make_app(**settings)


def test_a_subdomain_origin_is_fine(make_app):
    app = make_app(WEBAUTHN_RP_ID="example.org", WEBAUTHN_ORIGIN="https://Diary.Example.org/")
    assert app.config["WEBAUTHN_ORIGIN"] == "https://diary.example.org"
