"""Take-up counts people, not opens, and forgets who opened what once the week is counted.

The attack: one person opens a resource; the attacker adds opens of their own (nine from
accounts made for it, or nine from one account) so that the cell reaches k and publishes.
With opens counted, 9 + 1 opens published a cell of 10; with people, it stays hidden.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.signposting import TakeUpCell, TakeUpMark
from backend.services import accounts
from backend.services.releases import contributions, dp, take_up_marks
from tests.conftest import PASSWORD, login, settle
from tests.test_releases_support import SW_REGION
from tests.test_take_up import cells_of, take_up


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TAKE_UP_EPSILON": 0}  # exact counts, so the tests can read them


@pytest.fixture
def researcher(signed_in):
    client, _ = signed_in(role="researcher")
    return client


def opener(app, person):
    client = app.test_client()
    login(client, person)
    return client


def open_it(client, times=1, resource="samaritans"):
    for _ in range(times):
        assert client.post(f"/api/v1/resources/{resource}/open").status_code == 204


def a_week_passes(app) -> None:
    """The marks of this week become last week's, as if the week had closed."""
    last = contributions.current_week() - timedelta(weeks=1)
    with app.app_context():
        db.session.execute(sa.update(TakeUpMark).values(week=last))
        db.session.commit()


def marks(app) -> list:
    with app.app_context():
        return db.session.execute(sa.select(TakeUpMark.__table__)).all()


def test_nine_fresh_accounts_and_one_person_publish_nothing(app, make_user, researcher):
    open_it(opener(app, make_user()))
    for n in range(9):
        client = app.test_client()
        body = {"username": f"helper{n}", "password": PASSWORD, "research_consent": True,
                "area": "QT6"}  # fmt: skip
        assert client.post("/api/v1/auth/register", json=body).status_code == 201
        open_it(client)
    a_week_passes(app)
    cells = cells_of(take_up(researcher))
    assert cells[("area", "QT6")] == ("suppressed", None)
    assert cells[("all", "")] == ("suppressed", None)


def test_one_account_opening_nine_times_counts_once(app, make_user, researcher):
    open_it(opener(app, make_user()))
    open_it(opener(app, make_user()), times=9)
    a_week_passes(app)
    cells = cells_of(take_up(researcher))
    # Today's code counted 10 opens and published the area; these are 2 people.
    assert cells[("area", "QT6")] == ("suppressed", None)
    assert cells[("all", "")] == ("suppressed", None)
    with app.app_context():
        exact = db.session.scalar(sa.select(TakeUpCell.people).where(TakeUpCell.level == "all"))
    assert exact == 2


def test_ten_people_publish_and_the_marks_are_gone_once_counted(app, make_user, researcher):
    for _ in range(10):
        open_it(opener(app, make_user()), times=2)
    assert len(marks(app)) == 10
    take_up(researcher)
    assert len(marks(app)) == 10  # this week is still open: nothing counted, nothing shown
    a_week_passes(app)
    first = take_up(researcher)
    cells = cells_of(first)
    assert cells[("area", "QT6")] == ("published", 10)
    assert cells[("region", SW_REGION)] == ("published", 10)
    assert marks(app) == []  # who opened what is not kept after the week closes
    with app.app_context():
        columns = {c.name for c in TakeUpCell.__table__.columns}
    assert "person" not in columns
    assert take_up(researcher) == first


def test_a_self_declared_area_counts_from_region_level_up(app, make_user, researcher):
    for _ in range(10):
        open_it(opener(app, make_user(area="QT6", vouched=False)))
    a_week_passes(app)
    cells = cells_of(take_up(researcher))
    assert cells[("area", "QT6")] == ("suppressed", None)
    assert cells[("region", SW_REGION)] == ("published", 10)


