"""Who counts: established accounts and areas a hub vouched for, tried as an attacker would.

The attack of issue 16: one person is the only real member of an area; the attacker signs
up 9 accounts of their own there (sign-up is open, the area is self-declared), gives them
known check-ins and waits for a release, hoping to subtract their 9 from a cell of 10.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Entry, User
from backend.models.insights import CellTally
from backend.services import releases
from backend.services.releases import membership_daily
from tests.conftest import PASSWORD, put_entry
from tests.test_releases_support import SW_REGION, add_people, check_in, check_ins, latest

ATTACKER_MOOD, PERSON_MOOD = 5, 1


@pytest.fixture
def app_config(app_config):
    """Exact counts: these tests check who counts (waiting period, vouching), not the noise
    on top (tests/test_dp_*.py), so differential privacy is off."""
    return {**app_config, "DP_ENABLED": False}


def publish(app) -> None:
    with app.app_context():
        releases.publish()
        db.session.remove()


def cells(app) -> dict:
    with app.app_context():
        return {key: (cell.status, cell.contributors) for key, cell in latest().items()}


def sign_up(app, n: int, **profile):
    """One of the attacker's accounts, made through the open sign-up: a signed-in client."""
    client = app.test_client()
    body = {"username": f"helper{n}", "password": PASSWORD, "research_consent": True, **profile}
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.get_json()
    return client


def arrived_on(app, user_id: int, days_ago: list[int]) -> None:
    """Move the days the person's check-ins reached the server (the tests cannot wait)."""
    with app.app_context():
        ids = db.session.scalars(
            sa.select(Entry.id).where(Entry.user_id == user_id).order_by(Entry.occurred_at)
        ).all()
        for entry_id, back in zip(ids, days_ago, strict=True):
            db.session.execute(
                sa.update(Entry)
                .where(Entry.id == entry_id)
                .values(created_at=datetime.now(UTC) - timedelta(days=back))
            )
        db.session.commit()


def user(app, user_id: int) -> User:
    with app.app_context():
        found = db.session.get(User, user_id)
        db.session.expunge(found)
        return found


def test_nine_fresh_accounts_never_complete_a_cell_with_one_person(app):
    with app.app_context():
        [person] = add_people(1, area="QT6")
        check_in(person, PERSON_MOOD)
    for n in range(9):
        _id, response = put_entry(sign_up(app, n, area="QT6"), mood=ATTACKER_MOOD)
        assert response.status_code == 201
    publish(app)
    seen = cells(app)
    # Today's code published the area as 10 people; 10 minus the attacker's 9 was the person.
    assert seen[("area", "QT6")] == ("suppressed", None)
    assert seen[("region", SW_REGION)] == ("suppressed", None)
    assert seen[("all", "")] == ("suppressed", None)


def test_an_account_waits_14_days_and_3_days_of_check_ins(app):
    with app.app_context():
        [fresh] = add_people(1, established=False)
        db.session.get(User, fresh).created_at = datetime.now(UTC) - timedelta(days=13)
        db.session.commit()
        for hours in (1, 2, 3):
            check_in(fresh, 3, when=datetime.now(UTC) - timedelta(hours=hours))
    arrived_on(app, fresh, [5, 3, 1])
    with app.app_context():
        check_in(fresh, 3)  # three days of check-ins, but the account is 13 days old
        assert db.session.get(User, fresh).established_at is None
        db.session.get(User, fresh).created_at = datetime.now(UTC) - timedelta(days=15)
        db.session.commit()
        check_in(fresh, 3)
        assert db.session.get(User, fresh).established_at is not None


def test_check_ins_backdated_in_one_sitting_are_one_day(app):
    with app.app_context():
        [fresh] = add_people(1, established=False)
        db.session.get(User, fresh).created_at = datetime.now(UTC) - timedelta(days=30)
        db.session.commit()
        for days in (1, 3, 5):  # backdated to three days, all sent today
            check_in(fresh, 3, when=datetime.now(UTC) - timedelta(days=days))
        assert db.session.get(User, fresh).established_at is None


def test_the_waiting_period_is_configurable(app):
    app.config.update(ESTABLISHED_DAYS=0, ESTABLISHED_CHECKIN_DAYS=1)
    with app.app_context():
        [fresh] = add_people(1, established=False)
        check_in(fresh, 3)
        assert db.session.get(User, fresh).established_at is not None


