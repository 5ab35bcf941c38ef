"""Property tests over random populations and histories: the privacy model's promises.

For any sequence of people joining, checking in again, giving, changing or deleting ONS4
answers, deleting check-ins, withdrawing consent and publishing:
- no published cell has fewer than k contributors, and every published count is a
  multiple of 5;
- subtraction within a release (a parent minus its published children, with regions worked
  out from their areas where possible) never leaves 1..k-1 people;
- two publications of a cell are either the very same values or k or more people apart
  (with differential privacy, the defaults: or a fresh look, within the cap on looks);
- a freshly published cell counts exactly the consenting people of the moment (so whoever
  withdrew is gone), and the incremental tallies equal a recomputation from scratch.
"""

import math

import sqlalchemy as sa
from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.extensions import db
from backend.models import User
from backend.models.insights import CellTally, ReleaseCell
from backend.services import accounts, entries
from backend.services.releases import contributions, dp, privacy
from backend.services.releases import publishing as releases
from tests.test_releases_support import add_people, answer_ons4, check_in

K = 10
AREAS = ["QT6", "QJK", "QVV", "QRL", None]
ROLES = ["care_worker", "nurse", None]
SETTINGS = ["home_care", "residential", None]
ONS4 = ("life_satisfaction", "worthwhile", "happy", "anxious")
VALUES = ("contributors", "mood", "tough_share", "energy", "sleep", "stress", "needs", "factors")
VALUES += ONS4

profile = st.tuples(st.sampled_from(AREAS), st.sampled_from(ROLES), st.sampled_from(SETTINGS))
mood = st.integers(1, 5)
ons4 = st.one_of(st.none(), st.tuples(*[st.integers(0, 10)] * 4))
step = st.one_of(
    st.tuples(st.just("ons4"), st.integers(0, 10_000), ons4),
    st.tuples(st.just("join"), st.integers(1, 12), profile, mood, ons4),
    st.tuples(st.just("again"), st.integers(0, 10_000), mood),
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("withdraw"), st.integers(0, 10_000)),
    st.tuples(st.just("publish")),
)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def reset() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(sa.delete(table))
    db.session.commit()


def run(steps) -> None:
    people: dict[int, list] = {}
    for action, *args in steps:
        if action == "join":
            count, (area, role, setting), value, scores = args
            for person in add_people(count, area=area, role_group=role, setting=setting):
                people[person] = [check_in(person, value, needs=["sleep_help"] * (value < 3))]
                if scores is not None:
                    answer_ons4(person, scores)
        elif action == "again" and people:
            person = sorted(people)[args[0] % len(people)]
            people[person].append(check_in(person, args[1], energy=args[1]))
        elif action == "ons4" and people:
            answer_ons4(sorted(people)[args[0] % len(people)], args[1])
        elif action == "delete" and people:
            person = sorted(people)[args[0] % len(people)]
            user = db.session.get(User, person)
            for entry_id in people.pop(person):
                entries.delete_entry(user, entry_id)
        elif action == "withdraw" and people:
            person = sorted(people)[args[0] % len(people)]
            accounts.update_profile(db.session.get(User, person), {"research_consent": False})
            people.pop(person)
        elif action == "publish":
            publish_and_check_fresh_cells()
    publish_and_check_fresh_cells()


def publish_and_check_fresh_cells() -> None:
    release = releases.publish()
    if release is None:
        return
    week = contributions.current_week()
    truth = releases.tallies_from_scratch(week)
    fresh = db.session.scalars(
        sa.select(ReleaseCell).where(
            ReleaseCell.release_id == release.id,
            ReleaseCell.computed_in == release.id,
            ReleaseCell.week == week,
        )
    )
    for cell in fresh:
        assert cell.exact == truth[(cell.level, cell.key)][0], (cell.level, cell.key)


def equations(cells: dict) -> list[tuple[tuple, list[tuple]]]:
    """parent = sum of children, for every tree of the week."""
    found = [(("all", ""), [key for key in cells if key[0] == level]) for level in
             ("region", "role_group", "setting")]  # fmt: skip
    regions = {key[1] for key in cells if key[0] == "region"}
    for region in regions:
        areas = [key for key, c in cells.items() if key[0] == "area" and c.parent == region]
        found.append((("region", region), areas))
    return found


