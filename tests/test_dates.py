"""Every date the API takes falls in one range (backend/services/dates.py), or is a 422 naming
the field; no date Python can parse gives a 5xx, and a refused request changes nothing.

The range: nothing before EARLIEST_DATE (2000-01-01), nothing more than LATEST_AHEAD_HOURS
(24) ahead of the server's clock; the end of a period asked for, and a pause of reminders,
up to a year ahead.
"""

import base64
import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend import create_app
from tests.bad_input import any_moment, date_texts, date_time_texts
from tests.conftest import database_rows, put_entry
from tests.test_errors import assert_error_shape

ONS4 = {"life_satisfaction": 7, "worthwhile": 8, "happy": 6, "anxious": 3}
RANGE_MESSAGE = "Please choose a date from 1 January 2000 to "

EXAMPLES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def staff(signed_in):
    """A staff member's client with one check-in, ONS4 answers and reminder settings."""
    client, _ = signed_in()
    put_entry(client)
    assert client.put("/api/v1/me/ons4/2026-11-30", json=ONS4).status_code == 201
    assert client.put("/api/v1/reminders", json={"enabled": False}).status_code == 200
    return client


@pytest.fixture
def researcher(signed_in):
    client, _ = signed_in(role="researcher")
    return client


def assert_refused(response, location: str, field: str) -> None:
    body = assert_error_shape(response, 422)
    assert field in body["errors"][location], body


# ---------------------------------------------------------------- the examples


def test_a_check_in_in_year_one_is_a_422_naming_the_field(staff):
    entry_id, response = put_entry(staff, occurred_at="0001-01-01T00:00:00+00:00")
    assert_refused(response, "json", "occurred_at")
    assert response.get_json()["errors"]["json"]["occurred_at"][0].startswith(RANGE_MESSAGE)
    assert staff.get(f"/api/v1/entries/{entry_id}").status_code == 404


def test_ons4_answers_for_year_one_are_refused(staff):
    response = staff.put("/api/v1/me/ons4/0001-01-01", json=ONS4)
    assert_refused(response, "path", "week")
    assert [a["week"] for a in staff.get("/api/v1/me/ons4").get_json()["answers"]] == ["2026-11-30"]


def test_the_range_starts_on_the_earliest_date(staff):
    _, before = put_entry(staff, occurred_at="1999-12-31T23:59:59+00:00")
    assert_refused(before, "json", "occurred_at")
    _, first_hour = put_entry(staff, occurred_at="2000-01-01T00:30:00+01:00")  # 1999 in UTC
    assert_refused(first_hour, "json", "occurred_at")
    _, on_it = put_entry(staff, occurred_at="2000-01-01T00:00:00+00:00")
    assert on_it.status_code == 201
    assert staff.put("/api/v1/me/ons4/2000-01-03", json=ONS4).status_code == 201
    assert_refused(staff.put("/api/v1/me/ons4/1999-12-27", json=ONS4), "path", "week")


def test_a_check_in_keeps_its_own_rule_inside_the_range(staff):
    soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    _, response = put_entry(staff, occurred_at=soon)
    assert_refused(response, "json", "occurred_at")
    assert response.get_json()["errors"]["json"]["occurred_at"] == [
        "A check-in cannot be in the future."
    ]
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    _, response = put_entry(staff, occurred_at=later)
    assert response.get_json()["errors"]["json"]["occurred_at"][0].startswith(RANGE_MESSAGE)


def test_a_month_of_history_may_end_after_today(staff):
    """The history view asks for a whole month, so `to` may be next month's first day."""
    to = (datetime.now(UTC) + timedelta(days=31)).isoformat()
    response = staff.get("/api/v1/entries", query_string={"from": "2026-01-01T00:00:00Z", "to": to})
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == 1
    too_far = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    assert_refused(staff.get("/api/v1/entries", query_string={"to": too_far}), "query", "to")


def test_reminders_pause_for_at_most_a_year(staff):
    in_a_while = (date.today() + timedelta(days=200)).isoformat()
    response = staff.put("/api/v1/reminders", json={"paused_until": in_a_while})
    assert response.status_code == 200
    long_ago = staff.put("/api/v1/reminders", json={"paused_until": "1970-01-01"})
    assert_refused(long_ago, "json", "paused_until")
    assert staff.get("/api/v1/reminders").get_json()["paused_until"] == in_a_while


