"""Releases: thresholds, rounding, complementary suppression, the live rule and departures."""

import threading

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.insights import ContributionChange, Release, ReleaseCell
from backend.services import accounts, releases
from backend.services.releases import contributions, tallies
from backend.services.releases.publishing import taxonomy_codes
from tests.conftest import PASSWORD
from tests.test_releases_support import (
    SW_REGION,
    add_people,
    cells_of,
    check_in,
    check_ins,
    latest,
    now_minus,
)


def shown(key):
    return latest()[key]


@pytest.fixture
def app_config(app_config):
    """Exact values: these tests check the arithmetic, so differential privacy is off."""
    return {**app_config, "DP_ENABLED": False}


def test_small_cells_are_suppressed_and_their_siblings_too(app):
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 4)
        check_ins(add_people(14, area="QJK"), 4)
        check_ins(add_people(3, area="QVV"), 1)
        release = releases.publish()
        assert release is not None
        cells = latest()
        assert cells[("area", "QVV")].status == "suppressed"
        # Region minus Devon would give Dorset's three: Cornwall is hidden as well.
        assert cells[("area", "QT6")].status == "suppressed"
        assert cells[("area", "QJK")].status == "published"
        region = cells[("region", SW_REGION)]
        assert (region.status, region.contributors, region.exact) == ("published", 30, 29)
        hidden = cells[("area", "QVV")]
        assert hidden.contributors is None and hidden.mood is None and hidden.needs is None


def test_counts_are_rounded_to_five_and_shares_from_rounded_counts(app):
    with app.app_context():
        people = add_people(13, area="QT6")
        for n, person in enumerate(people):
            check_in(person, 2 if n < 6 else 4, needs=["sleep_help"] if n < 1 else [])
        releases.publish()
        cell = shown(("area", "QT6"))
        assert cell.contributors == 15
        assert cell.tough_share == round(5 / 15, 2)  # six tough weeks round to five
        # One person's choice rounds to none, shown as "hardly anyone", never as nobody.
        assert cell.needs["sleep_help"] == 0.05
        assert set(cell.needs) == set(taxonomy_codes()["needs"])
        assert cell.mood == round((6 * 2 + 7 * 4) / 13, 2)


def test_a_cell_moves_only_when_k_people_have_changed(app):
    with app.app_context():
        check_ins(add_people(20, area="QT6"), 4)
        first = releases.publish()
        before = shown(("area", "QT6"))
        newcomers = add_people(10, area="QT6")
        for n, person in enumerate(newcomers[:9]):
            check_in(person, 1)
            assert releases.publish() is None, f"republished after {n + 1} newcomers"
        check_in(newcomers[9], 1)
        second = releases.publish()
        after = shown(("area", "QT6"))
        assert second.id > first.id
        assert (before.exact, after.exact) == (20, 30)
        assert after.mood < before.mood


def test_one_persons_change_of_mood_moves_nothing(app):
    with app.app_context():
        people = add_people(20, area="QT6")
        ids = {p: check_in(p, 4) for p in people}
        releases.publish()
        check_in(people[0], 1, entry_id=ids[people[0]])
        assert releases.publish() is None
        assert shown(("area", "QT6")).mood == 4.0


def test_withdrawing_consent_takes_the_person_out_of_the_next_release(app):
    with app.app_context():
        people = add_people(20, area="QT6")
        check_ins(people, 4)
        first = releases.publish()
        leaver = db.session.get(User, people[0])
        accounts.update_profile(leaver, {"research_consent": False})
        releases.publish()
        cells = latest()
        # Every cell below the total they were in is withheld: showing it again would still
        # count them, and a fresh 19 next to the old 20 would single them out. The national
        # total holds its last value (shown before, it says nothing new), never going blank.
        for key in [("area", "QT6"), ("region", SW_REGION)]:
            assert cells[key].status == "suppressed", key
        total = cells[("all", "")]
        assert (total.status, total.exact, total.computed_in) == ("published", 20, first.id)
        check_ins(add_people(10, area="QT6"), 4)
        releases.publish()
        assert shown(("area", "QT6")).status == "suppressed"  # 29: only 9 from 20
        check_ins(add_people(1, area="QT6"), 4)
        releases.publish()
        cell = shown(("area", "QT6"))
        assert (cell.status, cell.exact) == ("published", 30)  # 19 + 11, not the leaver


