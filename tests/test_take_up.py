"""Take-up for researchers: people per resource by area, region and in all, closed weeks only,
under the k, rounding and complementary suppression rules of every cell.

These tests write a closed week's frozen counts directly; how people's opens become those
counts (and the attack with k-1 accounts) is in test_take_up_people.py.
"""

import csv
import io
from datetime import date, timedelta

import pytest

from backend.extensions import db
from backend.models.signposting import TakeUpCell
from backend.services import taxonomy
from backend.services.releases import contributions
from tests.test_releases_support import SW_REGION

LONDON, LONDON_AREA = "E40000003", "QWE"
SOUTH_EAST_AREA = "QRL"


@pytest.fixture
def researcher(signed_in):
    client, _ = signed_in(role="researcher")
    return client


def week_ago(weeks=1):
    return contributions.current_week() - timedelta(weeks=weeks)


def opens(app, counts, week=None, resource="samaritans", margin=None):
    """Write a week's frozen counts as freezing leaves them: {area: people}, each person in
    one area ("" for no area, or one not vouched for: then no region either); `margin` is
    each cell's give-or-take (None: frozen without noise)."""
    week = week or week_ago()
    with app.app_context():
        regions: dict[str, int] = {}
        for area, count in counts.items():
            region = taxonomy.region_of(area) or "" if area else ""
            regions[region] = regions.get(region, 0) + count
            cell(week, resource, "area", area, region if area else "", count, margin)
        for region, count in regions.items():
            cell(week, resource, "region", region, "", count, margin)
        cell(week, resource, "all", "", "", sum(counts.values()), margin)
        db.session.commit()


def cell(week, resource, level, key, parent, people, margin=None):
    db.session.add(
        TakeUpCell(week=week, resource=resource, level=level, key=key, parent=parent,
                   people=people, noisy=None, margin=margin)
    )  # fmt: skip


def cells_of(body, week=None, resource="samaritans"):
    """{(level, key): (status, people)} for one resource in one week of a response."""
    week = (week or week_ago()).isoformat()
    [found] = [w for w in body["weeks"] if w["week"] == week]
    [item] = [r for r in found["resources"] if r["resource"] == resource]
    cells = {("all", ""): (item["all"]["status"], item["all"]["people"])}
    for level in ("region", "area"):
        for key, shown in item[f"{level}s"].items():
            cells[(level, key)] = (shown["status"], shown["people"])
    return cells