def test_the_range_is_configurable(make_app, make_user):
    app = make_app(EARLIEST_DATE=date(2024, 1, 1), LATEST_AHEAD_HOURS=0)
    person = make_user()
    client = app.test_client()
    client.post(
        "/api/v1/auth/login", json={"username": person.username, "password": person.password}
    )
    _, old = put_entry(client, occurred_at="2023-12-31T12:00:00+00:00")
    assert old.get_json()["errors"]["json"]["occurred_at"] == [
        f"Please choose a date from 1 January 2024 to {datetime.now(UTC):%-d %B %Y}."
    ]
    assert put_entry(client, occurred_at="2024-01-01T12:00:00+00:00")[1].status_code == 201


@pytest.mark.parametrize(
    "settings_, words",
    [
        ({"EARLIEST_DATE": date(1, 1, 1)}, "EARLIEST_DATE"),
        ({"EARLIEST_DATE": "2999-01-01"}, "EARLIEST_DATE"),
        ({"LATEST_AHEAD_HOURS": -1}, "LATEST_AHEAD_HOURS"),
    ],
)
def test_the_app_will_not_start_with_a_range_that_could_overflow(app_config, settings_, words):
    with pytest.raises(RuntimeError, match=words):
        create_app({**app_config, **settings_})


# ---------------------------------------------------------------- properties


@EXAMPLES
@given(text=date_time_texts)
def test_no_check_in_time_gives_a_5xx_and_a_refusal_changes_nothing(app, staff, text):
    before = database_rows(app)
    entry_id, response = put_entry(staff, occurred_at=text)
    assert response.status_code in (201, 422), response.get_json()
    if response.status_code == 422:
        assert_refused(response, "json", "occurred_at")
        assert database_rows(app) == before
    else:
        moment = datetime.fromisoformat(response.get_json()["occurred_at"])
        assert datetime(2000, 1, 1, tzinfo=UTC) <= moment <= datetime.now(UTC)
        assert staff.delete(f"/api/v1/entries/{entry_id}").status_code == 204


@EXAMPLES
@given(text=date_time_texts, field=st.sampled_from(["from", "to"]))
def test_no_history_range_gives_a_5xx(staff, text, field):
    response = staff.get("/api/v1/entries", query_string={field: text})
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 422:
        assert_refused(response, "query", field)


@EXAMPLES
@given(moment=any_moment)
def test_no_page_marker_gives_a_5xx(staff, moment):
    raw = f"{moment.isoformat()}|{uuid.uuid4()}".encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = staff.get("/api/v1/entries", query_string={"cursor": cursor})
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 422:
        assert_refused(response, "query", "cursor")


@EXAMPLES
@given(text=date_time_texts, method=st.sampled_from(["PUT", "DELETE"]))
def test_no_ons4_week_gives_a_5xx_and_a_refusal_changes_nothing(app, staff, text, method):
    before = database_rows(app)
    path = f"/api/v1/me/ons4/{quote(text, safe='')}"
    response = staff.open(path, method=method, json=ONS4 if method == "PUT" else None)
    assert response.status_code < 500, response.get_json()
    if response.status_code >= 400:
        assert response.status_code in (404, 422), response.get_json()
        if response.status_code == 422:
            assert_refused(response, "path", "week")
        assert database_rows(app) == before
    else:
        assert date(2000, 1, 1) <= date.fromisoformat(text) <= date.today()
        if method == "DELETE":  # put back what the deletion took, for the next example
            assert staff.put(path, json=ONS4).status_code == 201


@EXAMPLES
@given(text=date_texts)
def test_no_pause_date_gives_a_5xx_and_a_refusal_changes_nothing(app, staff, text):
    before = database_rows(app)
    response = staff.put("/api/v1/reminders", json={"paused_until": text})
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 422:
        assert_refused(response, "json", "paused_until")
        assert database_rows(app) == before
    else:
        paused_until = date.fromisoformat(response.get_json()["paused_until"])
        assert date(2000, 1, 1) <= paused_until <= date.today() + timedelta(days=366)


@EXAMPLES
@given(
    text=date_texts,
    call=st.sampled_from(
        [
            ("/api/v1/insights/trends", "from"),
            ("/api/v1/insights/trends", "to"),
            ("/api/v1/insights/alerts", "from"),
            ("/api/v1/insights/export.csv", "to"),
            ("/api/v1/insights/needs-map", "week"),
        ]
    ),
)
def test_no_insights_date_gives_a_5xx(researcher, text, call):
    path, field = call
    response = researcher.get(path, query_string={field: text})
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 422:
        assert_refused(response, "query", field)
