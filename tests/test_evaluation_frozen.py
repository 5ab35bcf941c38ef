"""The evaluation report publishes each figure once: later downloads show it again unchanged.

Tried as an attacker would: make the report, let one person change something (withdraw
consent, erase their account, delete a check-in in a closed month, backdate one into it,
answer the onboarding questions again), make it again, and compare. Each test also shows
that working the figures out afresh would have moved them, so the attack would have worked
on a report recomputed from live data.
"""

import json
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Entry, User
from backend.models.evaluation import EvaluationFigures
from backend.models.wellbeing import OnboardingAnswer
from backend.services import accounts, entries, evaluation
from backend.services.evaluation import SMALL
from backend.services.evaluation_period import period_for
from backend.services.passwords import hash_password
from tests.conftest import PASSWORD, put_entry
from tests.evaluation_population import TODAY, D, build_population, check_in


def person_named(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def figures_afresh(months: int, today) -> dict:
    """What the report would show if nothing had been published before (the live rule's
    absence): the stored figures are dropped and everything is worked out now."""
    db.session.execute(sa.delete(EvaluationFigures))
    db.session.commit()
    return evaluation.evaluation(months, today)


def published(figures: dict) -> dict:
    """The figures a researcher can compare between two downloads."""
    keys = ("activity", "retention", "take_up", "awareness", "ons4")
    return {key: figures[key] for key in keys}


def withdraw(user: User) -> None:
    accounts.update_profile(user, {"research_consent": False})


def erase(user: User) -> None:
    user.password_hash = hash_password(PASSWORD)
    db.session.commit()
    accounts.erase(user, PASSWORD)


def delete_a_tough_day(user: User) -> None:
    entry = db.session.scalar(
        sa.select(Entry).where(Entry.user_id == user.id, Entry.mood == 2).order_by(Entry.id)
    )
    entries.delete_entry(user, entry.id)


def backdate_a_check_in(user: User) -> None:
    check_in(user.id, D(2026, 3, 20), 1, ["money_advice"])
    db.session.commit()


def answer_again(user: User) -> None:
    # A second latest answer inside the period: knows of no support at all any more.
    db.session.add(
        OnboardingAnswer(user_id=user.id, answered_on=D(2026, 6, 20), knows_how_to_reach=[])
    )
    db.session.commit()


CHANGES = {
    "withdraws consent": ("diarist-a1-00", withdraw),
    "erases the account": ("diarist-a1-00", erase),
    "deletes a check-in in a closed month": ("diarist-a1-00", delete_a_tough_day),
    "backdates a check-in into a closed month": ("diarist-c-00", backdate_a_check_in),
    "answers the onboarding questions again": ("diarist-b-00", answer_again),
}


@pytest.mark.parametrize("change", CHANGES)
def test_one_person_changing_something_moves_no_published_figure(app, change):
    username, act = CHANGES[change]
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
        first_page = evaluation.render(first)
        act(person_named(username))
        again = evaluation.evaluation(6, TODAY)
        # Later in the next month, with a 12-month report made in between.
        evaluation.evaluation(12, TODAY)
        later = evaluation.evaluation(6, TODAY + timedelta(days=18))
        assert again == first
        assert evaluation.render(again) == first_page
        assert published(later) == published(first)
        afresh = figures_afresh(6, TODAY)
    assert published(afresh) != published(first)


def test_the_first_computation_is_the_hand_built_one_and_is_kept(app):
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
        withdraw(person_named("diarist-a1-00"))
        again = evaluation.evaluation(6, TODAY)
    # The figures of test_evaluation_report.py, worked out by hand from the population.
    moods = [row["mood"] for row in again["activity"]["months"]]
    assert moods == [row["mood"] for row in first["activity"]["months"]]
    assert moods == [2.82, 3.47, 3.63, 3.6, 3.5, SMALL]
    assert again["ons4"]["items"][0]["mean"] == 6.8
    assert again["awareness"]["people"] == 20


def test_a_new_months_report_reuses_the_months_already_published(app):
    build_population(app)
    with app.app_context():
        june = evaluation.evaluation(6, TODAY)
        for username in ("diarist-a1-00", "diarist-a2-00", "diarist-b-00"):
            withdraw(person_named(username))
        july = evaluation.evaluation(6, D(2026, 8, 10))
        year = evaluation.evaluation(12, D(2026, 7, 31))
        stored = db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationFigures))
    assert july["period"].months[0] == D(2026, 2, 1)
    assert july["activity"]["months"][:5] == june["activity"]["months"][1:]
    assert july["activity"]["months"][5]["people"] == SMALL  # July: E's four
    assert year["activity"]["months"][6:] == june["activity"]["months"]
    # Twelve months from July 2025 to July 2026, and three periods.
    assert stored == 13 + 3


