"""Signposting: the catalogue and its hub overrides, and take-up marked once per person a week."""

import json
import re
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models.signposting import TakeUpMark
from backend.services.releases.contributions import current_week
from backend.services.resources import CatalogueError, warn_of_placeholders
from tests.conftest import login

GOOD_WEB = {"kind": "web", "label": "Site", "value": "a.b", "href": "https://a.b/"}
NEW = {
    "title": "Team walks",
    "summary": "A gentle walk with colleagues on Fridays.",
    "reach": [GOOD_WEB],
    "hours": None,
    "needs": ["time_with_team"],
    "factors": ["my_team"],
    "audience": "everyone",
    "urgent": False,
}


def write_override(app_config, resources) -> None:
    path = f"{app_config['INSTANCE_PATH']}/resources.json"
    with open(path, "w") as file:
        json.dump({"resources": resources}, file)


def opens(app) -> list[dict]:
    """Every take-up mark of the open weeks, as plain dicts."""
    with app.app_context():
        rows = db.session.execute(sa.select(TakeUpMark.__table__)).mappings().all()
        return [dict(row) for row in rows]


def catalogue(client) -> dict:
    response = client.get("/api/v1/resources")
    assert response.status_code == 200
    return {r["id"]: r for r in response.get_json()["resources"]}


def test_anyone_can_read_the_catalogue_urgent_help_first(client):
    response = client.get("/api/v1/resources")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    resources = response.get_json()["resources"]
    urgent = [r["urgent"] for r in resources]
    assert urgent == sorted(urgent, reverse=True) and urgent[0] is True
    by_id = {r["id"]: r for r in resources}
    hrefs = {way["href"] for r in resources for way in r["reach"]}
    assert {"tel:116123", "tel:111", "sms:85258?&body=SHOUT", "tel:08082000247"} <= hrefs
    assert all(by_id[i]["urgent"] for i in ("samaritans", "shout", "nhs-111-mental-health"))
    assert by_id["staff-wellbeing-hub"]["placeholder"] is True
    assert by_id["samaritans"]["placeholder"] is False


def test_the_defaults_cover_every_need_people_can_choose(client):
    needs = {n["code"] for n in client.get("/api/v1/taxonomy").get_json()["needs"]}
    covered = {need for r in catalogue(client).values() for need in r["needs"]}
    assert covered == needs


def test_every_resource_names_the_needs_and_factors_it_serves_in_the_taxonomy(client):
    taxonomy = client.get("/api/v1/taxonomy").get_json()
    needs = {n["code"] for n in taxonomy["needs"]}
    factors = {f["code"] for f in taxonomy["factors"]}
    resources = catalogue(client).values()
    for resource in resources:
        assert set(resource["needs"]) <= needs, resource["id"]
        assert set(resource["factors"]) <= factors, resource["id"]
    assert any(r["factors"] for r in resources)


# A resource for one situation names only that situation's need and factor (None: no factor
# says enough: "home and family" is not a reason to offer a domestic abuse helpline).
SITUATIONS = {
    "bereavement_support": "death_at_work",
    "domestic_abuse_support": None,
    "menopause_support": "menopause",
    "money_advice": "money",
}


def test_a_resource_for_one_situation_is_for_nothing_else(client):
    specific = 0
    for resource in catalogue(client).values():
        situations = set(resource["needs"]) & set(SITUATIONS)
        if not situations:
            continue
        specific += 1
        assert set(resource["needs"]) == situations, resource["id"]
        assert set(resource["factors"]) <= {SITUATIONS[s] for s in situations}, resource["id"]
    assert specific >= 4  # Cruse, the domestic abuse helpline, menopause, MoneyHelper...
    cruse = catalogue(client)["bereavement-support"]
    assert cruse["needs"] == ["bereavement_support"] and cruse["factors"] == ["death_at_work"]


def test_a_placeholder_names_a_real_route_meanwhile(client):
    resources = catalogue(client)
    waiting = {rid: r for rid, r in resources.items() if r["placeholder"]}
    assert "staff-wellbeing-hub" in waiting and "staff-discounts" in waiting
    for rid, resource in waiting.items():
        if resource["meanwhile"] is not None:
            route = resources[resource["meanwhile"]]
            assert not route["placeholder"] and route["reach"], rid
        else:
            assert resource["reach"], f"{rid} leads nowhere"
    assert waiting["staff-wellbeing-hub"]["meanwhile"] == "samaritans"
    assert waiting["staff-discounts"]["meanwhile"] == "money-advice"
    assert all(r["meanwhile"] is None for r in resources.values() if not r["placeholder"])


def test_once_the_hub_has_its_details_the_other_placeholders_point_to_it(app_config, make_app):
    hub_line = {"kind": "phone", "label": "Call the hub", "value": "0300 123 4567"}
    write_override(
        app_config,
        [{"id": "staff-wellbeing-hub", "reach": [{**hub_line, "href": "tel:03001234567"}]}],
    )
    resources = catalogue(make_app().test_client())
    assert resources["staff-wellbeing-hub"]["placeholder"] is False
    assert resources["staff-wellbeing-hub"]["meanwhile"] is None
    assert resources["wellbeing-champions"]["meanwhile"] == "staff-wellbeing-hub"
    assert resources["career-conversations"]["meanwhile"] == "staff-wellbeing-hub"
    assert resources["staff-discounts"]["meanwhile"] == "money-advice"


