"""Releases with the defaults (differential privacy on): margins, the budget, unanimous
cells, departures without blackouts."""

import csv
import io

import pytest

from backend.extensions import db
from backend.models import User
from backend.models.insights import PrivacyBudget
from backend.services import accounts
from backend.services.releases import dp
from backend.services.releases import publishing as releases
from tests.test_releases_support import SW_REGION, add_people, check_in, check_ins, latest


@pytest.fixture
def researcher(signed_in):
    client, _ = signed_in(role="researcher")
    return client


def test_every_published_figure_carries_its_give_or_take(app, researcher):
    with app.app_context():
        check_ins(add_people(10, area="QT6"), 4, energy=3)
        check_ins(add_people(100, area="QJK"), 4, energy=3)
        releases.publish()
    body = researcher.get("/api/v1/insights/needs-map").get_json()
    areas = {a["key"]: a for a in body["areas"]}
    small, large = areas["QT6"]["margins"], areas["QJK"]["margins"]
    # A 10-person mean of 4 moves by about 0.35 either way; one of 100 by a tenth of that.
    # (The margins are worked out from the noisy count, so here only their order is sure.)
    eps, share = dp.DEFAULT_FIGURE_EPSILON, dp.DEFAULT_SHARE_EPSILON
    assert dp.margins(10, eps, share, {"mood": 4.0})["mood"] == 0.35
    assert dp.margins(100, eps, share, {"mood": 4.0})["mood"] == 0.04
    assert small["mood"] > large["mood"] > 0
    assert small["shares"] > large["shares"] > 0 and small["contributors"] == 4
    assert "life_satisfaction" not in small  # nobody answered: no figure, no margin
    assert areas["QVV"]["margins"] is None  # suppressed
    text = researcher.get("/api/v1/insights/export.csv").get_data(as_text=True)
    rows = csv.DictReader(io.StringIO(text))
    row = next(r for r in rows if r["key"] == "QJK" and r["status"] == "published")
    assert float(row["give_or_take:mood"]) == large["mood"]
    state = researcher.get("/api/v1/insights/releases").get_json()["privacy"]
    assert state["differential_privacy"]["figure_epsilon"] == dp.DEFAULT_FIGURE_EPSILON


def test_the_spend_is_counted_per_person_and_the_yearly_budget_holds(app):
    with app.app_context():
        per_look = dp.per_look(app.config, *map(len, releases.taxonomy_codes().values()))
        assert per_look == pytest.approx(16 * 1.5 + 25 * 0.5)
        check_ins(add_people(40, area="QT6"), 4)
        first = releases.publish()
        # Each of the 5 levels has a fresh cell the same person is in: 5 looks.
        assert first.epsilon == pytest.approx(5 * per_look)
        # Room for one more release at most (5 levels x 2 open weeks), not two.
        app.config.update(DP_YEARLY_EPSILON=first.epsilon + 10 * per_look)
        check_ins(add_people(20, area="QT6"), 2)
        assert releases.publish().epsilon == pytest.approx(5 * per_look)
        year = first.published_at.year
        assert db.session.get(PrivacyBudget, year).spent == pytest.approx(10 * per_look)
        # Less than one release's most is left: nothing is computed afresh, cells stand.
        check_ins(add_people(20, area="QT6"), 2)
        assert releases.publish() is None
        assert latest()[("area", "QT6")].exact == 60


def test_a_unanimous_cell_never_shows_its_answer(app):
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 5, energy=1, needs=["sleep_help"])
        releases.publish()
        cell = latest()[("area", "QT6")]
        # Everyone chose sleep help, nobody had a tough week, all gave mood 5 and energy 1.
        assert 0.05 <= cell.needs["sleep_help"] <= 0.95 and cell.tough_share >= 0.05
        assert all(0.05 <= share <= 0.95 for share in cell.needs.values())
        assert set(cell.needs) == set(releases.taxonomy_codes()["needs"])
        assert 1.1 <= cell.energy <= 4.9 and 1.1 <= cell.mood <= 4.9


def test_a_departure_refreshes_every_cell_of_the_leaver_with_fresh_noise(app):
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people, 4)
        first = releases.publish()
        accounts.update_profile(db.session.get(User, people[0]), {"research_consent": False})
        releases.publish()
        cells = latest()
        # Gone from the very next release: every cell they were in is computed afresh, with
        # new noise, so the difference of two releases is not the leaver's value.
        for key in [("area", "QT6"), ("region", SW_REGION), ("all", "")]:
            assert (cells[key].status, cells[key].exact) == ("published", 19), key
            assert cells[key].computed_in != first.id


def test_when_looks_run_out_cells_below_are_withheld_but_the_total_holds(app):
    app.config.update(DP_REFRESHES=1)
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people, 4)
        first = releases.publish()
        accounts.update_profile(db.session.get(User, people[0]), {"research_consent": False})
        releases.publish()
        cells = latest()
        assert cells[("area", "QT6")].status == "suppressed"
        assert cells[("all", "")].computed_in == first.id
        check_in(add_people(1, area="QT6")[0], 4)
        assert releases.publish() is None  # one newcomer moves nothing


def test_one_check_in_never_changes_a_release(app):
    with app.app_context():
        check_ins(add_people(20, area="QT6"), 4)
        releases.publish()
        check_in(add_people(1, area="QT6")[0], 1)
        assert releases.publish() is None  # a new look needs k people, or a departure
