"""The evaluation report's champion-network section: published figures, frozen with the period."""

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from backend.services import champions, evaluation, releases
from backend.services.evaluation import champions as report
from backend.services.evaluation.period import period_for
from backend.services.evaluation.report import COMPLEMENTARY, SMALL
from backend.services.evaluation.shown import Noisy
from backend.services.releases import dp
from tests.champion_helpers import join_people, make_champion
from tests.hub_requests import send_request


@pytest.fixture
def app_config(app_config):
    # Exact figures, to check the rules on them; the noise has a test of its own below.
    return {**app_config, "CHAMPION_EPSILON": 0, "DP_ENABLED": False}


def network_at_the_periods_end(app, make_user):
    """A champion with 12 colleagues joined through their code and 12 others; the 6-month
    period's last week closes with the network as it is now. Returns the period."""
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    with app.app_context():
        period = period_for(6, releases.today())
        closed = datetime.combine(period.last_week + timedelta(days=7), time(12), tzinfo=UTC)
        champions.freeze_closed(closed)
    return period


def test_the_section_shows_the_network_and_requests_under_the_rules(app, make_user, monkeypatch):
    period = network_at_the_periods_end(app, make_user)
    with app.app_context():
        counts = dict(zip(period.months, [12, 3, 0, 0, 20, 15], strict=True))
        monkeypatch.setattr(report, "requests_per_month", lambda first, last: counts)
        section = evaluation.evaluation(6)["champions"]
        assert (section["champions"], section["services"], section["people"]) == (
            SMALL, SMALL, 10)  # fmt: skip
        # 3 is too few; then 0s stay 0 to subtract, so the smallest shown month goes with it.
        assert section["requests"] == [COMPLEMENTARY, SMALL, SMALL, SMALL, 20, 15]
        assert section["requests_total"] == 50
        monkeypatch.setattr(report, "requests_per_month", lambda first, last: {})
        again = evaluation.evaluation(6)
        assert again["champions"] == section  # frozen with the period
        assert "The champion network" in evaluation.render(again)


def test_with_noise_the_requests_carry_it_and_the_rules_read_the_exact_counts(app, monkeypatch):
    app.config["DP_ENABLED"] = True  # the default
    with app.app_context():
        period = period_for(6, releases.today())
        counts = dict(zip(period.months, [12, 3, 0, 0, 20, 15], strict=True))
        monkeypatch.setattr(report, "requests_per_month", lambda first, last: counts)
        section = evaluation.evaluation(6)["champions"]
        # Hidden where the exact count says so, whatever the noise drew.
        assert section["requests"][:4] == [COMPLEMENTARY, SMALL, SMALL, SMALL]
        shown = [section["requests"][4], section["requests"][5], section["requests_total"]]
        assert all(isinstance(figure, Noisy) for figure in shown), shown
        margin = section["requests"][4].margin
        # One person moves a month by one: the margin is the 90% of Laplace noise at
        # DP_FIGURE_EPSILON with sensitivity 1, plus rounding to 5.
        assert margin == round(dp.count_margin(1, dp.settings(app.config)["epsilon"]) + 2.5)
        assert section["requests_total"].margin == round(margin * 2.449489742783178)  # root 6
        assert all(figure.value % 5 == 0 and figure.value > 0 for figure in shown)
        html = evaluation.render(evaluation.evaluation(6))
        assert f"give or take {margin}" in html and "each person once a month" in html
        # Drawn once: the same figures at every later reading.
        assert evaluation.evaluation(6)["champions"] == section


def test_with_noise_the_networks_figures_keep_their_give_or_take(app, make_user):
    app.config.update(CHAMPION_EPSILON=0.5, DP_ENABLED=True)
    network_at_the_periods_end(app, make_user)
    with app.app_context():
        section = evaluation.evaluation(6)["champions"]
        html = evaluation.render(evaluation.evaluation(6))
    people = section["people"]
    assert isinstance(people, Noisy) and people.margin == round(dp.count_margin(13, 0.5) + 2.5)
    assert f"give or take {people.margin}" in html


def test_until_the_hub_part_is_merged_there_are_no_requests(app):
    with app.app_context():
        section = evaluation.evaluation(12)["champions"]
    assert section["requests"] == [SMALL] * 12
    assert section["requests_total"] == SMALL


def test_the_requests_per_month_are_the_hubs_own_tally(signed_in):
    """The section's hub take-up reads the requests' monthly tally (counts only): people
    who asked, each once a month."""
    client, user = signed_in()
    for _ in range(3):
        _, answer = send_request(client, uuid.uuid4())
        assert answer.status_code == 201
    other, _ = signed_in()
    assert send_request(other, uuid.uuid4())[1].status_code == 201
    with client.application.app_context():
        this_month = releases.today().replace(day=1)
        assert report.requests_per_month(this_month, this_month) == {this_month: 2}