def test_erasure_and_saying_no_take_the_persons_marks_away(app, make_user):
    erased, withdrew, stays = make_user(), make_user(), make_user()
    for person in (erased, withdrew, stays):
        open_it(opener(app, person))
    client = opener(app, erased)
    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    client = opener(app, withdrew)
    assert client.patch("/api/v1/me", json={"research_consent": False}).status_code == 200
    with app.app_context():
        week = contributions.current_week()
        assert [m.person for m in marks(app)] == [take_up_marks.person_of(stays.id, week)]


def test_noise_is_drawn_once_when_the_week_is_counted(app_config, make_app, make_user):
    app = make_app(TAKE_UP_EPSILON=1.0)
    with app.app_context():
        for n in range(30):
            user = accounts.register(f"noisy{n}", PASSWORD, True, area="QT6")
            settle(user)
            db.session.commit()
            take_up_marks.count_open(user, "samaritans")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 30
    a_week_passes(app)
    with app.app_context():
        assert take_up_marks.freeze_closed() == 1
        rows = db.session.execute(
            sa.select(TakeUpCell.level, TakeUpCell.people, TakeUpCell.noisy)
        ).all()
        assert take_up_marks.freeze_closed() == 0
        again = db.session.execute(
            sa.select(TakeUpCell.level, TakeUpCell.people, TakeUpCell.noisy)
        ).all()
    assert rows == again
    assert all(people == 30 and noisy is not None and noisy != 30 for _l, people, noisy in rows)
    # Its margin is kept beside it and shown: Laplace's 90% at sensitivity 3 levels x 3
    # resources a week over TAKE_UP_EPSILON, plus rounding to 5.
    expected = round(dp.count_margin(9, 1.0) + 2.5)
    with app.app_context():
        assert set(db.session.scalars(sa.select(TakeUpCell.margin))) == {expected}
        researcher = make_user(role="researcher")
    client = app.test_client()
    login(client, researcher)
    body = take_up(client)
    week = (contributions.current_week() - timedelta(weeks=1)).isoformat()
    [item] = [r for w in body["weeks"] if w["week"] == week for r in w["resources"]
              if r["resource"] == "samaritans"]  # fmt: skip
    assert item["all"]["status"] == "published" and item["all"]["margin"] == expected
    csv = client.get("/api/v1/insights/take-up?format=csv").get_data(as_text=True)
    assert csv.splitlines()[0].endswith(",people,give_or_take")
    assert f",published,{item['all']['people']},{expected}" in csv


def test_a_person_counts_in_at_most_three_resources_a_week(app, make_user, researcher):
    """One person moves take-up by at most 3 resources x 3 levels a week (the noise's
    sensitivity): the first three they open count, the rest are opened and not counted."""
    client = opener(app, make_user())
    chosen = ["team-time", "samaritans", "shout", "nhs-111-mental-health", "emergency-999"]
    for resource in chosen:
        open_it(client, resource=resource)  # each opens as always
    open_it(client, resource="samaritans")  # one already counted: still one mark
    assert sorted(m.resource for m in marks(app)) == sorted(chosen[:3])
    assert take_up(researcher)["resources_per_week"] == 3  # the hub's words say how many


def test_the_weeks_count_keeps_to_the_cap_whatever_the_marks_say(app, make_user, researcher):
    """Two opens at the same moment could each pass count_open's check; the week's count
    still counts a person in at most three resources (the first by id)."""
    people = [make_user() for _ in range(10)]
    week = contributions.current_week() - timedelta(weeks=1)
    with app.app_context():
        for person in people:
            for resource in ("a-first", "b-second", "c-third", "samaritans"):
                db.session.add(TakeUpMark(
                    week=week, resource=resource, person=take_up_marks.person_of(person.id, week),
                    area="QT6", region=SW_REGION,
                ))  # fmt: skip
        db.session.commit()
        assert take_up_marks.freeze_closed() == 1
        counted = dict(
            db.session.execute(
                sa.select(TakeUpCell.resource, TakeUpCell.people).where(TakeUpCell.level == "all")
            ).all()
        )
    assert counted == {"a-first": 10, "b-second": 10, "c-third": 10}
