"""Accounts: sign-up, sign-in, sessions, password change, throttling."""

import logging

import pytest

from tests.conftest import PASSWORD, login
from tests.test_errors import assert_error_shape


def register(client, **overrides):
    body = {"username": "robin", "password": PASSWORD, "research_consent": True}
    body.update(overrides)
    return client.post("/api/v1/auth/register", json=body)


def test_register_signs_in_and_shows_the_profile(client):
    response = register(client, area="QT6", role_group="nurse", setting="hospital")
    assert response.status_code == 201
    me = client.get("/api/v1/auth/me").get_json()
    assert me["username"] == "robin"
    assert me["role"] == "staff"
    assert (me["area"], me["role_group"], me["setting"]) == ("QT6", "nurse", "hospital")
    assert me["research_consent"] is True
    assert "password_hash" not in me and "id" not in me


def test_research_consent_must_be_an_explicit_boolean(client):
    response = register(client, research_consent="yes")
    assert response.status_code == 422
    assert "research_consent" in response.get_json()["errors"]["json"]
    missing = client.post("/api/v1/auth/register", json={"username": "a1b", "password": PASSWORD})
    assert "research_consent" in missing.get_json()["errors"]["json"]


@pytest.mark.parametrize(
    "password, expected",
    [
        ("short", "between 8 and 128"),
        ("x" * 129, "between 8 and 128"),
        ("password123", "most common"),
        ("Qwertyuiop", "most common"),
        ("robin", "between 8 and 128"),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_message(client, password, expected):
    response = register(client, password=password)
    assert response.status_code == 422
    assert expected in response.get_json()["errors"]["json"]["password"][0]
    assert client.get("/api/v1/auth/me").status_code == 401


def test_long_passphrases_are_accepted(client):
    assert register(client, password="p" * 64 + " and more words").status_code == 201


def test_usernames_are_unique_whatever_the_case(client, app):
    assert register(client).status_code == 201
    other = app.test_client()
    response = register(other, username="ROBIN")
    assert response.status_code == 409
    assert "username" in response.get_json()["errors"]["json"]


@pytest.mark.parametrize("field, value", [("area", "Atlantis"), ("setting", "moon")])
def test_profile_codes_come_from_the_taxonomy(client, field, value):
    response = register(client, **{field: value})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_login_with_wrong_password_gives_one_answer_for_any_mistake(client, make_user):
    person = make_user()
    wrong = client.post(
        "/api/v1/auth/login", json={"username": person.username, "password": "nope nope"}
    )
    unknown = client.post("/api/v1/auth/login", json={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["message"] == unknown.get_json()["message"]


def test_session_cookie_is_httponly_and_lax(client, make_user):
    response = login(client, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookie_is_secure_with_host_prefix(make_app, make_user):
    app = make_app(DIARY_ENV="production")
    person = make_user()
    response = app.test_client().post(
        "/api/v1/auth/login",
        json={"username": person.username, "password": person.password},
        base_url="https://diary.example",
    )
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_logout_ends_every_session_of_the_person(app, make_user):
    person = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, person)
    login(laptop, person)
    assert phone.post("/api/v1/auth/logout", json={}).status_code == 204
    assert phone.get("/api/v1/auth/me").status_code == 401
    assert laptop.get("/api/v1/auth/me").status_code == 401


def test_an_old_cookie_is_refused_after_logout(client, make_user):
    login(client, make_user())
    cookie = client.get_cookie("diary_session").value
    client.post("/api/v1/auth/logout", json={})
    client.set_cookie("diary_session", cookie)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_password_change_ends_other_sessions_but_not_this_one(app, make_user):
    person = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, person)
    login(elsewhere, person)
    response = here.put(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 204
    assert here.get("/api/v1/auth/me").status_code == 200
    assert elsewhere.get("/api/v1/auth/me").status_code == 401
    old = app.test_client().post(
        "/api/v1/auth/login", json={"username": person.username, "password": PASSWORD}
    )
    assert old.status_code == 401


def test_password_change_needs_the_current_password(client, make_user):
    login(client, make_user())
    response = client.put(
        "/api/v1/auth/password",
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 422
    assert "current_password" in response.get_json()["errors"]["json"]


def test_login_is_throttled_per_account_across_addresses(app, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    person = make_user()
    client = app.test_client()
    statuses = []
    for attempt in range(7):
        response = client.post(
            "/api/v1/auth/login",
            json={"username": person.username, "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["code"] == 429
    # The limiter logs the key it stopped: a keyed hash, never the username.
    assert "ratelimit" in caplog.text.lower()
    assert person.username not in caplog.text


def test_login_is_throttled_per_address_across_accounts(app, make_user):
    client = app.test_client()
    responses = [
        client.post("/api/v1/auth/login", json={"username": f"name{n}", "password": "guess it"})
        for n in range(21)
    ]
    assert [r.status_code for r in responses[:20]] == [401] * 20
    assert responses[20].status_code == 429
    assert "Retry-After" in responses[20].headers


def test_sign_up_and_sign_in_share_one_budget_per_address(client):
    """An address answered 429 for sign-ins is answered 429 for sign-ups, and the reverse."""
    for n in range(20):
        client.post("/api/v1/auth/login", json={"username": f"name{n}", "password": "guess it"})
    new = {"username": "newcomer", "password": PASSWORD, "research_consent": True}
    response = client.post("/api/v1/auth/register", json=new)
    body = assert_error_shape(response, 429)
    assert body["message"] == "Too many tries. Please wait a little and try again."
    assert int(response.headers["Retry-After"]) > 0
    elsewhere = {"REMOTE_ADDR": "10.0.0.9"}
    assert client.post("/api/v1/auth/register", json=new, environ_base=elsewhere).status_code == 201

    for n in range(19):  # 19 sign-ups and the one above: the other address's budget is spent
        body = {**new, "username": f"newcomer{n}"}
        assert (
            client.post("/api/v1/auth/register", json=body, environ_base=elsewhere).status_code
            == 201
        )
    login = client.post(
        "/api/v1/auth/login",
        json={"username": "newcomer", "password": PASSWORD},
        environ_base=elsewhere,
    )
    assert_error_shape(login, 429)