def test_a_hub_adds_changes_and_drops_resources(app_config, make_app):
    hub_line = {"kind": "phone", "label": "Call the hub", "value": "0300 123 4567"}
    write_override(
        app_config,
        [
            {"id": "staff-wellbeing-hub", "reach": [{**hub_line, "href": "tel:03001234567"}]},
            {"id": "recovery-college", "drop": True},
            {**NEW, "id": "team-walks", "audience": "frontline"},
        ],
    )
    resources = catalogue(make_app().test_client())
    hub = resources["staff-wellbeing-hub"]
    assert hub["reach"][0]["href"] == "tel:03001234567"
    assert hub["placeholder"] is False
    assert hub["title"] == "Your Staff Wellbeing Hub"
    assert "recovery-college" not in resources
    assert list(resources)[-1] == "team-walks"
    assert resources["team-walks"]["audience"] == "frontline"


@pytest.mark.parametrize(
    "change, words",
    [
        ({"id": "samaritans", "needs": ["world_peace"]}, "needs"),
        ({"id": "samaritans", "factors": ["the_weather"]}, "not in the taxonomy's factors"),
        ({"id": "samaritans", "factors": "workload"}, "factors"),
        (
            {key: v for key, v in NEW.items() if key != "factors"} | {"id": "walks"},
            "factors is missing",
        ),
        ({"id": "samaritans", "meanwhile": ["shout"]}, "meanwhile goes only with placeholder"),
        ({"id": "staff-wellbeing-hub", "placeholder": "x", "meanwhile": ["nobody"]}, "'nobody'"),
        # A placeholder pointing only at another placeholder would leave Support at a dead end.
        (
            {"id": "staff-wellbeing-hub", "placeholder": "x", "meanwhile": ["team-time"]},
            "meanwhile needs a resource that is not a placeholder",
        ),
        ({**NEW, "id": "walks", "reach": [], "placeholder": "x"}, "meanwhile needs a resource"),
        ({"id": "samaritans", "reach": [{**GOOD_WEB, "href": "http://a.b/"}]}, "reach"),
        ({"id": "samaritans", "reach": [{**GOOD_WEB, "href": "javascript:alert(1)"}]}, "reach"),
        ({"id": "samaritans", "reach": [{**GOOD_WEB, "kind": "phone"}]}, "reach"),
        ({"id": "samaritans", "reach": [{**GOOD_WEB, "kind": "fax"}]}, "reach"),
        ({"id": "samaritans", "reach": []}, "at least one way"),
        ({"id": "samaritans", "audience": "directors"}, "audience"),
        ({"id": "samaritans", "urgent": "yes"}, "urgent"),
        ({"id": "samaritans", "neeeds": []}, "neeeds"),
        ({**NEW, "id": "Not A Slug"}, "id"),
        ({**NEW, "id": "team-walks", "summary": ""}, "summary"),
        (
            {key: v for key, v in NEW.items() if key != "hours"} | {"id": "walks"},
            "hours is missing",
        ),
        ({"id": "no-such-resource", "drop": True}, "drop"),
    ],
)
def test_a_mistake_in_the_hub_file_stops_the_start(app_config, make_app, change, words):
    write_override(app_config, [change])
    with pytest.raises(CatalogueError) as error:
        make_app()
    assert "resources.json" in str(error.value) and words in str(error.value)


def test_a_resource_listed_twice_stops_the_start(app_config, make_app):
    write_override(app_config, [{"id": "shout", "hours": "x"}, {"id": "shout", "hours": "y"}])
    with pytest.raises(CatalogueError, match="'shout' is listed twice"):
        make_app()


def test_a_hub_file_that_is_not_a_catalogue_stops_the_start(app_config, make_app):
    with open(f"{app_config['INSTANCE_PATH']}/resources.json", "w") as file:
        file.write("[1, 2, 3]")
    with pytest.raises(CatalogueError, match="resources"):
        make_app()


def test_opening_marks_each_person_once_per_resource_and_week(app, signed_in):
    client, _ = signed_in(area="QT6")
    for _ in range(3):
        assert client.post("/api/v1/resources/samaritans/open").status_code == 204
    assert client.post("/api/v1/resources/shout/open", json={}).status_code == 204
    other, _ = signed_in(area="QWO")
    other.post("/api/v1/resources/samaritans/open")
    rows = sorted(opens(app), key=lambda r: (r["resource"], r["area"]))
    week = current_week()
    assert week.weekday() == 0
    assert [(r["resource"], r["area"], r["week"]) for r in rows] == [
        ("samaritans", "QT6", week),
        ("samaritans", "QWO", week),
        ("shout", "QT6", week),
    ]
    # The same person's two resources carry the same hash; the other person another.
    assert rows[0]["person"] == rows[2]["person"] != rows[1]["person"]


