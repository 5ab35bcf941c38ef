"""Alerts: an area's latest published week against its own recent baseline."""

from datetime import timedelta

import pytest

from backend.extensions import db
from backend.models.insights import Release, ReleaseCell
from backend.services import alerts, contributions


def publish_weeks(area, moods, tough=None, needs=None, suppressed=()):
    """One release per week, oldest first, ending this week, with one area's values."""
    this = contributions.current_week()
    weeks = [this - timedelta(weeks=n) for n in reversed(range(len(moods)))]
    for n, (week, mood) in enumerate(zip(weeks, moods, strict=True)):
        release = Release(k=10, rounding=5, epsilon=None, weeks=[week.isoformat()])
        db.session.add(release)
        db.session.flush()
        hidden = n in suppressed
        db.session.add(
            ReleaseCell(
                release_id=release.id, week=week, level="area", key=area, parent="E40000006",
                status="suppressed" if hidden else "published", exact=None if hidden else 40,
                contributors=None if hidden else 40, mood=None if hidden else mood,
                tough_share=None if hidden else (tough or [0.1] * len(moods))[n],
                needs=None if hidden else {"sleep_help": (needs or [0.1] * len(moods))[n]},
                factors={},
            )
        )  # fmt: skip
    db.session.commit()


def test_a_steady_area_raises_nothing(app):
    with app.app_context():
        publish_weeks("QT6", [3.8, 3.9, 3.7, 3.8, 3.9, 3.8, 3.85])
        assert alerts.area_alerts() == []


def test_a_fall_in_mood_is_said_in_words(app):
    with app.app_context():
        publish_weeks("QT6", [3.8, 3.9, 3.7, 3.8, 3.9, 3.8, 3.1])
        [alert] = alerts.area_alerts()
        assert (alert["key"], alert["measure"], alert["latest"]) == ("QT6", "mood", 3.1)
        assert alert["change"] < -0.5
        assert alert["message"].startswith("Mean mood in NHS Cornwall and the Isles of Scilly fell")


def test_a_rising_tough_share_and_a_rising_need_are_flagged(app):
    with app.app_context():
        base = [0.1, 0.12, 0.1, 0.11, 0.1, 0.1]
        publish_weeks("QJK", [3.5] * 7, tough=[*base, 0.3], needs=[*base, 0.35])
        found = {a["measure"]: a for a in alerts.area_alerts()}
        assert set(found) == {"tough_share", "sleep_help"}
        assert "30% had a tough week" in found["tough_share"]["message"]
        assert "Help with sleep" in found["sleep_help"]["message"]


@pytest.mark.parametrize("hidden", [(6,), (2,)])
def test_suppressed_weeks_are_gaps_not_zeros(app, hidden):
    with app.app_context():
        publish_weeks("QT6", [3.8, 3.9, 3.7, 3.8, 3.9, 3.8, 3.8], suppressed=hidden)
        assert alerts.area_alerts() == []


def test_alerts_endpoint_lists_them(app, signed_in):
    with app.app_context():
        publish_weeks("QT6", [3.8, 3.9, 3.7, 3.8, 3.9, 3.8, 3.1])
    client, _ = signed_in(role="researcher")
    [alert] = client.get("/api/v1/insights/alerts").get_json()["items"]
    assert alert["kind"] == "mood" and alert["label"].startswith("NHS Cornwall")