def test_becoming_established_counts_the_open_weeks_from_the_next_release(app):
    with app.app_context():
        people = add_people(10, established=False)
        for person in people:
            db.session.get(User, person).created_at = datetime.now(UTC) - timedelta(days=20)
        db.session.commit()
        check_ins(people, 2)
    publish(app)
    assert cells(app)[("area", "QT6")] == ("suppressed", None)
    for person in people:
        arrived_on(app, person, [4])
    with app.app_context():
        # Two earlier days of check-ins each, then the daily job notices them (no new check-in).
        for person in people:
            for days in (2, 3):
                db.session.add(
                    Entry(id=uuid.uuid4(), user_id=person, mood=3,
                          occurred_at=datetime.now(UTC) - timedelta(days=40),
                          created_at=datetime.now(UTC) - timedelta(days=days))
                )  # fmt: skip
        db.session.commit()
        assert membership_daily.run()["established"] == 10
    publish(app)
    assert cells(app)[("area", "QT6")] == ("published", 10)


def test_the_check_in_that_establishes_an_account_counts_its_week(app):
    with app.app_context():
        people = add_people(10, established=False)
        for person in people:
            db.session.get(User, person).created_at = datetime.now(UTC) - timedelta(days=20)
        db.session.commit()
        check_ins(people, 2)  # this week's person-weeks, kept but not counted
    publish(app)
    assert cells(app)[("area", "QT6")] == ("suppressed", None)
    with app.app_context():
        for person in people:
            old = Entry(id=uuid.uuid4(), user_id=person, mood=3,
                        occurred_at=datetime.now(UTC) - timedelta(days=40))  # fmt: skip
            db.session.add(old)
        db.session.commit()
    for person in people:
        arrived_on(app, person, [40, 4])  # the old one, then this week's: two days
    with app.app_context():
        check_ins(people, 2)  # today: the third day
        assert all(db.session.get(User, p).established_at is not None for p in people)
    publish(app)
    assert cells(app)[("area", "QT6")] == ("published", 10)


def test_a_self_declared_area_counts_from_region_level_up(app):
    with app.app_context():
        check_ins(add_people(10, area="QT6"), 4)
        check_ins(add_people(10, area="QJK", vouched=False), 2)
    publish(app)
    seen = cells(app)
    assert seen[("area", "QT6")] == ("published", 10)
    assert seen[("area", "QJK")] == ("suppressed", None)
    assert seen[("region", SW_REGION)] == ("published", 20)
    assert seen[("all", "")] == ("published", 20)


def test_a_few_self_declared_people_hide_the_vouched_area_beside_them(app):
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 4)
        check_ins(add_people(3, area="QJK", vouched=False), 2)
    publish(app)
    seen = cells(app)
    # Region 15 minus Cornwall 12 would give the 3 self-declared people: Cornwall goes too.
    assert seen[("region", SW_REGION)] == ("published", 15)
    assert seen[("area", "QT6")] == ("suppressed", None)


def test_changing_area_by_hand_drops_the_vouching(app, signed_in):
    client, person = signed_in(area="QT6")
    assert client.get("/api/v1/auth/me").get_json()["area_vouched"] is True
    with app.app_context():
        check_ins(add_people(10, area="QJK"), 4)
    _id, response = put_entry(client)
    assert response.status_code == 201
    response = client.patch("/api/v1/me", json={"area": "QJK"})
    assert response.status_code == 200
    assert response.get_json()["area_vouched"] is False
    assert user(app, person.id).join_code_id is None
    _id, response = put_entry(client)  # now written in QJK, self-declared
    publish(app)
    with app.app_context():
        tallied = {
            (t.level, t.key): t.contributors
            for t in db.session.scalars(sa.select(CellTally).where(CellTally.contributors > 0))
        }
    # In the region, not in the area: so the region's one extra hides Devon too.
    assert tallied[("area", "QJK")] == 10 and ("area", "QT6") not in tallied
    assert tallied[("region", SW_REGION)] == 11
    assert cells(app)[("area", "QJK")] == ("suppressed", None)


def test_a_role_change_keeps_the_vouching(signed_in):
    client, _ = signed_in(area="QT6")
    response = client.patch("/api/v1/me", json={"role_group": "nurse", "area": "QT6"})
    assert response.get_json()["area_vouched"] is True
