"""Alerts: an area's published whole weeks against its own usual level."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.extensions import db
from backend.models.insights import Release, ReleaseCell
from backend.services import demo, taxonomy
from backend.services.releases import alerts, contributions, published

STEADY = [3.8, 3.9, 3.7, 3.8, 3.9, 3.8, 3.85, 3.8]


def publish_areas(moods_of, last=None, people=40, suppressed_of=None, margins=None, **values):
    """One release per week, oldest first, ending last week (or `last`), holding one cell
    for each area of `moods_of` (area -> moods). `values` may give `tough` and `needs` (of
    sleep help) per week; `suppressed_of` the indexes of the weeks each area is hidden;
    `margins` the give-or-take every cell is published with (None: exact)."""
    last = last or contributions.current_week() - timedelta(weeks=1)
    count = max(len(moods) for moods in moods_of.values())
    tough, needs = values.get("tough") or [0.1] * count, values.get("needs") or [0.1] * count
    weeks = [last - timedelta(weeks=n) for n in reversed(range(count))]
    for n, week in enumerate(weeks):
        release = Release(k=10, rounding=5, epsilon=None, weeks=[week.isoformat()])
        db.session.add(release)
        db.session.flush()
        for area, moods in moods_of.items():
            hidden = n in (suppressed_of or {}).get(area, ())
            mood = moods[n - (count - len(moods))] if n >= count - len(moods) else None
            if mood is None:
                continue
            db.session.add(
                ReleaseCell(
                    release_id=release.id, week=week, level="area", key=area,
                    parent=taxonomy.region_of(area), status="suppressed" if hidden else "published",
                    exact=None if hidden else people, contributors=None if hidden else people,
                    mood=None if hidden else mood,
                    tough_share=None if hidden else tough[n],
                    needs=None if hidden else {"sleep_help": needs[n]},
                    factors={}, margins=None if hidden else margins,
                )
            )  # fmt: skip
    db.session.commit()


def publish_weeks(area, moods, tough=None, needs=None, suppressed=(), last=None, people=40):
    """publish_areas for one area."""
    publish_areas({area: moods}, last, people, {area: suppressed}, tough=tough, needs=needs)


@pytest.mark.parametrize(("margin", "raised"), [(0.5, False), (0.05, True)])
def test_a_fall_within_the_noise_raises_nothing(app, margin, raised):
    """A fall of 0.7 points stands out in a crowd, but not where the noise alone is +/-0.5."""
    with app.app_context():
        publish_areas({"QT6": [*STEADY[:-1], 3.1]}, margins={"mood": margin, "shares": margin})
        found = alerts.area_alerts()
        assert bool([a for a in found["items"] if a["kind"] == "mood"]) is raised


def test_a_steady_area_raises_nothing(app):
    with app.app_context():
        publish_weeks("QT6", STEADY)
        found = alerts.area_alerts()
        assert found["items"] == []
        assert "QT6" not in str(found["not_judged"])


def test_a_sudden_fall_in_mood_is_said_in_words(app):
    with app.app_context():
        publish_weeks("QT6", [*STEADY[:-1], 3.1])
        [alert] = alerts.area_alerts()["items"]
        assert (alert["key"], alert["measure"], alert["how"]) == ("QT6", "mood", "sudden")
        assert alert["latest"] == 3.1 and alert["change"] < -0.5
        assert alert["message"].startswith("Mean mood in NHS Cornwall and the Isles of Scilly fell")


def test_a_steady_fall_over_weeks_is_named(app):
    """The old forecast-style EWMA let a ramp raise its own spread and never alerted."""
    with app.app_context():
        publish_weeks("QT6", [3.2, 3.15, 3.25, 3.2, 3.1, 2.9, 2.7, 2.5, 2.3, 2.1])
        [alert] = alerts.area_alerts()["items"]
        assert (alert["key"], alert["measure"], alert["how"]) == ("QT6", "mood", "sustained")
        assert alert["latest"] == 2.1 and alert["baseline"] > 3.0
        assert "has been lower over recent weeks: 2.10" in alert["message"]


def test_a_rising_tough_share_and_a_rising_need_are_flagged(app):
    with app.app_context():
        base = [0.1, 0.12, 0.1, 0.11, 0.1, 0.1]
        publish_weeks("QJK", [3.5] * 8, tough=[*base, 0.1, 0.5], needs=[*base, 0.35, 0.45])
        found = {a["measure"]: a for a in alerts.area_alerts()["items"]}
        assert set(found) == {"tough_share", "sleep_help"}
        assert found["tough_share"]["how"] == "sudden"
        assert "50% had a tough week" in found["tough_share"]["message"]
        assert found["sleep_help"]["how"] == "sustained"
        assert "Help with sleep" in found["sleep_help"]["message"]


def test_one_rounding_step_in_a_small_cell_is_not_an_alert(app):
    """In a cell of 15, one person more asking rounds 0% up to 33%: that is not a rise."""
    with app.app_context():
        publish_weeks("QJK", [3.5] * 8, needs=[0, 0, 0, 0, 0, 0, 0.33, 0.33], people=15)
        assert alerts.area_alerts()["items"] == []


@pytest.mark.parametrize("hidden", [(6,), (2,)])
def test_suppressed_weeks_are_gaps_not_zeros(app, hidden):
    with app.app_context():
        publish_weeks("QT6", [*STEADY, 3.8], suppressed=hidden)
        assert alerts.area_alerts()["items"] == []


def test_the_week_in_progress_waits_until_it_is_over(app):
    with app.app_context():
        publish_weeks("QT6", [*STEADY, 2.5], last=contributions.current_week())
        found = alerts.area_alerts()
        assert found["items"] == []
        assert found["in_progress"] == contributions.current_week().isoformat()
        assert "counts once it is over" in found["about"]


def test_areas_that_cannot_be_judged_are_named_with_the_reason(app):
    with app.app_context():
        publish_weeks("QT6", [*STEADY[:-1], 2.5], suppressed=(7,))
        publish_weeks("QJK", [3.5, 3.4, 3.5])
        groups = {g["reason"]: g for g in alerts.area_alerts()["not_judged"]}
        hidden = groups["latest_not_shown"]
        assert [a["key"] for a in hidden["areas"]] == ["QT6"]
        assert "fewer than 10 people" in hidden["message"]
        few = [a["key"] for a in groups["few_weeks"]["areas"]]
        assert "QJK" in few and "QVV" in few  # QVV: no release at all


def test_alerts_endpoint_lists_them(app, signed_in):
    with app.app_context():
        publish_weeks("QT6", [*STEADY[:-1], 3.1])
    client, _ = signed_in(role="researcher")
    body = client.get("/api/v1/insights/alerts").get_json()
    [alert] = body["items"]
    assert alert["kind"] == "mood" and alert["label"].startswith("NHS Cornwall")
    assert body["to"] == alert["week"] and body["from"] < body["to"]
    assert {g["reason"] for g in body["not_judged"]} == {"few_weeks"}


def test_alerts_refuse_a_range_of_only_the_week_in_progress(app, signed_in):
    client, _ = signed_in(role="researcher")
    this_week = contributions.current_week().isoformat()
    response = client.get(f"/api/v1/insights/alerts?from={this_week}")
    assert response.status_code == 422
    assert "from" in response.get_json()["errors"]["query"]


# A Wednesday in October, when the demo's winter dip falls fastest: the calm areas drift
# down too, and must not be named.
AUTUMN = datetime(2026, 10, 7, 10, 0, tzinfo=UTC)


def test_a_seeded_population_names_its_strained_areas(app):
    # The chart's arithmetic on the demo's seeded strain, exact: with noise on, cells of 12 to
    # 20 people (this small demo) still raise a false or a sudden alert in about 1 run in 5.
    app.config["DP_ENABLED"] = False
    with app.app_context():
        seeded = demo.seed_population(people=1000, weeks=10, seed=7, now=AUTUMN)
        # The seeded weeks have their releases, as if the scheduler had run all along: the
        # ten weeks, the week in progress, and the empty week before the first check-in.
        assert seeded["released_weeks"] == len(published.released_weeks()) == 12
        found = alerts.area_alerts(now=AUTUMN)
        strained = set(seeded["strained_areas"])
        assert len(strained) == 5
        assert {a["key"] for a in found["items"] if a["kind"] == "mood"} == strained
        assert {a["key"] for a in found["items"]} == strained  # no calm area, for any measure
        assert found["not_judged"] == []
        assert all(a["how"] == "sustained" for a in found["items"])


def test_the_demo_publishes_no_history_over_real_releases(app):
    with app.app_context():
        publish_weeks("QT6", [3.5])
        seeded = demo.seed_population(people=20, weeks=3, seed=7)
        assert seeded["released_weeks"] == 0
        assert len(published.released_weeks()) == 1