def test_the_mark_has_nothing_that_points_to_a_person_and_goes_with_them(app, signed_in):
    client, person = signed_in()
    client.post("/api/v1/resources/samaritans/open")
    with app.app_context():
        columns = {c.name for c in TakeUpMark.__table__.columns}
    assert columns == {"week", "resource", "person", "area", "region"}
    (row,) = opens(app)
    assert isinstance(row["week"], date) and row["week"] == current_week()
    assert re.fullmatch(r"[0-9a-f]{64}", row["person"])
    assert person.username not in row.values() and str(person.id) != row["person"]
    deleted = client.delete("/api/v1/me", json={"password": person.password})
    assert deleted.status_code == 204
    # Erased with the account: the week has not been counted yet.
    assert opens(app) == []


def test_people_who_said_no_to_research_are_not_counted(app, signed_in):
    client, _ = signed_in(research_consent=False)
    assert client.post("/api/v1/resources/samaritans/open").status_code == 204
    assert opens(app) == []


def test_no_area_is_counted_as_not_given(app, signed_in):
    client, _ = signed_in(area=None)
    client.post("/api/v1/resources/samaritans/open")
    assert [(r["area"], r["region"]) for r in opens(app)] == [("", "")]


def test_an_unknown_resource_is_a_404_and_nothing_is_counted(app, signed_in):
    client, _ = signed_in()
    response = client.post("/api/v1/resources/no-such-thing/open")
    assert response.status_code == 404
    assert response.get_json()["status"] == "Not Found"
    assert opens(app) == []


def test_opening_needs_a_staff_sign_in(app, client, signed_in):
    assert client.post("/api/v1/resources/samaritans/open").status_code == 401
    researcher, _ = signed_in(role="researcher")
    assert researcher.post("/api/v1/resources/samaritans/open").status_code == 403
    assert opens(app) == []


def test_a_form_body_is_refused(app, signed_in):
    client, _ = signed_in()
    response = client.post("/api/v1/resources/samaritans/open", data={"x": "1"})
    assert response.status_code == 415
    assert opens(app) == []


def test_one_person_cannot_inflate_the_counts(app_config, make_app, make_user):
    app = make_app(RESOURCE_OPEN_LIMIT="3 per hour")
    client = app.test_client()
    login(client, make_user())
    answers = [client.post("/api/v1/resources/shout/open").status_code for _ in range(5)]
    assert answers == [204, 204, 204, 429, 429]
    someone_else = app.test_client()
    login(someone_else, make_user())
    assert someone_else.post("/api/v1/resources/shout/open").status_code == 204
    assert len(opens(app)) == 2  # two people, however many opens


def test_people_opening_at_the_same_moment_are_all_counted(app, make_user):
    people = [make_user() for _ in range(6)]
    clients = []
    for person in people:
        clients.append(app.test_client())
        login(clients[-1], person)
    start = threading.Barrier(len(clients))
    answers = []

    def open_five(client):
        start.wait()
        answers.extend(
            client.post("/api/v1/resources/samaritans/open").status_code for _ in range(5)
        )

    threads = [threading.Thread(target=open_five, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [204] * 30
    assert len({r["person"] for r in opens(app)}) == 6


def test_reaching_the_limit_logs_nothing_that_names_the_person(
    app_config, make_app, make_user, caplog
):
    app = make_app(RESOURCE_OPEN_LIMIT="1 per hour")
    client = app.test_client()
    person = make_user()
    login(client, person)
    caplog.set_level("DEBUG")
    client.post("/api/v1/resources/shout/open")
    assert client.post("/api/v1/resources/shout/open").status_code == 429
    logged = " ".join(record.getMessage() for record in caplog.records)
    # The limiter logs its key: an opaque token, never the person's id or name.
    assert re.search(r"\(resource-opens:[0-9a-f]{24}\) exceeded", logged)
    assert person.username not in logged


def warnings_of(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "backend.services.resources" and r.levelname == "WARNING"
    ]


def test_serving_warns_once_of_the_placeholders_still_to_fill_in(app, caplog):
    caplog.set_level("INFO")
    waiting = warn_of_placeholders(app)
    assert waiting == [
        "staff-wellbeing-hub",
        "wellbeing-champions",
        "team-time",
        "recovery-college",
        "staff-discounts",
        "career-conversations",
    ]
    [warning] = warnings_of(caplog)
    assert all(rid in warning for rid in waiting)
    assert f"{app.instance_path}/resources.json" in warning
    assert "backend/data/README.md" in warning


def test_making_an_app_does_not_warn(make_app, caplog):
    caplog.set_level("INFO")
    make_app()
    assert warnings_of(caplog) == []


def test_no_warning_once_every_placeholder_is_filled_in(app_config, make_app, caplog):
    from backend.services.demo import EXAMPLE_RESOURCES

    write_override(app_config, json.loads(EXAMPLE_RESOURCES.read_text())["resources"])
    app = make_app()
    caplog.set_level("INFO")
    assert warn_of_placeholders(app) == []
    assert warnings_of(caplog) == []
