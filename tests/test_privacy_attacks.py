"""An adversary's notebook: a researcher who knows when one colleague checked in tries to
learn that colleague's mood. Every attempt is made through the researcher's own API, with
what a real attacker would have, and every one must fail."""

import csv
import io
import uuid

import pytest

from backend.extensions import db
from backend.models import User
from backend.services import accounts, releases
from tests.test_releases_support import (
    SW_REGION,
    add_people,
    answer_ons4,
    check_in,
    check_ins,
    latest,
)

COLLEAGUE_MOOD = 1


@pytest.fixture
def researcher(signed_in):
    client, _ = signed_in(role="researcher")
    return client


def needs_map(client):
    body = client.get("/api/v1/insights/needs-map").get_json()
    cells = {("area", a["key"]): a for a in body["areas"]}
    cells.update({("region", r["key"]): r for r in body["regions"]})
    cells[("all", "")] = body["all"]
    return cells


def publish(app):
    with app.app_context():
        releases.publish()
        db.session.remove()


def test_consecutive_live_releases_do_not_move_for_one_check_in(app, researcher):
    with app.app_context():
        check_ins(add_people(20, area="QT6"), 4)
        [colleague] = add_people(1, area="QT6")
    publish(app)
    before = needs_map(researcher)
    with app.app_context():
        check_in(colleague, COLLEAGUE_MOOD)  # the attacker knows this happened just now
    publish(app)
    after = needs_map(researcher)
    assert after == before  # nothing at all moved: not the count, not the mean
    with app.app_context():
        check_ins(add_people(8, area="QT6"), 4)  # the attacker waits for more releases
    publish(app)
    assert needs_map(researcher) == before
    with app.app_context():
        check_ins(add_people(1, area="QT6"), 4)
    publish(app)
    assert needs_map(researcher) != before
    # When it moves, ten people moved it (the rule reads exact counts; the published ones
    # carry noise): their mean is all that can be worked out.
    with app.app_context():
        assert latest()[("area", "QT6")].exact == 30  # 20 + the colleague + 8 + 1


def test_subtracting_published_siblings_from_their_region_leaves_a_crowd(app, researcher):
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 4)
        check_ins(add_people(14, area="QJK"), 4)
        [colleague] = add_people(1, area="QVV")  # the only one in Dorset
        check_in(colleague, COLLEAGUE_MOOD)
    publish(app)
    cells = needs_map(researcher)
    region = cells[("region", SW_REGION)]
    areas = [
        c for (level, _), c in cells.items() if level == "area" and c.get("region") == SW_REGION
    ]
    published = [a for a in areas if a["status"] == "published"]
    # What is left once the published areas are taken away is a crowd by the exact counts
    # behind them (the published ones carry noise, which only blurs it more).
    with app.app_context():
        exact = latest()
    left_exact = exact[("region", SW_REGION)].exact - sum(
        exact[("area", a["key"])].exact for a in published
    )
    left_count = region["contributors"] - sum(a["contributors"] for a in published)
    left_sum = region["contributors"] * region["mood"] - sum(
        a["contributors"] * a["mood"] for a in published
    )
    assert cells[("area", "QVV")]["status"] == "suppressed"
    assert left_exact >= 10  # a second area was hidden with Dorset
    assert round(left_sum / max(left_count, 1)) != COLLEAGUE_MOOD


def test_subtracting_role_groups_and_settings_from_the_total_leaves_a_crowd(app, researcher):
    with app.app_context():
        check_ins(add_people(26, area="QT6", role_group="care_worker", setting="home_care"), 4)
        # The colleague is the only nurse, and the only one who gave no setting.
        [colleague] = add_people(1, area="QT6", role_group="nurse", setting=None)
        check_in(colleague, COLLEAGUE_MOOD)
    publish(app)
    trends = {
        level: researcher.get(f"/api/v1/insights/trends?level={level}").get_json()
        for level in ("all", "role_group", "setting")
    }
    total = trends["all"]["series"][0]["points"][-1]
    assert total["status"] == "published"
    for level in ("role_group", "setting"):
        shown = [s["points"][-1] for s in trends[level]["series"]]
        shown = [p for p in shown if p["status"] == "published"]
        # Either nothing is shown below the total, or what is hidden is a crowd.
        left = total["contributors"] - sum(p["contributors"] for p in shown)
        assert left == 0 and not shown or left >= 10, (level, left)


def test_the_csv_holds_no_one_and_no_moment(app, researcher):
    with app.app_context():
        [colleague] = add_people(1, area="QT6")
        check_ins(add_people(20, area="QT6"), 4)
        check_in(colleague, COLLEAGUE_MOOD)
        name = db.session.get(User, colleague).username
    publish(app)
    text = researcher.get("/api/v1/insights/export.csv").get_data(as_text=True)
    assert name not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(rows[0]) >= {"week", "level", "key", "status", "contributors", "mood"}
    for row in rows:
        assert len(row["week"]) == 10  # a week, never a moment
        if row["status"] == "published":
            assert int(row["contributors"]) % 5 == 0 and int(row["contributors"]) >= 10
        else:
            assert row["contributors"] == row["mood"] == ""