def check_subtraction(cells: dict) -> None:
    known = {key: c.exact for key, c in cells.items() if c.status == "published"}
    system = equations(cells)
    changed = True
    while changed:  # work out every parent whose children are all known
        changed = False
        for parent, kids in system:
            if parent not in known and kids and all(kid in known for kid in kids):
                known[parent] = sum(known[kid] for kid in kids)
                changed = True
    for parent, kids in system:
        if parent in known:
            residual = known[parent] - sum(known[kid] for kid in kids if kid in known)
            assert residual == 0 or abs(residual) >= K, (parent, residual)


def values_of(cell: ReleaseCell) -> list:
    return [getattr(cell, v) for v in VALUES]


def check_releases() -> None:
    rows = db.session.scalars(sa.select(ReleaseCell).order_by(ReleaseCell.release_id))
    by_release: dict[tuple, dict] = {}
    last: dict[tuple, ReleaseCell] = {}
    looks: dict[tuple, set] = {}
    noise = dp.settings(current_app.config)
    for cell in rows:
        by_release.setdefault((cell.release_id, cell.week), {})[(cell.level, cell.key)] = cell
        if cell.status != "published":
            continue
        assert cell.exact >= K
        assert cell.contributors % 5 == 0 and cell.contributors > 0
        key = (cell.week, cell.level, cell.key)
        before = last.get(key)
        if before is not None:
            if before.computed_in == cell.computed_in or not noise:
                if before.exact == cell.exact:
                    assert values_of(before) == values_of(cell), key
                else:
                    assert abs(before.exact - cell.exact) >= K, key
            else:
                # With noise a departure is covered by a fresh look (new draws), not by k
                # people: what bounds it is the cap on looks per cell and week.
                looks.setdefault(key, set()).add(cell.computed_in)
        last[key] = cell
    for key, computed in looks.items():
        assert len(computed) <= noise["refreshes"] + 4, key  # the cap, then doublings
    for cells in by_release.values():
        check_subtraction(cells)


def check_tallies() -> None:
    for week in contributions.open_weeks():
        truth = releases.tallies_from_scratch(week)
        tallies = db.session.scalars(sa.select(CellTally).where(CellTally.week == week))
        for tally in tallies:
            n, totals = truth.get((tally.level, tally.key), (0, None))
            assert tally.contributors == n, (tally.level, tally.key)
            if totals is not None:
                assert math.isclose(tally.totals["mood"], totals["mood"], abs_tol=1e-6)
                assert tally.totals["tough"] == totals["tough"]
                assert tally.totals["needs"] == totals["needs"]
                for name in (*ONS4, *(f"{item}_n" for item in ONS4)):
                    assert tally.totals[name] == totals[name], (tally.level, tally.key, name)


@PROPERTY_SETTINGS
@given(steps=st.lists(step, min_size=2, max_size=14))
def test_releases_keep_every_promise(app, steps):
    with app.app_context():
        reset()
        run(steps)
        check_releases()
        check_tallies()


# What an attacker who controls k-1 contributors of a cell learns from every look the cap
# allows, on the pure functions a release is made with (dp.noisy, privacy.values): the
# error of their estimate of the last person's weekly mood, over many draws.
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    known=st.lists(st.floats(1, 5), min_size=K - 1, max_size=K - 1),
    target=st.floats(1, 5),
    levels=st.sampled_from([1, 5]),
)
def test_k_minus_1_known_contributors_leave_the_last_ones_mood_uncertain(known, target, levels):
    """One cell (area): RMSE about 0.66; all five levels of a pilot whose only real person
    is the target (the attacker fills every cell): about 0.3. Asserted: 0.3 and 0.13, which 40
    trials fall below by chance less than once in a million examples."""
    config = {"DP_ENABLED": True}
    noise = dp.settings(config)
    totals = {"mood": sum(known) + target}
    errors = []
    for _trial in range(40):
        looks = []
        for _look in range(levels * noise["refreshes"]):
            noisy, n = dp.noisy(totals, K, noise["epsilon"], noise["share_epsilon"], [], [])
            shown = privacy.values(noisy, n, K, exact={})
            looks.append(shown["mood"] * K - sum(known))
        errors.append((sum(looks) / len(looks) - target) ** 2)
    rmse = (sum(errors) / len(errors)) ** 0.5
    assert rmse >= (0.3 if levels == 1 else 0.13), rmse
