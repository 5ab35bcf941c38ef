"""The second sign-in step: required for researchers and admins, optional for staff."""

import re

import pyotp
import pytest

from backend.extensions import db
from backend.models import User
from backend.services.accounts import second_factor
from tests.conftest import PASSWORD, login, wrong_code


def enrol(app, person) -> dict:
    with app.app_context():
        return second_factor.enrol_now(db.session.get(User, person.id))


def sign_in(app, person, **extra):
    body = {"username": person.username, "password": person.password, **extra}
    return app.test_client().post("/api/v1/auth/login", json=body)


@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_privileged_accounts_cannot_sign_in_without_a_second_factor(app, role):
    from backend.services import accounts

    with app.app_context():
        accounts.create_account("no.second.step", PASSWORD, role)
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": "no.second.step", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "second sign-in step" in response.get_json()["message"]


def test_researcher_signs_in_with_a_current_code_once(app, make_user):
    person = make_user(role="researcher")
    totp = pyotp.TOTP(enrol(app, person)["secret"])
    assert sign_in(app, person).status_code == 401
    wrong = sign_in(app, person, totp=wrong_code(totp.secret))
    assert wrong.status_code == 401
    code = totp.now()
    assert sign_in(app, person, totp=code).status_code == 200
    replay = sign_in(app, person, totp=code)
    assert replay.status_code == 401


@pytest.mark.parametrize("code", ["ÌÿÂùê9", "１２３４５６", "12 34 5é"])
def test_a_code_that_is_not_ascii_digits_is_a_wrong_code_not_a_500(app, make_user, code):
    person = make_user(role="researcher")
    enrol(app, person)
    response = sign_in(app, person, totp=code)
    assert response.status_code == 401
    assert response.get_json()["errors"]["json"]["totp"] == [
        "That code did not match. Please try again."
    ]


def test_a_recovery_code_works_once(app, make_user):
    person = make_user(role="admin")
    codes = enrol(app, person)["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sign_in(app, person, recovery_code=codes[0]).status_code == 200
    assert sign_in(app, person, recovery_code=codes[0]).status_code == 401
    assert sign_in(app, person, recovery_code=codes[1].upper()).status_code == 200


def test_recovery_codes_and_secret_are_not_stored_in_the_clear(app, make_user):
    person = make_user(role="researcher")
    details = enrol(app, person)
    with app.app_context():
        user = db.session.get(User, person.id)
        assert details["secret"].encode() not in user.totp_sealed
        hashes = [
            row[0] for row in db.session.execute(db.text("SELECT code_hash FROM recovery_codes"))
        ]
    assert len(hashes) == 10
    assert not set(details["recovery_codes"]) & set(hashes)


def test_staff_can_turn_the_second_step_on_and_off(app, signed_in):
    client, person = signed_in()
    started = client.post("/api/v1/auth/totp", json={})
    assert started.status_code == 201
    secret = started.get_json()["secret"]
    assert re.match(r"^otpauth://totp/", started.get_json()["otpauth_uri"])
    # Not in force until confirmed: sign-in still needs only the password.
    assert sign_in(app, person).status_code == 200
    bad = client.put("/api/v1/auth/totp", json={"code": "123456x"})
    assert bad.status_code == 422 and "code" in bad.get_json()["errors"]["json"]
    confirmed = client.put("/api/v1/auth/totp", json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200
    assert len(confirmed.get_json()["recovery_codes"]) == 10
    assert client.get("/api/v1/auth/me").get_json()["second_factor"] is True
    assert sign_in(app, person).status_code == 401

    assert client.delete("/api/v1/auth/totp", json={"password": "wrong one"}).status_code == 422
    assert client.delete("/api/v1/auth/totp", json={"password": PASSWORD}).status_code == 204
    assert sign_in(app, person).status_code == 200


def test_researchers_cannot_turn_the_second_step_off(app, make_user):
    person = make_user(role="researcher")
    totp = pyotp.TOTP(enrol(app, person)["secret"])
    client = app.test_client()
    body = {"username": person.username, "password": person.password, "totp": totp.now()}
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
    assert client.delete("/api/v1/auth/totp", json={"password": PASSWORD}).status_code == 403


def test_staff_without_a_second_step_sign_in_with_the_password(app, make_user):
    login(app.test_client(), make_user())


def test_setting_up_again_is_refused_while_the_second_step_is_on(app, make_user):
    person = make_user(role="researcher")
    client = app.test_client()
    login(client, person)
    response = client.post("/api/v1/auth/totp", json={})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(User, person.id).has_second_factor