@pytest.mark.parametrize("noise", [True, False])
def test_withdrawal_cannot_be_subtracted_out_of_two_releases(app, researcher, make_user, noise):
    """With noise the cell is computed afresh at once, so the two releases differ by the
    leaver's value plus two independent draws (tests/test_dp_attacks.py measures how far
    off that leaves an attacker); without it, the cell is withheld."""
    app.config["DP_ENABLED"] = noise
    colleague = make_user(area="QT6")
    with app.app_context():
        check_in(colleague.id, COLLEAGUE_MOOD)
        check_ins(add_people(20, area="QT6"), 4)
    publish(app)
    with app.app_context():
        first = latest()[("area", "QT6")].computed_in
        accounts.update_profile(db.session.get(User, colleague.id), {"research_consent": False})
    publish(app)
    after = needs_map(researcher)[("area", "QT6")]
    with app.app_context():
        cell = latest()[("area", "QT6")]
        if noise:
            assert (cell.exact, after["status"]) == (20, "published") and cell.computed_in > first
        else:
            assert after["status"] == "suppressed" and after["mood"] is None


def test_the_researcher_cannot_reach_anyones_check_ins(app, researcher):
    with app.app_context():
        [colleague] = add_people(1, area="QT6")
        entry_id = check_in(colleague, COLLEAGUE_MOOD)
    assert researcher.get("/api/v1/entries").status_code == 403
    assert researcher.get(f"/api/v1/entries/{entry_id}").status_code == 403
    assert researcher.get(f"/api/v1/entries/{uuid.uuid4()}").status_code == 403
    body = researcher.get("/api/v1/me/export").get_json()
    assert body["entries"] == []


ONS4 = ("life_satisfaction", "worthwhile", "happy", "anxious")


def ons4_of(client, key=("area", "QT6")):
    cell = needs_map(client)[key]
    return [cell[item] for item in ONS4]


@pytest.mark.parametrize("change", [(0, 0, 0, 10), None])
def test_one_persons_ons4_change_cannot_be_read_from_two_releases(app, researcher, change):
    """The attacker knows the colleague just changed (or deleted) their ONS4 answers."""
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people, 4)
        for person in people:
            answer_ons4(person, (7, 7, 7, 3))
        colleague = people[0]
    publish(app)
    before = needs_map(researcher)
    first = ons4_of(researcher)  # about 7, 7, 7, 3, give or take the noise
    assert None not in first
    with app.app_context():
        answer_ons4(colleague, change)
    publish(app)
    assert needs_map(researcher) == before  # nothing moved at all
    # The attacker waits until ten newcomers, who answer no ONS4, refresh the cell: its
    # count moves, but the items' answers are the same twenty but for the colleague.
    with app.app_context():
        check_ins(add_people(10, area="QT6"), 4)
    publish(app)
    with app.app_context():
        assert latest()[("area", "QT6")].exact == 30  # the cell refreshed
    assert ons4_of(researcher) == first  # the items stand as they were, value for value


def test_an_ons4_answer_leaves_with_its_owner(app, researcher):
    """Someone who withdraws is gone from the items too, even where the cell refreshes."""
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people, 4)
        for n, person in enumerate(people):
            answer_ons4(person, (0, 0, 0, 10) if n == 0 else (7, 7, 7, 3))
    publish(app)
    assert None not in ons4_of(researcher)  # about 6.65, 6.65, 6.65, 3.35
    with app.app_context():
        accounts.update_profile(db.session.get(User, people[0]), {"research_consent": False})
        check_ins(add_people(11, area="QT6"), 4)
    publish(app)
    after = needs_map(researcher)[("area", "QT6")]
    assert after["status"] == "published" and 20 <= after["contributors"] <= 40  # 19 + 11
    # 19 answers now: showing 6.65 again would still count the leaver, and a fresh 7.0 next
    # to it would give their answers away. The items are withheld until k answers move.
    assert ons4_of(researcher) == [None, None, None, None]
    with app.app_context():
        for person in add_people(11, area="QT6"):
            check_in(person, 4)
            answer_ons4(person, (7, 7, 7, 3))
    publish(app)
    assert None not in ons4_of(researcher)  # 30 answers, none of them the leaver


def energy_of(client, key=("area", "QT6")):
    return needs_map(client)[key]["energy"]


def test_one_persons_energy_change_cannot_be_read_from_two_releases(app, researcher):
    """Energy is optional: newcomers who skip it must not refresh it around one person."""
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people, 4, energy=4)
        colleague = people[0]
    publish(app)
    first = energy_of(researcher)  # about 4.0
    assert first is not None
    with app.app_context():
        check_in(colleague, 4, energy=1)  # their week's energy: 2.5
        check_ins(add_people(10, area="QT6"), 4)  # ten newcomers, no energy given
    publish(app)
    after = needs_map(researcher)[("area", "QT6")]
    with app.app_context():
        assert latest()[("area", "QT6")].exact == 30  # the cell refreshed ...
    # ... but a fresh energy mean would be (19 x 4 + 2.5) / 20 = 3.92: the colleague's
    # change alone. The same twenty gave energy, so the standing one is shown again.
    assert after["energy"] == first


def test_an_energy_answer_leaves_with_its_owner(app, researcher):
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people[:1], 4, energy=1)
        check_ins(people[1:], 4, energy=4)
    publish(app)
    assert energy_of(researcher) is not None  # about 3.85
    with app.app_context():
        accounts.update_profile(db.session.get(User, people[0]), {"research_consent": False})
        check_ins(add_people(11, area="QT6"), 4)
    publish(app)
    after = needs_map(researcher)[("area", "QT6")]
    assert after["status"] == "published" and 20 <= after["contributors"] <= 40
    # 3.85 would still count the leaver and a fresh 4.0 would give their energy away.
    assert after["energy"] is None