def take_up(client, query=""):
    response = client.get(f"/api/v1/insights/take-up{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_counts_show_from_k_rounded_and_their_siblings_hidden_with_them(app, researcher):
    opens(app, {"QJK": 14, "QT6": 12, "QVV": 3})
    cells = cells_of(take_up(researcher))
    assert cells[("area", "QJK")] == ("published", 15)
    assert cells[("area", "QVV")] == ("suppressed", None)
    # Region 29 minus Devon 14 minus Cornwall 12 would give Dorset's 3: Cornwall goes too.
    assert cells[("area", "QT6")] == ("suppressed", None)
    assert cells[("region", SW_REGION)] == ("published", 30)
    assert cells[("all", "")] == ("published", 30)
    # Nobody at all is hidden exactly like a few: never a zero.
    assert cells[("area", LONDON_AREA)] == ("suppressed", None)
    assert cells[("region", LONDON)] == ("suppressed", None)


def test_a_hidden_region_cannot_be_worked_out_from_the_total(app, researcher):
    opens(app, {"QJK": 20, LONDON_AREA: 4})
    cells = cells_of(take_up(researcher))
    assert cells[("all", "")] == ("published", 25)
    # Total minus the South West (or minus Devon) would give London's 4.
    assert cells[("region", LONDON)] == ("suppressed", None)
    assert cells[("region", SW_REGION)] == ("suppressed", None)
    assert cells[("area", "QJK")] == ("suppressed", None)


def test_opens_with_no_area_are_a_hidden_child_of_the_total(app, researcher):
    opens(app, {"QJK": 20, "": 3})
    cells = cells_of(take_up(researcher))
    assert cells[("all", "")] == ("published", 25)
    assert ("area", "") not in cells and ("region", "") not in cells
    assert cells[("region", SW_REGION)] == ("suppressed", None)
    assert cells[("area", "QJK")] == ("suppressed", None)


def test_each_resource_and_week_is_its_own_tree(app, researcher):
    opens(app, {"QJK": 11, SOUTH_EAST_AREA: 12}, resource="shout")
    opens(app, {"QJK": 11, SOUTH_EAST_AREA: 12}, week=week_ago(2))
    body = take_up(researcher)
    shout = cells_of(body, resource="shout")
    assert shout[("area", "QJK")] == shout[("region", SW_REGION)] == ("published", 10)
    assert shout[("area", SOUTH_EAST_AREA)] == ("published", 10)
    assert shout[("all", "")] == ("published", 25)
    assert cells_of(body, resource="samaritans")[("all", "")] == ("suppressed", None)
    assert cells_of(body, week=week_ago(2))[("all", "")] == ("published", 25)


def test_only_closed_weeks_are_shown(app, researcher):
    opens(app, {"QJK": 40}, week=contributions.current_week())
    opens(app, {"QJK": 40}, week=week_ago(9))
    body = take_up(researcher)
    weeks = [w["week"] for w in body["weeks"]]
    assert weeks == [week_ago(n).isoformat() for n in range(8, 0, -1)]
    assert (body["from"], body["to"], body["k"], body["rounding"]) == (weeks[0], weeks[-1], 10, 5)
    for week in weeks:
        assert cells_of(body, week=date.fromisoformat(week))[("all", "")][0] == "suppressed"
    nine = take_up(researcher, "?weeks=9")
    assert cells_of(nine, week=week_ago(9))[("area", "QJK")] == ("published", 40)


def test_every_catalogue_resource_is_listed_whether_opened_or_not(app, researcher):
    opens(app, {"QJK": 40}, resource="a-resource-since-dropped")
    body = take_up(researcher, "?weeks=1")
    listed = [r["resource"] for r in body["weeks"][0]["resources"]]
    assert {"samaritans", "shout", "staff-wellbeing-hub"} <= set(listed)
    assert listed[-1] == "a-resource-since-dropped"
    assert cells_of(body, resource="shout")[("all", "")] == ("suppressed", None)


def test_take_up_as_csv(app, researcher):
    opens(app, {"QJK": 14, "QT6": 12, "QVV": 3})
    response = researcher.get("/api/v1/insights/take-up?format=csv&weeks=1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    ours = {(r["level"], r["key"]): r for r in rows if r["resource"] == "samaritans"}
    assert ours[("area", "QJK")]["people"] == "15"
    assert ours[("area", "QJK")]["region"] == SW_REGION
    assert (ours[("area", "QVV")]["status"], ours[("area", "QVV")]["people"]) == ("suppressed", "")
    assert ours[("all", "")]["label"] == "Everyone"
    assert set(rows[0]) == {"week", "resource", "level", "key", "label", "region", "status",
                            "people", "give_or_take"}  # fmt: skip
    assert ours[("area", "QJK")]["give_or_take"] == ""  # this test's counts carry no noise


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("weeks=0", "weeks"),
        ("weeks=53", "weeks"),
        ("weeks=many", "weeks"),
        ("format=xml", "format"),
    ],
)
def test_take_up_refuses_what_it_cannot_answer(researcher, query, field):
    response = researcher.get(f"/api/v1/insights/take-up?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_only_researchers_may_read_take_up(app, client, signed_in):
    opens(app, {"QJK": 40})
    assert client.get("/api/v1/insights/take-up").status_code == 401
    staff, _ = signed_in()
    assert staff.get("/api/v1/insights/take-up").status_code == 403
    assert staff.get("/api/v1/insights/take-up?format=csv").status_code == 403
    admin, _ = signed_in(role="admin")
    assert admin.get("/api/v1/insights/take-up").status_code == 403


def test_two_reads_around_one_open_are_the_same(app, researcher, signed_in):
    """The attacker reads, watches a colleague open a resource, and reads again."""
    opens(app, {"QJK": 14, "QT6": 12})
    opens(app, {"QJK": 14, "QT6": 12}, week=contributions.current_week())
    before = take_up(researcher, "?format=json")
    colleague, _ = signed_in(area="QVV")
    assert colleague.post("/api/v1/resources/samaritans/open", json={}).status_code == 204
    assert take_up(researcher) == before
    # Even with the colleague's open, this week is nowhere in what is read.
    assert contributions.current_week().isoformat() not in {w["week"] for w in before["weeks"]}
