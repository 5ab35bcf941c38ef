"""A person's own trends: means, the spread of moods, and what goes with better days."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from backend.extensions import db
from backend.models import User
from backend.services.summary import summarise
from tests.conftest import put_entry


def test_summary_of_a_week_gives_daily_means_and_distribution(signed_in):
    client, _ = signed_in()
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    if today > datetime.now(UTC):
        today -= timedelta(days=1)
    put_entry(client, occurred_at=today.isoformat(), mood=2, energy=1, stress=5)
    put_entry(
        client, occurred_at=(today - timedelta(minutes=30)).isoformat(), mood=4, energy=3, stress=3
    )
    put_entry(
        client,
        occurred_at=(today - timedelta(days=3)).isoformat(),
        mood=5,
        energy=None,
        stress=None,
    )
    put_entry(client, occurred_at=(today - timedelta(days=30)).isoformat(), mood=1)
    summary = client.get("/api/v1/me/summary?period=week&tz=UTC").get_json()
    assert summary["count"] == 3
    assert summary["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    last = summary["days"][-1]
    assert last["date"] == today.date().isoformat()
    assert (last["count"], last["mood"], last["energy"], last["stress"]) == (2, 3.0, 2.0, 4.0)
    assert summary["days"][0]["energy"] is None
    assert sum(week["count"] for week in summary["weeks"]) == 3


def test_factors_that_go_with_worse_and_better_days(app, make_user):
    person = make_user()
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    days = [
        (1, ["staffing", "workload"]),
        (2, ["staffing"]),
        (1, ["staffing"]),
        (4, ["my_team"]),
        (5, ["my_team"]),
        (4, []),
    ]
    with app.app_context():
        from backend.services.entries import put_entry as write

        user = db.session.get(User, person.id)
        for offset, (mood, factors) in enumerate(days):
            at = now - timedelta(days=offset + 1)
            write(user, uuid.uuid4(), {"occurred_at": at, "mood": mood, "factors": factors})
        summary = summarise(user, "month", "Europe/London", now=now)
    worse = [f["code"] for f in summary["factors"]["worse"]]
    better = [f["code"] for f in summary["factors"]["better"]]
    assert worse[0] == "staffing"
    assert better[0] == "my_team"
    staffing = summary["factors"]["worse"][0]
    assert staffing["days"] == 3 and staffing["label"] == "Staffing"
    assert staffing["with_mood"] == pytest.approx(4 / 3, abs=0.01)


def test_summary_days_follow_the_persons_time_zone(app, make_user):
    person = make_user()
    late_evening_utc = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    with app.app_context():
        from backend.services.entries import put_entry as write

        user = db.session.get(User, person.id)
        write(user, uuid.uuid4(), {"occurred_at": late_evening_utc, "mood": 3})
        now = datetime(2026, 7, 3, 9, tzinfo=UTC)
        london = summarise(user, "week", "Europe/London", now=now)
        utc = summarise(user, "week", "UTC", now=now)
    assert london["days"][0]["date"] == "2026-07-02"
    assert utc["days"][0]["date"] == "2026-07-01"


@pytest.mark.parametrize("query", ["period=decade", "tz=Mars/Olympus", "tz=../../etc/passwd"])
def test_bad_summary_queries_are_named(signed_in, query):
    client, _ = signed_in()
    response = client.get(f"/api/v1/me/summary?{query}")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["query"]) <= {"period", "tz"}


def test_patterns_say_how_many_days_they_need_and_that_number_is_the_true_one(app, make_user):
    """The app says "patterns show up once you have checked in on N days": N must be the
    fewest days that can really show one."""
    person = make_user()
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    with app.app_context():
        from backend.services.entries import put_entry as write

        user = db.session.get(User, person.id)
        seen = []
        for offset, (mood, factors) in enumerate([(1, ["staffing"]), (1, ["staffing"]), (4, [])]):
            at = now - timedelta(days=offset + 1)
            write(user, uuid.uuid4(), {"occurred_at": at, "mood": mood, "factors": factors})
            summary = summarise(user, "week", "Europe/London", now=now)
            seen.append((summary["patterns"], summary["factors"]["worse"]))
    needed = seen[0][0]["days_needed"]
    assert needed == 3 and seen[0][0]["factor_days_needed"] == 2
    # Before the third day nothing can show, on the third it does.
    for patterns, worse in seen[: needed - 1]:
        assert worse == [] and patterns["days"] < needed
    patterns, worse = seen[needed - 1]
    assert [f["code"] for f in worse] == ["staffing"]
    assert (patterns["days"], patterns["days_with_factors"]) == (3, 2)
