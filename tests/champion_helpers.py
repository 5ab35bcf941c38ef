"""Helpers for the champion tests: a champion with a code, colleagues who join with it."""

from datetime import timedelta

import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.champions import ChampionMark
from backend.services import champions, join_codes, releases
from tests.conftest import login


def make_champion(app, make_user, area="QT6", setting="home_care", display_name="Sam"):
    """(signed-in client, person, their join code) for a new champion of a service."""
    person = make_user(area=area, setting=setting)
    with app.app_context():
        champions.name(person.username, area, setting, display_name, "Ask for me on the ward")
    client = app.test_client()
    login(client, person)
    response = client.post("/api/v1/me/champion/code")
    assert response.status_code == 201, response.get_json()
    return client, person, response.get_json()["join_code"]


def join_people(app, make_user, code, count, area="QT6", **profile):
    """`count` counted colleagues who joined with `code` (a hub's code if code is None)."""
    people = []
    for _ in range(count):
        person = make_user(area=area, vouched=False, **profile)
        with app.app_context():
            user = db.session.get(User, person.id)
            join_codes.use(user, code or join_codes.issue(area)[0])
            db.session.commit()
        people.append(person)
    return people


def last_week_marks(app) -> None:
    """This week's support marks become last week's, as if the week had closed."""
    last = releases.current_week() - timedelta(weeks=1)
    with app.app_context():
        db.session.execute(sa.update(ChampionMark).values(week=last))
        db.session.commit()


def network(client, weeks=1) -> dict:
    response = client.get(f"/api/v1/insights/champions?weeks={weeks}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def area_of(data: dict, measure: str, area="QT6", week=-1) -> tuple:
    figure = data["weeks"][week]["measures"][measure]["areas"][area]
    return figure["status"], figure["people"]
