"""The champion network's figures as an attacker reads them: k, rounding, the joined/rest
pair, take-up inside a group, consecutive weeks, noise drawn once, and the champion's view.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.champions import ChampionMark
from backend.models.types import utcnow
from backend.services import champions
from backend.services.champions import network as champion_network
from backend.services.champions.network import MEASURES, freeze_closed
from backend.services.champions.published import PAIRS, week_cells
from backend.services.releases import current_week
from backend.services.releases.dp import count_margin
from backend.services.releases.privacy import residuals
from tests.champion_helpers import area_of, join_people, last_week_marks, make_champion, network
from tests.conftest import PASSWORD, login


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CHAMPION_EPSILON": 0}  # exact counts, so the tests can read them


@pytest.fixture
def researcher(signed_in):
    return signed_in(role="researcher")[0]


def assert_safe(app, k=10):
    """No shown figure leaves 1..k-1 people to subtraction; the pairs are shown together."""
    with app.app_context():
        week = current_week() - timedelta(weeks=1)
        measures = week_cells(week)
    for cells in measures.values():
        for cell, residual, cover in residuals(cells):
            assert not (0 < abs(residual) < k and cover), (cell, residual)
    for first, second in PAIRS:
        for place, cell in measures[first].items():
            assert cell.visible == measures[second][place].visible, place


def test_fresh_accounts_cannot_complete_a_champion_figure(app, make_user, researcher):
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 1)
    for n in range(9):  # an attacker's accounts: made today, so they do not count yet
        client = app.test_client()
        body = {"username": f"helper{n}", "password": PASSWORD, "research_consent": True,
                "join_code": code}  # fmt: skip
        assert client.post("/api/v1/auth/register", json=body).status_code == 201
    join_people(app, make_user, None, 12)
    data = network(researcher)
    assert area_of(data, "joined") == ("suppressed", None)


def test_joined_and_the_rest_of_an_area_are_shown_together_or_not_at_all(
    app, make_user, researcher
):
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 3)  # "the rest" of QT6: these 3 and the champion
    join_people(app, make_user, None, 12, area="QJK")
    data = network(researcher)
    # Shown, 12 joined would let anyone who knows QT6's 15 subtract the 4.
    assert area_of(data, "joined") == ("suppressed", None)
    assert area_of(data, "rest") == ("suppressed", None)
    assert_safe(app)


def test_both_are_shown_when_both_are_k_or_more(app, make_user, researcher):
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    join_people(app, make_user, None, 12, area="QJK")
    data = network(researcher)
    assert area_of(data, "joined") == ("published", 10)
    assert area_of(data, "rest") == ("published", 15)  # the 12 and the champion
    assert_safe(app)


@pytest.mark.parametrize(("opened", "shown"), [(12, ("published", 10)), (11, ("suppressed", None))])
def test_take_up_that_leaves_one_person_of_a_group_is_hidden(
    app, make_user, researcher, opened, shown
):
    champion, person, code = make_champion(app, make_user)
    joined = join_people(app, make_user, code, 12)
    rest = join_people(app, make_user, None, 12)
    client = app.test_client()
    login(client, joined[0])
    for resource in ("samaritans", "samaritans", "shout"):  # one person, one mark
        assert client.post(f"/api/v1/resources/{resource}/open").status_code == 204
    with app.app_context():
        for one in [*joined[1:opened], *rest, person]:  # the rest all took it up
            champions.count_open(db.session.get(User, one.id))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChampionMark)) == (
            opened + 13)  # fmt: skip
    last_week_marks(app)
    data = network(researcher)
    # 11 of 12 took up support: shown, it would say the twelfth did not.
    assert area_of(data, "joined_took_up") == shown
    assert_safe(app)


def test_consecutive_weeks_never_differ_by_one_person(app, make_user, researcher):
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    with app.app_context():
        freeze_closed(utcnow() - timedelta(weeks=1))  # the week before last closes now
    join_people(app, make_user, code, 1)  # 13 would round to 15
    data = network(researcher, weeks=2)
    assert area_of(data, "joined", week=0) == ("published", 10)
    assert area_of(data, "joined", week=1) == ("published", 10)  # standing: the same
    assert data["weeks"][1]["measures"]["joined"]["all"] == (
        data["weeks"][0]["measures"]["joined"]["all"])  # fmt: skip


def test_a_move_of_k_people_is_published_afresh(app, make_user, researcher):
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    with app.app_context():
        freeze_closed(utcnow() - timedelta(weeks=1))
    join_people(app, make_user, code, 10)
    data = network(researcher, weeks=2)
    assert area_of(data, "joined", week=1) == ("published", 20)


def test_the_champion_sees_their_area_exactly_as_a_researcher(app, make_user, researcher):
    champion, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    data = network(researcher)
    mine = champion.get("/api/v1/me/champion").get_json()["figures"]
    for measure in MEASURES:
        expected = data["weeks"][-1]["measures"][measure]["areas"]["QT6"]
        assert mine["measures"][measure] == expected


def test_reading_again_gives_the_same_noisy_answer(app, make_user, researcher):
    app.config["CHAMPION_EPSILON"] = 0.5
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 15)
    join_people(app, make_user, None, 15)
    first = network(researcher, weeks=3)
    assert network(researcher, weeks=3) == first
    with app.app_context():
        assert champion_network.freeze_closed() == 0  # frozen once: nothing to redo


def test_every_shown_figure_carries_its_give_or_take_and_a_standing_one_keeps_it(
    app, make_user, researcher
):
    app.config["CHAMPION_EPSILON"] = 0.5
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    with app.app_context():
        freeze_closed(utcnow() - timedelta(weeks=1))  # the week before last closes now
    join_people(app, make_user, code, 1)  # not k more: last week shows the standing figure
    data = network(researcher, weeks=2)
    # 13 cells one person can move, Laplace's 90% at CHAMPION_EPSILON, and rounding to 5.
    expected = round(count_margin(13, 0.5) + 2.5)
    earlier, later = (data["weeks"][n]["measures"]["joined"]["all"] for n in (0, 1))
    assert earlier["status"] == "published" and earlier["margin"] == expected
    assert later == earlier  # standing: the same figure, the same give or take
    suppressed = data["weeks"][1]["measures"]["champions"]["areas"]["QT6"]
    assert suppressed == {"status": "suppressed", "people": None, "margin": None}


def test_withdrawing_or_erasing_takes_the_support_mark_with_it(app, make_user):
    _, _, code = make_champion(app, make_user)
    leaver, eraser = join_people(app, make_user, code, 2)
    clients = []
    for person in (leaver, eraser):
        client = app.test_client()
        login(client, person)
        assert client.post("/api/v1/resources/samaritans/open").status_code == 204
        clients.append(client)

    def marks() -> int:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(ChampionMark))

    assert marks() == 2
    assert clients[0].patch("/api/v1/me", json={"research_consent": False}).status_code == 200
    assert marks() == 1
    assert clients[1].delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    assert marks() == 0
