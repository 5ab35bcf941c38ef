"""Join codes: issued by the hub, entered at sign-up or in Settings, refused plainly when wrong.

And sign-ups in a burst from one address: allowed, marked, and shown to the hub in aggregate.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.membership import JoinCode, SignupAddress
from backend.services.releases import signups
from tests.conftest import PASSWORD, database_rows, login
from tests.test_releases_support import add_people

CODE = re.compile(r"\b([A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4})\b")


def issue(runner, *args) -> str:
    result = runner.invoke(args=["codes", "issue", *args])
    assert result.exit_code == 0, result.output
    return CODE.search(result.output).group(1)


def register(client, username="robin", **body):
    return client.post(
        "/api/v1/auth/register",
        json={"username": username, "password": PASSWORD, "research_consent": True, **body},
    )


def refused(response, words: str) -> None:
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
    assert words in body["errors"]["json"]["join_code"][0]


def test_a_code_at_sign_up_sets_and_vouches_for_the_area_and_setting(app, client, runner):
    code = issue(runner, "--area", "QWO", "--setting", "residential", "--label", "Oak House")
    typed = code.lower().replace("-", " ")  # read aloud, typed as heard
    response = register(client, area="QT6", join_code=typed)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["area"], body["setting"], body["area_vouched"]) == (
        "QWO",
        "residential",
        True,
    )
    listed = runner.invoke(args=["codes", "list"]).output
    assert f"...-{code[-4:]}" in listed and "QWO" in listed and "used 1" in listed
    assert code not in listed
    with app.app_context():
        stored = " ".join(map(str, db.session.execute(sa.select(JoinCode.__table__)).one()))
    assert code not in stored and code.replace("-", "") not in stored


def test_without_a_code_the_area_is_the_persons_own_word(client):
    response = register(client, area="QT6")
    assert response.status_code == 201
    assert response.get_json()["area_vouched"] is False


def test_wrong_expired_used_up_and_revoked_codes_change_nothing(app, runner):
    once = issue(runner, "--area", "QWO", "--uses", "1")
    expired = issue(runner, "--area", "QWO", "--days", "1")
    revoked = issue(runner, "--area", "QWO")
    with app.app_context():
        row = db.session.scalar(sa.select(JoinCode).where(JoinCode.hint == expired[-4:]))
        row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
        revoked_id = db.session.scalar(sa.select(JoinCode.id).where(JoinCode.hint == revoked[-4:]))
    assert runner.invoke(args=["codes", "revoke", str(revoked_id)]).exit_code == 0
    assert register(app.test_client(), "first", join_code=once).status_code == 201
    before = database_rows(app)
    cases = [
        ("ABCD-EFGH-JKMN", "do not recognise"),
        (expired, "expired"),
        (once, "used as many times"),
        (revoked, "do not recognise"),
    ]
    for n, (code, words) in enumerate(cases):
        refused(register(app.test_client(), f"sam{n}", join_code=code), words)
    assert database_rows(app) == before


def test_settings_joins_a_team_and_leaves_it(app, runner, signed_in):
    client, person = signed_in(area="QT6", vouched=False)
    code = issue(runner, "--area", "QJK")
    joined = client.put("/api/v1/me/team", json={"join_code": code})
    assert joined.status_code == 200
    assert (joined.get_json()["area"], joined.get_json()["area_vouched"]) == ("QJK", True)
    left = client.delete("/api/v1/me/team")
    assert left.status_code == 200
    assert (left.get_json()["area"], left.get_json()["area_vouched"]) == ("QJK", False)
    before = database_rows(app)
    refused(client.put("/api/v1/me/team", json={"join_code": "NOPE"}), "do not recognise")
    missing = client.put("/api/v1/me/team", json={})
    assert missing.status_code == 422 and "join_code" in missing.get_json()["errors"]["json"]
    assert database_rows(app) == before


def test_guessing_codes_is_throttled(app_config, make_app, make_user):
    app = make_app(JOIN_CODE_LIMIT="3 per minute")
    client = app.test_client()
    login(client, make_user())
    answers = [
        client.put("/api/v1/me/team", json={"join_code": f"WXYZ-WXYZ-WXY{n}"}).status_code
        for n in range(2, 7)
    ]
    assert answers == [422, 422, 422, 429, 429]


def test_revoking_with_unvouch_drops_those_who_joined(app, runner, signed_in):
    code = issue(runner, "--area", "QJK")
    client, person = signed_in(area="QT6", vouched=False)
    assert client.put("/api/v1/me/team", json={"join_code": code}).status_code == 200
    with app.app_context():
        code_id = db.session.get(User, person.id).join_code_id
    result = runner.invoke(args=["codes", "revoke", str(code_id), "--unvouch"])
    assert result.exit_code == 0 and "1 people" in result.output
    assert client.get("/api/v1/auth/me").get_json()["area_vouched"] is False
    assert "revoked" in runner.invoke(args=["codes", "list"]).output


@pytest.mark.parametrize(
    "args",
    [
        ["--area", "ATLANTIS"],
        ["--area", "QWO", "--setting", "moon"],
        ["--area", "QWO", "--uses", "0"],
    ],
)
def test_the_cli_refuses_a_code_it_cannot_make(app, runner, args):
    result = runner.invoke(args=["codes", "issue", *args])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JoinCode)) == 0


def test_a_burst_of_sign_ups_from_one_address_is_allowed_and_marked(app_config, make_app):
    app = make_app(SIGNUP_BURST_SIZE=3, SIGNUP_BURST_MINUTES=60)
    for n in range(3):
        assert register(app.test_client(), f"team{n}").status_code == 201
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert register(elsewhere, "alone").status_code == 201
    with app.app_context():
        marked = dict(db.session.execute(sa.select(User.username, User.signup_burst)).all())
        kept = db.session.scalars(sa.select(SignupAddress.address_hash)).all()
    assert marked == {"team0": True, "team1": True, "team2": True, "alone": False}
    assert len(kept) == 4 and not any("127.0.0.1" in h or "192.0.2.7" in h for h in kept)
    with app.app_context():
        assert signups.purge(datetime.now(UTC) + timedelta(minutes=61)) == 4
        db.session.commit()


def test_the_hub_sees_bursts_only_in_aggregate(app, signed_in):
    with app.app_context():
        last_week = datetime.now(UTC) - timedelta(days=7)
        people = add_people(12)
        db.session.execute(
            sa.update(User)
            .where(User.id.in_(people))
            .values(signup_burst=True, created_at=last_week)
        )
        db.session.commit()
    researcher, _ = signed_in(role="researcher")
    body = researcher.get("/api/v1/insights/sign-up-bursts").get_json()
    assert body["contributors"] == 10
    assert [w["sign_ups"] for w in body["weeks"] if w["sign_ups"]] == [10]
    staff, _ = signed_in()
    assert staff.get("/api/v1/insights/sign-up-bursts").status_code == 403


def test_export_shows_membership_and_erasure_leaves_no_address_hash(app, runner):
    client = app.test_client()
    assert register(client, join_code=issue(runner, "--area", "QWO")).status_code == 201
    exported = client.get("/api/v1/me/export").get_json()
    user = exported["user"]
    assert (user["area_vouched"], user["established_at"], user["signup_burst"]) == (
        True,
        None,
        False,
    )
    assert len(exported["other"]["signup_addresses"]) == 1
    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SignupAddress)) == 0
        assert db.session.scalar(sa.select(JoinCode.uses)) == 1  # the code's count stays
