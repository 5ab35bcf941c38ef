"""The insights API: researchers only, published cells only, and the live stream."""

import csv
import io
from datetime import timedelta

import pytest

from backend.extensions import db
from backend.services import releases
from backend.services.releases import contributions
from tests.test_alerts import publish_weeks
from tests.test_releases_support import SW_REGION, add_people, check_ins

ENDPOINTS = [
    "/api/v1/insights/releases",
    "/api/v1/insights/trends",
    "/api/v1/insights/needs-map",
    "/api/v1/insights/alerts",
    "/api/v1/insights/export.csv",
    "/api/v1/insights/stream",
    "/api/v1/insights/take-up",
]
INTERNAL = {"exact", "reason", "computed_in", "user_id", "username", "parent", "occurred_at"}


@pytest.fixture
def app_config(app_config):
    """Exact values: these tests check the arithmetic, so differential privacy is off."""
    return {**app_config, "DP_ENABLED": False}


def seed(app):
    """Devon 14, Cornwall 12, Dorset 3 (all this week), published once."""
    with app.app_context():
        check_ins(add_people(14, area="QJK"), 4, needs=["sleep_help"])
        check_ins(add_people(12, area="QT6"), 3)
        check_ins(add_people(3, area="QVV"), 1)
        return releases.publish()


@pytest.fixture
def researcher(signed_in):
    client, _ = signed_in(role="researcher")
    return client


@pytest.mark.parametrize("path", ENDPOINTS)
def test_only_researchers_may_read_insights(app, client, signed_in, path):
    assert client.get(path).status_code == 401
    staff, _ = signed_in()
    assert staff.get(path).status_code == 403
    admin, _ = signed_in(role="admin")
    assert admin.get(path).status_code == 403


def walk_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from walk_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk_keys(inner)


def test_needs_map_shows_published_cells_and_suppressed_ones_without_values(app, researcher):
    seed(app)
    body = researcher.get("/api/v1/insights/needs-map").get_json()
    assert body["week"] == contributions.current_week().isoformat()
    areas = {a["key"]: a for a in body["areas"]}
    assert len(areas) == 42
    devon = areas["QJK"]
    assert devon["status"] == "published" and devon["contributors"] == 15
    # Everyone chose it, and it shows as "nearly everyone"; every other need as "hardly anyone".
    assert devon["needs"]["sleep_help"] == 0.95 and devon["region"] == SW_REGION
    assert {v for c, v in devon["needs"].items() if c != "sleep_help"} == {0.05}
    for hidden in ("QVV", "QT6", "QRL"):
        cell = areas[hidden]
        assert cell["status"] == "suppressed"
        assert cell["contributors"] is None and cell["mood"] is None and cell["needs"] == {}
    assert body["all"]["contributors"] == 30
    assert not INTERNAL & set(walk_keys(body))


def test_trends_follow_the_level_asked_for(app, researcher):
    seed(app)
    body = researcher.get("/api/v1/insights/trends?level=region").get_json()
    south_west = next(s for s in body["series"] if s["key"] == SW_REGION)
    assert south_west["label"] == "South West"
    assert south_west["points"][-1]["contributors"] == 30
    one = researcher.get("/api/v1/insights/trends?level=area&key=QJK").get_json()
    assert [s["key"] for s in one["series"]] == ["QJK"]
    assert not INTERNAL & set(walk_keys(body))


@pytest.mark.parametrize(
    "query",
    ["level=street", "from=2026-02-01&to=2026-01-01", "from=1900-01-01", "from=2000-01-01"],
)
def test_trends_refuse_what_they_cannot_answer(researcher, query):
    response = researcher.get(f"/api/v1/insights/trends?{query}")
    assert response.status_code == 422
    assert response.get_json()["code"] == 422


def test_releases_list_says_how_they_were_made(app, researcher):
    release = seed(app)
    body = researcher.get("/api/v1/insights/releases").get_json()
    assert body["items"][0]["id"] == release.id
    assert body["privacy"]["k"] == 10 and body["privacy"]["rounding"] == 5
    assert body["privacy"]["differential_privacy"] is None


def test_export_is_the_published_cells_and_nothing_finer(app, researcher):
    seed(app)
    response = researcher.get("/api/v1/insights/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert not INTERNAL & set(rows[0])
    this_week = [r for r in rows if r["week"] == contributions.current_week().isoformat()]
    devon = next(r for r in this_week if r["key"] == "QJK")
    assert (devon["contributors"], devon["need:sleep_help"]) == ("15", "0.95")
    dorset = next(r for r in this_week if r["key"] == "QVV")
    assert dorset["status"] == "suppressed"
    assert dorset["contributors"] == dorset["mood"] == dorset["need:sleep_help"] == ""


def read_events(response, until):
    """Read the stream until `until(text)` is true; returns the text read so far."""
    text = ""
    for chunk in response.response:
        text += chunk.decode() if isinstance(chunk, bytes) else chunk
        if until(text):
            break
    return text


def test_stream_sends_each_new_release_and_then_closes(app, researcher):
    first = seed(app)
    app.config.update(INSIGHTS_STREAM_SECONDS=5, INSIGHTS_STREAM_POLL_SECONDS=0.05)
    response = researcher.get("/api/v1/insights/stream", buffered=False)
    assert response.mimetype == "text/event-stream"
    text = read_events(response, lambda t: f"id: {first.id}\n" in t)
    assert "event: release" in text
    with app.app_context():
        check_ins(add_people(10, area="QVV"), 2)
        second = releases.publish()
        db.session.remove()
    text = read_events(response, lambda t: f"id: {second.id}\n" in t)
    assert f'"id": {second.id}' in text
    response.close()


def test_stream_resumes_after_the_last_event_id(app, researcher):
    first = seed(app)
    app.config.update(INSIGHTS_STREAM_SECONDS=0.2, INSIGHTS_STREAM_POLL_SECONDS=0.05)
    response = researcher.get("/api/v1/insights/stream", headers={"Last-Event-ID": str(first.id)})
    text = response.get_data(as_text=True)  # it closes by itself after its time
    assert "retry:" in text and "event: release" not in text


def test_the_needs_map_lists_every_published_week_newest_first(app, signed_in):
    client, _ = signed_in(role="researcher")
    assert client.get("/api/v1/insights/needs-map").get_json()["weeks"] == []
    last = contributions.current_week() - timedelta(weeks=1)
    with app.app_context():
        publish_weeks("QT6", [3.5] * 3, last=last - timedelta(weeks=40))  # an old run
        publish_weeks("QT6", [3.5] * 2, last=last)
    weeks = client.get("/api/v1/insights/needs-map").get_json()["weeks"]
    expected = [last - timedelta(weeks=n) for n in (0, 1, 40, 41, 42)]
    assert weeks == [w.isoformat() for w in expected]