def test_erasing_the_account_takes_the_person_out_of_the_next_release(app, make_user):
    with app.app_context():
        person = make_user(area="QT6")
        check_in(person.id, 4)
        check_ins(add_people(19, area="QT6"), 4)
        releases.publish()
        assert shown(("area", "QT6")).exact == 20
        accounts.erase(db.session.get(User, person.id), PASSWORD)
        releases.publish()
        assert shown(("area", "QT6")).status == "suppressed"
        check_ins(add_people(11, area="QT6"), 4)
        releases.publish()
        assert (shown(("area", "QT6")).status, shown(("area", "QT6")).exact) == ("published", 30)


def test_a_release_is_never_changed_afterwards(app):
    with app.app_context():
        check_ins(add_people(20, area="QT6"), 4)
        first = releases.publish()
        snapshot = {k: (c.status, c.exact, c.mood) for k, c in cells_of(first.id).items()}
        check_ins(add_people(10, area="QT6"), 1)
        releases.publish()
        again = {k: (c.status, c.exact, c.mood) for k, c in cells_of(first.id).items()}
        assert again == snapshot


def test_a_release_covers_the_open_weeks_only(app):
    with app.app_context():
        people = add_people(12, area="QT6")
        check_ins(people, 4, when=now_minus(weeks=4))
        check_ins(people, 2, when=now_minus(weeks=1))
        release = releases.publish()
        this = contributions.current_week()
        assert release.weeks == [w.isoformat() for w in contributions.open_weeks()]
        assert this.isoformat() in release.weeks
        weeks = set(db.session.scalars(sa.select(ReleaseCell.week).distinct()))
        assert weeks == set(contributions.open_weeks())


def test_nothing_new_publishes_nothing(app):
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 4)
        assert releases.publish() is not None
        assert releases.publish() is None
        assert db.session.scalar(sa.select(sa.func.count(Release.id))) == 1


def test_saying_yes_later_counts_the_open_weeks_from_the_next_release(app):
    with app.app_context():
        check_ins(add_people(10, area="QT6"), 4)
        later = add_people(10, area="QT6", consent=False)
        check_ins(later, 1)
        releases.publish()
        assert (shown(("area", "QT6")).exact, shown(("area", "QT6")).mood) == (10, 4.0)
        for person in later:
            accounts.update_profile(db.session.get(User, person), {"research_consent": True})
        releases.publish()
        assert (shown(("area", "QT6")).exact, shown(("area", "QT6")).mood) == (20, 2.5)


def test_a_change_committed_while_a_release_folds_the_queue_is_not_lost(app):
    """PostgreSQL: a check-in's queued change that commits during a publication, after a
    later one (with a higher id) committed, is folded; it is never deleted unseen."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("on SQLite the publication holds the one write lock throughout")
        week = contributions.current_week()
        row = {"week": week, "sign": 1, "departs": False, "area": "QT6", "mood": 3.0}
        with db.engine.connect() as other:
            pending = other.begin()
            other.execute(sa.insert(ContributionChange), row)  # a check-in not yet committed
            db.session.execute(sa.insert(ContributionChange), row)
            db.session.commit()
            once = threading.Lock()

            def commit_pending(*_args):
                if once.acquire(blocking=False):
                    pending.commit()

            # The pending change commits just before the queue is deleted, or, when the
            # publication waits for it (as it must), after half a second.
            def before_delete(_conn, _cursor, statement, *_args):
                if statement.startswith("DELETE FROM contribution_changes"):
                    commit_pending()

            sa.event.listen(db.engine, "before_cursor_execute", before_delete)
            timer = threading.Timer(0.5, commit_pending)
            timer.start()
            try:
                releases.publish()
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", before_delete)
                timer.join()
        releases.publish()
        assert tallies.load([week])[(week, "all", "")].contributors == 2
