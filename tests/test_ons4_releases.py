"""ONS4 in releases: four means per cell on 0..10, item by item, under the release rules."""

import csv
import io

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.insights import CellTally, ContributionChange, PersonWeek
from backend.services import accounts
from backend.services.releases import contributions
from backend.services.releases import publishing as releases
from tests.test_releases_support import (
    SW_REGION,
    add_people,
    answer_ons4,
    check_in,
    check_ins,
    latest,
)

ITEMS = ("life_satisfaction", "worthwhile", "happy", "anxious")


@pytest.fixture
def app_config(app_config):
    """Exact values: these tests check the arithmetic, so differential privacy is off."""
    return {**app_config, "DP_ENABLED": False}


def answered(people, scores):
    for person in people:
        check_in(person, 3)
        answer_ons4(person, scores)


def items_of(cell):
    return tuple(getattr(cell, item) for item in ITEMS)


def seed_devon_and_cornwall():
    """Devon: 12 care workers; Cornwall: 11 nurses; everyone at home care, all answering."""
    devon = add_people(12, area="QJK", role_group="care_worker")
    cornwall = add_people(11, area="QT6", role_group="nurse")
    answered(devon[:6], (8, 9, 10, 2))
    answered(devon[6:], (5, 9, 4, 6))
    answered(cornwall[:10], (7, 6, 7, 1))
    answered(cornwall[10:], (0, 10, 3, 10))
    return devon, cornwall


def test_every_level_shows_each_items_mean_on_its_own_scale(app):
    with app.app_context():
        seed_devon_and_cornwall()
        releases.publish()
        cells = latest()
        # Devon: (6*8 + 6*5)/12, 9, (6*10 + 6*4)/12, (6*2 + 6*6)/12
        assert items_of(cells[("area", "QJK")]) == (6.5, 9.0, 7.0, 4.0)
        # Cornwall: (70 + 0)/11, (60 + 10)/11, (70 + 3)/11, (10 + 10)/11
        assert items_of(cells[("area", "QT6")]) == (6.36, 6.36, 6.64, 1.82)
        # Both: 148/23, 178/23, 157/23, 68/23 (never added into one score)
        both = (6.43, 7.74, 6.83, 2.96)
        for key in [("region", SW_REGION), ("all", ""), ("setting", "home_care")]:
            assert items_of(cells[key]) == both, key
        assert items_of(cells[("role_group", "care_worker")]) == (6.5, 9.0, 7.0, 4.0)
        assert items_of(cells[("role_group", "nurse")]) == (6.36, 6.36, 6.64, 1.82)


@pytest.mark.parametrize("answers", [9, 10])
def test_an_item_needs_k_answers_though_its_cell_shows(app, answers):
    with app.app_context():
        people = add_people(15, area="QT6")
        check_ins(people, 4)
        for person in people[:answers]:
            answer_ons4(person, (9, 0, 10, 1))
        releases.publish()
        cell = latest()[("area", "QT6")]
        assert (cell.status, cell.contributors, cell.mood) == ("published", 15, 4.0)
        # Never at either end of 0..10: 0 and 10 show as 0.25 and 9.75.
        shown = (9.0, 0.25, 9.75, 1.0) if answers >= 10 else (None, None, None, None)
        assert items_of(cell) == shown
        # One more answer is one person's change: the cell and its items stand as they were.
        answer_ons4(people[answers], (0, 10, 0, 10))
        assert releases.publish() is None
        assert items_of(latest()[("area", "QT6")]) == shown


def test_answers_of_people_who_said_no_never_count(app):
    with app.app_context():
        answered(add_people(10, area="QT6"), (5, 5, 5, 5))
        refusers = add_people(10, area="QT6", consent=False)
        answered(refusers, (0, 0, 0, 10))
        queued = db.session.scalars(sa.select(ContributionChange.life_satisfaction))
        assert set(queued) == {None, 5}  # each consenting check-in, then its answers
        releases.publish()
        cell = latest()[("area", "QT6")]
        assert (cell.exact, items_of(cell)) == (10, (5.0, 5.0, 5.0, 5.0))
        # Their own person-weeks still carry their answers: it is only the release that
        # leaves them out.
        rows = db.session.scalars(sa.select(PersonWeek).where(PersonWeek.user_id == refusers[0]))
        assert items_of(next(iter(rows))) == (0, 0, 0, 10)


