"""Wellbeing champions: named by an admin, their code, a colleague's card, and who may do what."""

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.champions import Champion
from tests.champion_helpers import join_people, make_champion
from tests.conftest import database_rows, login


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CHAMPION_EPSILON": 0}


def card(client):
    response = client.get("/api/v1/me/wellbeing-champion")
    assert response.status_code == 200
    return response.get_json()["champion"]


def test_admin_names_lists_and_removes_a_champion(app, runner, make_user):
    person = make_user()
    named = ["champions", "name", person.username, "--area", "QT6", "--setting", "home_care",
             "--display-name", "Sam", "--reach", "Ask on the ward"]  # fmt: skip
    result = runner.invoke(args=named)
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["champions", "list"])
    assert f"{person.username}\tQT6\thome_care\tSam" in listed.output
    assert runner.invoke(args=["champions", "remove", person.username]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Champion.id))) == 0


def test_only_a_staff_account_on_the_map_can_be_named(app, runner, make_user):
    researcher = make_user(role="researcher")
    staff = make_user()
    args = ["--setting", "home_care", "--display-name", "Sam", "--reach", "Ask"]
    refused = runner.invoke(args=["champions", "name", researcher.username, "--area", "QT6", *args])
    assert refused.exit_code != 0 and "staff" in refused.output
    nowhere = runner.invoke(args=["champions", "name", staff.username, "--area", "NOPE", *args])
    assert nowhere.exit_code != 0 and "map" in nowhere.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Champion.id))) == 0


def test_a_colleague_joins_with_the_code_sees_the_card_and_leaves_in_one_tap(
    app, make_user, signed_in
):
    _champion, _, code = make_champion(app, make_user, area="QJK", setting="residential")
    colleague, person = signed_in(area="QT6", vouched=False)
    assert card(colleague) is None
    joined = colleague.put("/api/v1/me/team", json={"join_code": code}).get_json()
    assert (joined["area"], joined["setting"], joined["area_vouched"]) == (
        "QJK", "residential", True)  # fmt: skip
    assert card(colleague) == {"display_name": "Sam", "reach": "Ask for me on the ward"}
    assert colleague.delete("/api/v1/me/team").status_code == 200
    assert card(colleague) is None


def test_a_new_code_stops_the_old_for_new_joins_and_keeps_those_who_joined(
    app, make_user, signed_in
):
    champion, _, old = make_champion(app, make_user)
    first, _ = signed_in(vouched=False)
    assert first.put("/api/v1/me/team", json={"join_code": old}).status_code == 200
    new = champion.post("/api/v1/me/champion/code").get_json()["join_code"]
    late, _ = signed_in(vouched=False)
    refused = late.put("/api/v1/me/team", json={"join_code": old})
    assert refused.status_code == 422 and "join_code" in refused.get_json()["errors"]["json"]
    assert card(first)["display_name"] == "Sam"
    assert late.put("/api/v1/me/team", json={"join_code": new}).status_code == 200
    mine = champion.get("/api/v1/me/champion").get_json()
    assert mine["code"]["hint"] == new[-4:]


def test_the_champion_edits_their_card_and_a_bad_edit_changes_nothing(app, make_user):
    champion, _, code = make_champion(app, make_user)
    (colleague,) = join_people(app, make_user, code, 1)
    before = database_rows(app)
    for body in ({"display_name": ""}, {"reach": "x" * 201}, {"display_name": "Al", "reach": " "}):
        response = champion.patch("/api/v1/me/champion", json=body)
        assert response.status_code == 422, body
        assert set(response.get_json()["errors"]["json"]) <= {"display_name", "reach"}
    assert database_rows(app) == before
    changed = champion.patch("/api/v1/me/champion", json={"reach": "Text 07700 900123"})
    assert changed.status_code == 200 and changed.get_json()["reach"] == "Text 07700 900123"
    client = app.test_client()
    login(client, colleague)
    assert card(client) == {"display_name": "Sam", "reach": "Text 07700 900123"}


def test_the_champion_sees_no_one_who_joined_nor_how_many(app, make_user):
    champion, _, code = make_champion(app, make_user)
    colleagues = join_people(app, make_user, code, 3)
    body = champion.get("/api/v1/me/champion").get_data(as_text=True)
    for person in colleagues:
        assert person.username not in body
    mine = champion.get("/api/v1/me/champion").get_json()
    assert "uses" not in mine["code"]
    assert all(f["status"] == "suppressed" for f in mine["figures"]["measures"].values())


def test_erasing_a_champion_takes_the_card_and_keeps_the_colleagues_vouched(app, make_user):
    champion, person, code = make_champion(app, make_user)
    (colleague,) = join_people(app, make_user, code, 1)
    erased = champion.delete("/api/v1/me", json={"password": person.password})
    assert erased.status_code == 204
    client = app.test_client()
    login(client, colleague)
    assert card(client) is None
    with app.app_context():
        assert db.session.get(User, colleague.id).join_code_id is not None


ROUTES = [
    ("GET", "/api/v1/me/wellbeing-champion", None),
    ("GET", "/api/v1/me/champion", None),
    ("PATCH", "/api/v1/me/champion", {"display_name": "Taken over"}),
    ("POST", "/api/v1/me/champion/code", None),
    ("GET", "/api/v1/insights/champions", None),
]
ALLOWED = {
    "anonymous": set(),
    "staff": {0},
    "champion": {0, 1, 2, 3},
    "researcher": {4},
    "practitioner": set(),
    "admin": set(),
}


def client_as(app, make_user, role):
    if role == "anonymous":
        return app.test_client()
    if role == "champion":
        return make_champion(app, make_user)[0]
    person = make_user(role="researcher" if role == "practitioner" else role)
    if role == "practitioner":  # the role of issue 13's part 1, made here by hand
        with app.app_context():
            db.session.get(User, person.id).role = "practitioner"
            db.session.commit()
    client = app.test_client()
    login(client, person)
    return client


@pytest.mark.parametrize("role", list(ALLOWED))
def test_each_role_is_refused_what_is_not_theirs_and_nothing_changes(app, make_user, role):
    make_champion(app, make_user)  # someone else's champion row and code exist
    client = client_as(app, make_user, role)
    before = database_rows(app)
    for number, (method, path, body) in enumerate(ROUTES):
        if number in ALLOWED[role]:
            continue
        response = client.open(path, method=method, json=body)
        expected = {401} if role == "anonymous" else {403, 404}
        assert response.status_code in expected, (role, method, path, response.status_code)
        assert response.get_json()["code"] == response.status_code
    assert database_rows(app) == before


def test_codes_list_does_not_count_who_joined_a_champion(app, runner, make_user):
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 2)
    listed = runner.invoke(args=["codes", "list"]).output
    champion_line = next(line for line in listed.splitlines() if "champion" in line)
    assert code[-4:] in champion_line and "used by a champion" in champion_line
    assert "used 2" not in champion_line