def test_a_higher_k_later_hides_more_and_shows_nothing_new(app, make_app):
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
    stricter = make_app(PRIVACY_K=30)
    with stricter.app_context():
        withdraw(person_named("diarist-a1-00"))
        later = evaluation.evaluation(6, TODAY)
    assert [row["people"] for row in later["activity"]["months"]] == [35, 30] + [SMALL] * 4
    assert later["activity"]["months"][:2] == first["activity"]["months"][:2]
    assert later["ons4"]["items"][0]["mean"] == SMALL


def test_the_stored_figures_carry_no_user_id_username_or_note(app, signed_in):
    build_population(app)
    client, _ = signed_in()
    note = "A secret about the night shift"
    day = datetime.combine(D(2026, 3, 18), time(12), UTC).isoformat()
    assert put_entry(client, occurred_at=day, note=note)[1].status_code == 201
    with app.app_context():
        evaluation.evaluation(6, TODAY)
        rows = db.session.scalars(sa.select(EvaluationFigures)).all()
        usernames = list(db.session.scalars(sa.select(User.username)))
        columns = set(EvaluationFigures.__table__.c.keys())
        holding_people = accounts.tables_holding_people()
    assert len(rows) == 7  # six months and one period
    assert columns == {"id", "kind", "months", "first_month", "last_month", "figures", "created_at"}
    assert EvaluationFigures.__table__ not in holding_people
    text = json.dumps([row.figures for row in rows])
    assert note not in text and "night shift" not in text
    assert not [name for name in usernames if name in text]
    assert "user" not in text and "note" not in text


def test_the_downloads_a_researcher_makes_stay_the_same(app, signed_in):
    """Through the API, on whatever day the test runs: last month's check-ins."""
    with app.app_context():
        month = period_for(6, evaluation.today_in_london()).months[-1]
    day = datetime.combine(month + timedelta(days=13), time(12), UTC).isoformat()
    staff = [signed_in() for _ in range(14)]
    for n, (client, _) in enumerate(staff):
        assert put_entry(client, occurred_at=day, mood=1 + n % 5)[1].status_code == 201
    researcher, _ = signed_in(role="researcher")
    first = researcher.get("/api/v1/insights/evaluation?months=6").get_data(as_text=True)
    assert '<td class="n">15</td>' in first  # 14 people, rounded

    leaver, erased = staff[4][0], staff[9]
    assert leaver.patch("/api/v1/me", json={"research_consent": False}).status_code == 200
    gone = erased[0].delete("/api/v1/me", json={"password": erased[1].password})
    assert gone.status_code == 204
    again = researcher.get("/api/v1/insights/evaluation?months=6").get_data(as_text=True)
    assert again == first
    with app.app_context():
        afresh = evaluation.render(figures_afresh(6, None))
    assert afresh != first


def test_a_months_figures_wait_for_its_last_week():
    # April 2026 ends on a Thursday: its last week runs to Sunday 3 May.
    assert period_for(6, D(2026, 5, 3)).months[-1] == D(2026, 3, 1)
    assert period_for(6, D(2026, 5, 4)).months[-1] == D(2026, 4, 1)
    assert period_for(6, D(2026, 5, 4)).last_week == D(2026, 4, 27)


def test_a_report_as_of_a_day_to_come_is_refused(app):
    with app.app_context():
        tomorrow = evaluation.today_in_london() + timedelta(days=1)
        with pytest.raises(ValueError, match="today or a day before"):
            evaluation.evaluation(6, tomorrow)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationFigures)) == 0