def test_answers_without_a_check_in_wait_for_one(app):
    with app.app_context():
        [person] = add_people(1, area="QT6")
        answer_ons4(person, (6, 7, 8, 2))
        assert db.session.scalar(sa.select(sa.func.count(PersonWeek.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(ContributionChange.id))) == 0
        check_in(person, 3)
        [row] = db.session.scalars(sa.select(PersonWeek))
        assert items_of(row) == (6, 7, 8, 2)
        [change] = db.session.scalars(sa.select(ContributionChange))
        assert (change.sign, items_of(change)) == (1, (6, 7, 8, 2))


def tally_totals(level, key):
    week = contributions.current_week()
    tally = db.session.get(CellTally, (week, level, key))
    return tally.contributors, {f: tally.totals.get(f) for f in truth_fields()}


def truth_fields():
    return [name for item in ITEMS for name in (item, f"{item}_n")]


def assert_tallies_equal_from_scratch():
    truth = releases.tallies_from_scratch(contributions.current_week())
    tallies = db.session.scalars(
        sa.select(CellTally).where(CellTally.week == contributions.current_week())
    )
    for tally in tallies:
        n, totals = truth.get((tally.level, tally.key), (0, None))
        assert tally.contributors == n
        if totals is not None:
            for name in truth_fields():
                assert tally.totals[name] == totals[name], (tally.level, tally.key, name)


@pytest.mark.parametrize("change", ["changed", "deleted", "withdrew"])
def test_a_changed_or_deleted_answer_moves_the_tallies(app, change):
    with app.app_context():
        people = add_people(12, area="QT6")
        answered(people, (6, 6, 6, 6))
        releases.publish()
        if change == "changed":
            answer_ons4(people[0], (0, 1, 2, 10))
            expected = (12, {"life_satisfaction": 66, "worthwhile": 67, "happy": 68,
                             "anxious": 76} | {f"{i}_n": 12 for i in ITEMS})  # fmt: skip
        elif change == "deleted":
            answer_ons4(people[0], None)
            expected = (12, {i: 66 for i in ITEMS} | {f"{i}_n": 11 for i in ITEMS})
        else:
            accounts.update_profile(db.session.get(User, people[0]), {"research_consent": False})
            expected = (11, {i: 66 for i in ITEMS} | {f"{i}_n": 11 for i in ITEMS})
        releases.publish()
        assert tally_totals("area", "QT6") == expected
        assert tally_totals("all", "") == expected
        assert_tallies_equal_from_scratch()


def test_insights_carry_the_ons4_means(app, signed_in):
    with app.app_context():
        seed_devon_and_cornwall()
        releases.publish()
    researcher, _ = signed_in(role="researcher")
    body = researcher.get("/api/v1/insights/needs-map").get_json()
    devon = next(a for a in body["areas"] if a["key"] == "QJK")
    assert {i: devon[i] for i in ITEMS} == dict(zip(ITEMS, (6.5, 9.0, 7.0, 4.0), strict=True))
    dorset = next(a for a in body["areas"] if a["key"] == "QVV")
    assert all(dorset[i] is None for i in ITEMS)
    trends = researcher.get("/api/v1/insights/trends?level=region").get_json()
    point = next(s for s in trends["series"] if s["key"] == SW_REGION)["points"][-1]
    assert [point[i] for i in ITEMS] == [6.43, 7.74, 6.83, 2.96]
    text = researcher.get("/api/v1/insights/export.csv").get_data(as_text=True)
    this_week = contributions.current_week().isoformat()
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["week"] == this_week]
    cornwall = next(r for r in rows if r["key"] == "QT6")
    assert [cornwall[i] for i in ITEMS] == ["6.36", "6.36", "6.64", "1.82"]
    assert [next(r for r in rows if r["key"] == "QVV")[i] for i in ITEMS] == [""] * 4
    assert not any("ons4" in column or "total" in column for column in rows[0])
