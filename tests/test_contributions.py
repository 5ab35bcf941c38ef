"""The person-week rollup: one row per person per week, kept right by every check-in change."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.extensions import db
from backend.models import User
from backend.models.insights import ContributionChange, PersonWeek
from backend.services import accounts, entries
from backend.services.releases import contributions, tallies
from backend.services.releases import publishing as releases
from tests.test_releases_support import add_people, check_in, now_minus, this_week_moment


def rows(user_id):
    query = sa.select(PersonWeek).where(PersonWeek.user_id == user_id).order_by(PersonWeek.week)
    return list(db.session.scalars(query))


def test_a_week_is_monday_to_sunday_in_london():
    # 23:30 on Sunday 29 March 2026 in London (BST) is still the week of Monday 23 March.
    assert contributions.week_of(datetime(2026, 3, 29, 22, 30, tzinfo=UTC)) == date(2026, 3, 23)
    # 00:30 on Monday 26 October 2026 in London (BST ended the day before) is a new week,
    # though in UTC it is still Sunday.
    assert contributions.week_of(datetime(2026, 10, 26, 0, 30, tzinfo=UTC)) == date(2026, 10, 26)
    assert contributions.week_of(datetime(2026, 7, 5, 23, 30, tzinfo=UTC)) == date(2026, 7, 6)


def test_one_row_per_person_week_with_means_and_choices(app):
    with app.app_context():
        [person] = add_people(1)
        check_in(person, 2, needs=["sleep_help"], factors=["workload"], energy=2)
        check_in(person, 4, needs=["someone_to_talk_to"], energy=None, stress=5)
        [row] = rows(person)
        assert row.check_ins == 2
        assert row.mood == 3.0
        assert row.energy == 2.0 and row.stress == 5.0 and row.sleep is None
        assert row.needs == ["sleep_help", "someone_to_talk_to"]
        assert row.factors == ["workload"]
        assert (row.area, row.region, row.role_group) == ("QT6", "E40000006", "care_worker")


def test_replace_backdate_and_delete_follow_the_check_ins(app):
    with app.app_context():
        [person] = add_people(1)
        user = db.session.get(User, person)
        entry_id = check_in(person, 5)
        # Moving the check-in three weeks back moves its contribution with it.
        earlier = now_minus(weeks=3)
        check_in(person, 1, when=earlier, entry_id=entry_id)
        [row] = rows(person)
        assert row.week == contributions.week_of(earlier) and row.mood == 1.0
        entries.delete_entry(user, entry_id)
        assert rows(person) == []


def test_only_consenting_people_are_queued(app):
    with app.app_context():
        [yes] = add_people(1, consent=True)
        [no] = add_people(1, consent=False)
        check_in(yes, 3)
        check_in(no, 3)
        signs = list(db.session.scalars(sa.select(ContributionChange.sign)))
        assert signs == [1]
        assert len(rows(no)) == 1  # their own rollup exists, but nothing reaches a release


def test_closed_weeks_are_not_queued(app):
    with app.app_context():
        [person] = add_people(1)
        check_in(person, 3, when=now_minus(weeks=5))
        assert db.session.scalar(sa.select(sa.func.count(ContributionChange.id))) == 0
        assert len(rows(person)) == 1


def test_a_replace_that_changes_nothing_queues_nothing(app):
    with app.app_context():
        [person] = add_people(1)
        when = now_minus(minutes=30)
        entry_id = check_in(person, 3, when=when)
        check_in(person, 3, when=when, entry_id=entry_id)
        assert db.session.scalar(sa.select(sa.func.count(ContributionChange.id))) == 1
        check_in(person, 4, when=when, entry_id=entry_id)
        signs = list(db.session.scalars(sa.select(ContributionChange.sign)))
        assert signs == [1, -1, 1]


def folded_choices() -> dict:
    """Contributors, needs and factors of each tally of this week, after a publication."""
    releases.publish()
    week = contributions.current_week()
    found = tallies.load([week])
    assert {key[1:]: t.contributors for key, t in found.items() if t.contributors} == {
        key: n for key, (n, _totals) in releases.tallies_from_scratch(week).items()
    }
    return {key[1:]: (t.totals["needs"], t.totals["factors"]) for key, t in found.items()}


def test_needs_and_factors_fold_alike_from_masks_and_from_json(app, monkeypatch):
    """The queue carries the choices as bit masks too; a queue written under other code lists
    (a hub changed its taxonomy before the next publication) is folded from the JSON."""
    with app.app_context():
        people = add_people(12)
        for n, person in enumerate(people):
            needs = ["sleep_help", "someone_to_talk_to"][: 1 + n % 2]
            check_in(person, 2 + n % 3, needs=needs, factors=["workload"])
        change = db.session.scalars(sa.select(ContributionChange)).first()
        assert change.needs_mask and change.factors_mask and change.choice_map is not None
        assert folded_choices()[("all", "")] == (
            {"sleep_help": 12, "someone_to_talk_to": 6},
            {"workload": 12},
        )
        # Some drop a need and take up a factor, queued under lists the fold no longer uses.
        for person in people[:4]:
            check_in(person, 3, factors=["staffing"])
        # Reordered lists: reading the old masks with them would count the wrong codes.
        fingerprint, codes, _bits = contributions.choice_codes()
        reordered = {kind: tuple(reversed(listed)) for kind, listed in codes.items()}
        monkeypatch.setattr(tallies, "choice_codes", lambda: (fingerprint ^ 1, reordered, {}))
        expected = ({"sleep_help": 12, "someone_to_talk_to": 6}, {"workload": 12, "staffing": 4})
        assert folded_choices()[("all", "")] == expected
        assert folded_choices()[("area", "QT6")] == expected  # nothing left to fold twice


def test_a_code_outside_the_lists_is_queued_without_masks(app):
    with app.app_context():
        [person] = add_people(1)
        check_in(person, 3, needs=["sleep_help"])
        row = db.session.scalar(sa.select(PersonWeek))
        contributions.queue([contributions.change(row, -1, False, row.week)])
        row.needs = ["a_need_the_hub_retired"]
        contributions.queue([contributions.change(row, +1, False, row.week)])
        masks = db.session.execute(
            sa.select(ContributionChange.needs_mask, ContributionChange.choice_map)
        ).all()
        assert [mask for mask, _map in masks[:2]] == [masks[0][0]] * 2
        assert masks[2] == (None, None)
        db.session.rollback()


SUMMED_COLUMNS = (*contributions.FIELDS, *contributions.SUMS, "check_ins", "latest_at")


def as_read_again(user_id, week) -> dict:
    """What the person-week would be if its check-ins were read again from scratch."""
    return contributions._contribution(db.session.get(User, user_id), week)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.one_of(st.none(), st.integers(1, 5)),
            st.lists(st.sampled_from(["sleep_help", "someone_to_talk_to", "time_with_team"])),
            st.integers(0, 6 * 24),  # hours back, within this week or the one before
            st.sampled_from(["QT6", "QE1"]),
        ),
        min_size=1,
        max_size=8,
    )
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_check_ins_added_to_the_running_sums_match_the_week_read_again(app, made):
    """The hot path adds a new check-in to its week's sums; in any order, and with profile
    moves between check-ins, the row must be what reading the week again gives."""
    with app.app_context():
        [person] = add_people(1)
        user = db.session.get(User, person)
        for mood, energy, needs, hours, area in made:
            if area != user.area:  # a move, as the person makes it (it ends the vouching)
                accounts.update_profile(user, {"area": area})
            check_in(person, mood, when=now_minus(hours=hours), needs=needs, energy=energy)
        for row in rows(person):
            expected = as_read_again(person, row.week)
            assert {c: getattr(row, c) for c in SUMMED_COLUMNS} == {
                c: expected[c] for c in SUMMED_COLUMNS
            }


def test_a_row_from_before_the_sums_were_kept_is_read_again(app):
    with app.app_context():
        [person] = add_people(1)
        check_in(person, 2, energy=1)
        db.session.execute(
            sa.update(PersonWeek).values(**dict.fromkeys(contributions.SUMS), latest_at=None)
        )
        db.session.commit()
        check_in(person, 4, energy=5)
        [row] = rows(person)
        assert (row.check_ins, row.mood, row.energy) == (2, 3.0, 3.0)
        assert (row.mood_sum, row.energy_sum, row.energy_n) == (6, 6, 2)


def test_a_new_check_in_is_added_without_reading_the_week_again(app, monkeypatch):
    reads = []
    read_week = contributions._contribution
    monkeypatch.setattr(
        contributions, "_contribution", lambda *args: reads.append(args) or read_week(*args)
    )
    with app.app_context():
        [person] = add_people(1)
        moment = this_week_moment()
        first = check_in(person, 2, when=moment)
        assert len(reads) == 1  # the week's first check-in: no row yet
        check_in(person, 4, when=moment + timedelta(seconds=1))
        check_in(person, 3, when=moment - timedelta(seconds=1))
        assert len(reads) == 1
        check_in(person, 5, entry_id=first, when=moment)  # a replacement
        assert len(reads) == 2
        [row] = rows(person)
        assert (row.check_ins, row.mood_sum) == (3, 12)


def test_a_week_that_moved_after_it_was_read_is_read_again(app, monkeypatch):
    """The sums are worked out before the write lock is taken; when another check-in of the
    same person commits in between, the row written must still hold both."""
    prepare, moment = contributions.prepare_addition, this_week_moment()
    others = []

    def prepare_while_someone_else_checks_in(user_id, entry):
        prepare(user_id, entry)
        if not others:
            others.append(user_id)
            with app.app_context():  # another request of the same person, committed meanwhile
                check_in(user_id, 5, when=moment + timedelta(seconds=2))

    with app.app_context():
        [person] = add_people(1)
        check_in(person, 2, when=moment)
        # entries calls it through the releases package's door
        monkeypatch.setattr(
            entries.releases, "prepare_addition", prepare_while_someone_else_checks_in
        )
        check_in(person, 1, when=moment + timedelta(seconds=1))
        [row] = rows(person)
        assert (row.check_ins, row.mood_sum, row.mood) == (3, 8, 8 / 3)
        assert row.latest_at == moment + timedelta(seconds=2)
