"""The weekly ONS4 check: the person's own answers, their validation, and the UK figures."""

import json
from datetime import timedelta

import pytest

from backend.extensions import db
from backend.models.wellbeing import Ons4Answer
from backend.services.releases.contributions import current_week
from backend.services.wellbeing import DATA, REFERENCE, ReferenceDataError
from tests.conftest import login

ANSWERS = {"life_satisfaction": 7, "worthwhile": 8, "happy": 6, "anxious": 3}
THIS_WEEK = current_week()


def put(client, week=THIS_WEEK, **overrides):
    return client.put(f"/api/v1/me/ons4/{week}", json={**ANSWERS, **overrides})


def test_the_questions_are_worded_as_ons_asks_them(signed_in):
    client, _ = signed_in()
    body = client.get("/api/v1/me/ons4").get_json()
    assert [q["text"] for q in body["questions"]] == [
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "Overall, how happy did you feel yesterday?",
        'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", overall, '
        "how anxious did you feel yesterday?",
    ]
    assert [q["item"] for q in body["questions"]] == list(ANSWERS)
    first, anxious = body["questions"][0]["scale"], body["questions"][3]["scale"]
    assert (first["min"], first["max"], first["min_label"], first["max_label"]) == (
        0, 10, "Not at all", "Completely",
    )  # fmt: skip
    assert anxious["max_label"] == "Completely anxious"
    assert (body["answers"], body["due"]) == ([], True)


def test_the_uk_figures_come_with_their_source_and_bands(signed_in):
    client, _ = signed_in()
    reference = client.get("/api/v1/me/ons4").get_json()["reference"]
    assert reference["means"] == {
        "life_satisfaction": 7.45, "worthwhile": 7.73, "happy": 7.39, "anxious": 3.23,
    }  # fmt: skip
    assert (
        reference["source"]["url"]
        == "https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing"
    )
    assert "year ending March 2023" in reference["source"]["edition"]
    happy = [(b["label"], b["from"], b["to"]) for b in reference["bands"]["happy"]]
    assert happy == [("Low", 0, 4), ("Medium", 5, 6), ("High", 7, 8), ("Very high", 9, 10)]
    anxious = [(b["label"], b["from"], b["to"]) for b in reference["bands"]["anxious"]]
    assert anxious == [("Very low", 0, 1), ("Low", 2, 3), ("Medium", 4, 5), ("High", 6, 10)]


def test_put_creates_then_replaces_with_the_same_body(signed_in):
    client, _ = signed_in()
    first = put(client)
    assert first.status_code == 201
    assert first.get_json() == {"week": THIS_WEEK.isoformat(), **ANSWERS}
    again = put(client)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    changed = put(client, happy=9)
    assert changed.status_code == 200 and changed.get_json()["happy"] == 9
    body = client.get("/api/v1/me/ons4").get_json()
    assert body["answers"] == [changed.get_json()]
    assert body["due"] is False


def test_earlier_weeks_can_be_answered_and_come_newest_first(signed_in):
    client, _ = signed_in()
    weeks = [THIS_WEEK - timedelta(weeks=n) for n in (3, 1, 2)]
    for week in weeks:
        assert put(client, week).status_code == 201
    body = client.get("/api/v1/me/ons4").get_json()
    assert [a["week"] for a in body["answers"]] == [w.isoformat() for w in sorted(weeks)[::-1]]
    assert body["due"] is True


@pytest.mark.parametrize(
    "field, value",
    [
        ("life_satisfaction", "7"),
        ("worthwhile", 7.5),
        ("worthwhile", 7.0),
        ("happy", True),
        ("happy", 11),
        ("anxious", -1),
        ("anxious", None),
        ("life_satisfaction", [7]),
    ],
)
def test_only_whole_numbers_from_0_to_10_are_taken(signed_in, field, value):
    client, _ = signed_in()
    response = put(client, **{field: value})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == [field]
    assert client.get("/api/v1/me/ons4").get_json()["answers"] == []


def test_all_four_answers_are_needed_and_nothing_else(signed_in):
    client, _ = signed_in()
    partial = {k: v for k, v in ANSWERS.items() if k != "worthwhile"}
    missing = client.put(f"/api/v1/me/ons4/{THIS_WEEK}", json=partial)
    assert list(missing.get_json()["errors"]["json"]) == ["worthwhile"]
    extra = put(client, total=24)
    assert extra.status_code == 422 and list(extra.get_json()["errors"]["json"]) == ["total"]
    assert client.get("/api/v1/me/ons4").get_json()["answers"] == []


