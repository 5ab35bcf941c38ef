"""The evaluation report publishes each figure once: later downloads show it again unchanged.

Tried as an attacker would: make the report, let one person change something (withdraw
consent, erase their account, delete a check-in in a closed month, backdate one into it,
answer the onboarding questions again), make it again, and compare: every month's figures
are the same, or withheld (never worked out again around one person), and the period's are
the same. Each test also shows that working the figures out afresh would have moved them,
so the attack would have worked on a report recomputed from live data.
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
from backend.services.accounts.passwords import hash_password
from backend.services.evaluation.period import period_for
from backend.services.evaluation.report import SMALL, WITHHELD
from backend.services.releases import contributions
from tests.conftest import PASSWORD, put_entry
from tests.evaluation_population import TODAY, D, build_population, check_in, group
from tests.test_evaluation_report import check_page

PERIOD_FIGURES = ("retention", "take_up", "awareness", "ons4")
LEFT_CELL = '<td class="n"><span class="hidden">not shown: someone has left since</span></td>'


@pytest.fixture
def app_config(app_config):
    """Exact values: these tests check the arithmetic, so differential privacy is off
    (tests/test_evaluation_noise.py has the report as it is served, with noise)."""
    return {**app_config, "DP_ENABLED": False}


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
    keys = ("activity", *PERIOD_FIGURES)
    return {key: figures[key] for key in keys}


def withheld_months(first: dict, again: dict) -> list[int]:
    """Which months `again` withholds; every other month must show exactly what `first` did."""
    found = []
    for n, (before, after) in enumerate(
        zip(first["activity"]["months"], again["activity"]["months"], strict=True)
    ):
        if after["people"] == WITHHELD:
            assert set(after.values()) == {before["month"], WITHHELD}
            found.append(n)
        else:
            assert after == before
    return found


def newcomers(name: str, size: int, day, mood: int) -> None:
    """People who check in late (or backdate) into a month already published."""
    for uid in group(name, size):
        check_in(uid, day, mood, ["money_advice"])
    db.session.commit()


def withdraw(user: User) -> None:
    accounts.update_profile(user, {"research_consent": False})


def erase(user: User) -> None:
    user.password_hash = hash_password(PASSWORD)
    db.session.commit()
    accounts.erase(user, PASSWORD)


def delete_a_tough_day(user: User) -> None:
    # 20 May, a week of its own: the person still checked in in May, on the 13th.
    entry = db.session.scalar(
        sa.select(Entry).where(
            Entry.user_id == user.id, Entry.occurred_at >= datetime(2026, 5, 20, tzinfo=UTC)
        )
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


# Who changes what, and which months (January = 0) must then be withheld.
CHANGES = {
    "withdraws consent": ("diarist-a1-00", withdraw, [0, 1, 2, 3, 4]),
    "erases the account": ("diarist-a1-00", erase, [0, 1, 2, 3, 4]),
    "deletes a check-in in a closed month": ("diarist-a1-00", delete_a_tough_day, [4]),
    "backdates a check-in into a closed month": ("diarist-c-00", backdate_a_check_in, []),
    "answers the onboarding questions again": ("diarist-b-00", answer_again, []),
}


@pytest.mark.parametrize("change", CHANGES)
def test_one_person_changing_something_moves_no_published_figure(app, change):
    username, act, withheld = CHANGES[change]
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
        act(person_named(username))
        again = evaluation.evaluation(6, TODAY)
        # Later in the next month, with a 12-month report made in between.
        evaluation.evaluation(12, TODAY)
        later = evaluation.evaluation(6, TODAY + timedelta(days=18))
        page = evaluation.render(again)
        afresh = figures_afresh(6, TODAY)
    assert withheld_months(first, again) == withheld
    assert published(later) == published(again)
    assert {key: again[key] for key in PERIOD_FIGURES} == {
        key: first[key] for key in PERIOD_FIGURES
    }
    assert again["activity"]["people"] == first["activity"]["people"]
    assert (LEFT_CELL in page) == bool(withheld)
    assert published(afresh) != published(first)


def test_a_month_too_small_to_show_stays_small_when_someone_leaves_it(app):
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
        withdraw(person_named("diarist-c-00"))  # June: C's six, too few to show
        again = evaluation.evaluation(6, TODAY)
    assert again["activity"] == first["activity"]
    assert again["activity"]["months"][5]["people"] == SMALL


def test_late_check_ins_by_fewer_than_k_people_leave_the_figures_as_first_worked_out(app):
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
        newcomers("late", 9, D(2026, 1, 21), 5)
        again = evaluation.evaluation(6, TODAY)
        afresh = figures_afresh(6, TODAY)
    # The figures of test_evaluation_report.py, worked out by hand from the population.
    moods = [row["mood"] for row in again["activity"]["months"]]
    assert moods == [row["mood"] for row in first["activity"]["months"]]
    assert moods == [2.82, 3.47, 3.63, 3.6, 3.5, SMALL]
    assert again["ons4"]["items"][0]["mean"] == 6.8
    assert again["awareness"]["people"] == 20
    assert afresh["activity"]["months"][0]["mood"] != 2.82


def test_a_month_is_worked_out_afresh_once_k_people_have_come_since(app):
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
        withdraw(person_named("diarist-a1-00"))
        newcomers("late", 9, D(2026, 1, 21), 5)
        # 34 counted, one left, nine came: 42 is fewer than k from 34, and someone left.
        waiting = evaluation.evaluation(6, TODAY)
        newcomers("later", 2, D(2026, 1, 21), 5)
        fresh = evaluation.evaluation(6, TODAY)
    assert withheld_months(first, waiting) == [0, 1, 2, 3, 4]
    january = fresh["activity"]["months"][0]
    # 11 of A1 (3) + A2 (4 x 10) + B (1 x 8) + E (3 x 4) + 11 late (5): 148 / 44.
    assert (january["people"], january["mood"]) == (45, 3.36)
    assert january["needs"]["money_advice"] == 0.33  # 5 of B + 11: 15 of 45
    assert [row["people"] for row in fresh["activity"]["months"][1:]] == [WITHHELD] * 4 + [SMALL]
    assert fresh["retention"] == first["retention"]  # the period's figures stand


def test_a_new_months_report_reuses_the_months_already_published(app):
    build_population(app)
    with app.app_context():
        june = evaluation.evaluation(6, TODAY)
        newcomers("late", 3, D(2026, 2, 18), 1)
        july = evaluation.evaluation(6, D(2026, 8, 10))
        year = evaluation.evaluation(12, D(2026, 7, 31))
        stored = db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationFigures))
        afresh = figures_afresh(6, D(2026, 8, 10))
    assert july["period"].months[0] == D(2026, 2, 1)
    assert july["activity"]["months"][:5] == june["activity"]["months"][1:]
    assert july["activity"]["months"][5]["people"] == SMALL  # July: E's four
    assert year["activity"]["months"][6:] == june["activity"]["months"]
    # Thirteen months from July 2025 to July 2026, and 6 and 12 months ending June and July
    # (each period's figures and its champion-network section).
    assert stored == 13 + 4 + 4
    assert afresh["activity"]["months"][0] != july["activity"]["months"][0]


def before_and_after(app, later_app, change) -> tuple[dict, dict]:
    """The report on the population, then again from `later_app` after `change()`."""
    build_population(app)
    with app.app_context():
        first = evaluation.evaluation(6, TODAY)
    with later_app.app_context():
        change()
        return first, evaluation.evaluation(6, TODAY)


def test_six_and_twelve_months_ending_together_are_worked_out_together(app):
    """Else the year, made after someone left, would be the half-year without them: here
    nobody answered ONS4 in its extra months, so its means would be theirs alone apart."""
    build_population(app)
    with app.app_context():
        half = evaluation.evaluation(6, TODAY)
        withdraw(person_named("diarist-a1-00"))
        year = evaluation.evaluation(12, TODAY)
        afresh = figures_afresh(12, TODAY)
    assert year["ons4"] == half["ons4"]  # 20 people, A1-00 among them
    assert year["awareness"] == half["awareness"]
    assert afresh["ons4"]["items"][0]["mean"] == 6.74  # 19: (11 x 8 + 8 x 5) / 19


def test_a_higher_k_later_hides_more_and_shows_nothing_new(app, make_app):
    stricter = make_app(PRIVACY_K=30)
    first, later = before_and_after(app, stricter, lambda: newcomers("late", 3, D(2026, 2, 18), 1))
    assert [row["people"] for row in later["activity"]["months"]] == [35, 30] + [SMALL] * 4
    assert later["activity"]["months"][:2] == first["activity"]["months"][:2]
    assert later["ons4"]["items"][0]["mean"] == SMALL


def test_months_past_retention_keep_their_figures_when_people_leave(app, make_app):
    """Their check-ins are deleted with time, not their people gone: nothing is withheld."""
    short = make_app(RETENTION_MONTHS=3)
    first, again = before_and_after(app, short, lambda: withdraw(person_named("diarist-a1-00")))
    assert withheld_months(first, again) == []


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
    # The year's months; the half-year and the year ending in June, each with its
    # champion-network section.
    assert len(rows) == 12 + 2 + 2
    assert columns == {"id", "kind", "months", "first_month", "last_month", "figures", "created_at"}
    assert EvaluationFigures.__table__ not in holding_people
    text = json.dumps([row.figures for row in rows])
    assert note not in text and "night shift" not in text
    assert not [name for name in usernames if name in text]
    assert "user" not in text and "note" not in text


def test_the_downloads_a_researcher_makes_stay_the_same(app, signed_in):
    """Through the API, on whatever day the test runs: last month's check-ins."""
    with app.app_context():
        month = period_for(6, contributions.today()).months[-1]
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
    assert again != first and LEFT_CELL in again
    check_page(again, [])
    with app.app_context():
        shown = evaluation.evaluation(6)
        afresh = figures_afresh(6, None)
    assert shown["activity"]["months"][-1]["mood"] == WITHHELD
    assert shown["activity"]["people"] == 15  # the period's figures stand
    assert afresh["activity"]["months"][-1]["mood"] != WITHHELD


def test_a_months_figures_wait_for_its_last_week():
    # April 2026 ends on a Thursday: its last week runs to Sunday 3 May.
    assert period_for(6, D(2026, 5, 3)).months[-1] == D(2026, 3, 1)
    assert period_for(6, D(2026, 5, 4)).months[-1] == D(2026, 4, 1)
    assert period_for(6, D(2026, 5, 4)).last_week == D(2026, 4, 27)


def test_a_report_as_of_a_day_to_come_is_refused(app):
    with app.app_context():
        tomorrow = contributions.today() + timedelta(days=1)
        with pytest.raises(ValueError, match="today or a day before"):
            evaluation.evaluation(6, tomorrow)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationFigures)) == 0