@pytest.mark.parametrize(
    "week",
    [
        THIS_WEEK + timedelta(days=1),
        THIS_WEEK + timedelta(weeks=1),
        "2026-W49",
        f"{THIS_WEEK:%Y%m%d}",
        "2026-02-30",
        "yesterday",
    ],
)
def test_a_week_is_a_monday_that_has_begun(signed_in, week):
    client, _ = signed_in()
    response = put(client, week)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["path"]) == ["week"]
    assert client.delete(f"/api/v1/me/ons4/{week}").status_code == 422


def test_delete_removes_a_week_and_then_it_is_not_found(signed_in):
    client, _ = signed_in()
    put(client)
    assert client.delete(f"/api/v1/me/ons4/{THIS_WEEK}").status_code == 204
    assert client.get("/api/v1/me/ons4").get_json()["answers"] == []
    missing = client.delete(f"/api/v1/me/ons4/{THIS_WEEK}")
    assert missing.status_code == 404 and missing.get_json()["status"] == "Not Found"


def test_another_persons_answers_cannot_be_seen_or_deleted(signed_in):
    owner, _ = signed_in()
    put(owner, happy=2)
    other, _ = signed_in()
    assert other.get("/api/v1/me/ons4").get_json()["answers"] == []
    assert other.delete(f"/api/v1/me/ons4/{THIS_WEEK}").status_code == 404
    assert put(other, happy=9).status_code == 201
    assert owner.get("/api/v1/me/ons4").get_json()["answers"][0]["happy"] == 2


def test_only_staff_keep_ons4_answers(client, signed_in):
    assert client.get("/api/v1/me/ons4").status_code == 401
    assert put(client).status_code == 401
    researcher, _ = signed_in(role="researcher")
    assert researcher.get("/api/v1/me/ons4").status_code == 403
    assert put(researcher).status_code == 403


def test_answers_are_exported_and_erased_with_the_account(app, signed_in):
    client, person = signed_in()
    put(client)
    stays, stayer = signed_in()
    put(stays)
    exported = client.get("/api/v1/me/export").get_json()["other"]["ons4_answers"]
    assert [{k: row[k] for k in ("week", *ANSWERS)} for row in exported] == [
        {"week": THIS_WEEK.isoformat(), **ANSWERS}
    ]
    assert client.delete("/api/v1/me", json={"password": person.password}).status_code == 204
    with app.app_context():
        owners = db.session.scalars(db.select(Ons4Answer.user_id)).all()
    assert owners == [stayer.id]


def write_reference(app_config, reference) -> None:
    with open(f"{app_config['INSTANCE_PATH']}/ons4-reference.json", "w") as file:
        json.dump(reference, file)


def shipped_reference() -> dict:
    return json.loads((DATA / REFERENCE).read_text())


def test_a_hub_can_bring_the_uk_figures_up_to_date(app_config, make_app, make_user):
    newer = shipped_reference()
    newer["source"]["edition"] = "Annual estimates, year ending March 2024"
    newer["means"]["happy"] = 7.5
    write_reference(app_config, newer)
    app = make_app()
    client = app.test_client()
    login(client, make_user())
    reference = client.get("/api/v1/me/ons4").get_json()["reference"]
    assert reference["means"]["happy"] == 7.5
    assert reference["source"]["edition"].endswith("2024")


@pytest.mark.parametrize(
    "spoil, words",
    [
        (lambda r: r["means"].pop("anxious"), "means.anxious"),
        (lambda r: r["means"].update(happy=12), "means.happy"),
        (lambda r: r["means"].update(happy="7.4"), "means.happy"),
        (lambda r: r["bands"]["happy"].pop(), "bands.happy"),
        (lambda r: r["bands"]["anxious"][1].update({"from": 3}), "bands.anxious"),
        (lambda r: r["source"].pop("url"), "source.url"),
        (lambda r: r["source"].update(url="http://example.org"), "source.url"),
    ],
)
def test_a_mistake_in_the_hub_figures_stops_the_start(app_config, make_app, spoil, words):
    reference = shipped_reference()
    spoil(reference)
    write_reference(app_config, reference)
    with pytest.raises(ReferenceDataError, match=words):
        make_app()
