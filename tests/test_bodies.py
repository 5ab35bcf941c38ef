"""Request bodies (backend/bodies.py): deeply nested JSON, and text that a database cannot
store, get a 4xx on every write route, signed in or not, and change nothing.

Python's JSON parser recurses once per level, so 5,000 levels used to be a 500; a lone
surrogate ("\\ud800") in a password or a note made hashing or sealing it fail, a 500 too.
A NUL ("\\u0000") made PostgreSQL refuse the query (a 500 before sign-in); in a query string
too.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.bodies import MAX_JSON_DEPTH, UNSTORABLE, nesting_depth
from tests.bad_input import depths, nested, shapes
from tests.conftest import PASSWORD, database_rows, login
from tests.test_errors import assert_error_shape

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# A real value for each path parameter, so a body reaches the route itself.
PATH_VALUES = {
    "entry_id": "6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf001",
    "week": "2026-11-30",
    "resource_id": "samaritans",
    "request_id": "6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf002",
    "passkey_id": 1,
}


def write_routes(app) -> list[tuple[str, str]]:
    """(method, path) for every state-changing API route, path parameters filled in."""
    urls = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods & UNSAFE)
        if rule.rule.startswith("/api/") and methods:
            path = urls.build(rule.endpoint, {name: PATH_VALUES[name] for name in rule.arguments})
            routes += [(method, path) for method in methods]
    return sorted(routes)


def test_depth_is_measured_outside_strings():
    assert nesting_depth('{"a": "[[[[{{{{", "b": [1, {"c": "\\\\"}]}') == 3
    assert nesting_depth('{"a": "\\"[[[[[[[[[[[[[[["}') == 1
    assert nesting_depth(nested(10_000, "mixed")) == MAX_JSON_DEPTH + 1  # counting stops early
    assert nesting_depth(nested(MAX_JSON_DEPTH, "array")) == MAX_JSON_DEPTH


@pytest.fixture
def client_of(app, make_user):
    """client_of("anonymous") or client_of("staff"): the staff client is always signed in."""
    person, staff, anonymous = make_user(), app.test_client(), app.test_client()

    def client(who):
        if who == "anonymous":
            return anonymous
        if staff.get("/api/v1/auth/me").status_code == 401:  # a shallow body signed it out
            login(staff, person)
        return staff

    return client


def test_every_write_route_is_covered(app):
    routes = write_routes(app)
    assert ("POST", "/api/v1/auth/register") in routes
    assert ("PUT", "/api/v1/me/ons4/2026-11-30") in routes
    assert len(routes) >= 15


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    depth=depths,
    shape=shapes,
    who=st.sampled_from(["anonymous", "staff"]),
)
def test_deeply_nested_bodies_never_give_a_5xx_and_change_nothing(
    app, client_of, data, depth, shape, who
):
    method, path = data.draw(st.sampled_from(write_routes(app)), label="route")
    client = client_of(who)
    before = database_rows(app)
    response = client.open(
        path, method=method, data=nested(depth, shape), content_type="application/json"
    )
    assert response.status_code < 500, (method, path, response.get_json())
    if depth > MAX_JSON_DEPTH:
        body = assert_error_shape(response, 400)
        assert body["message"] == (
            f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
        )
    if response.status_code >= 400:
        assert database_rows(app) == before


def test_sign_up_and_sign_in_refuse_a_deep_body_before_anything_else(client):
    body = '{"username": "someone", "password": ' + nested(5_000, "object") + "}"
    for path in ("/api/v1/auth/register", "/api/v1/auth/login"):
        response = client.post(path, data=body, content_type="application/json")
        assert_error_shape(response, 400)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_body_at_the_limit_reaches_the_schema(signed_in):
    client, _ = signed_in()
    response = client.delete(
        "/api/v1/me",
        data='{"password": "' + PASSWORD + '", "x": ' + nested(MAX_JSON_DEPTH - 1, "array") + "}",
        content_type="application/json",
    )
    body = assert_error_shape(response, 422)
    assert "x" in body["errors"]["json"]
    assert client.get("/api/v1/auth/me").status_code == 200


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    character=st.integers(min_value=0xD800, max_value=0xDFFF) | st.just(0),
    where=st.sampled_from(["key", "value", "list"]),
    who=st.sampled_from(["anonymous", "staff"]),
)
def test_text_that_is_not_unicode_is_refused_everywhere(
    app, client_of, data, character, where, who
):
    method, path = data.draw(st.sampled_from(write_routes(app)), label="route")
    text = f'"a quiet walk \\u{character:04x} by the river"'
    body = {
        "key": "{" + text + ": 1}",
        "value": '{"username": "someone", "password": ' + text + "}",
        "list": '{"factors": [' + text + "]}",
    }[where]
    client = client_of(who)
    before = database_rows(app)
    response = client.open(path, method=method, data=body, content_type="application/json")
    answer = assert_error_shape(response, 400)
    assert answer["message"] == UNSTORABLE
    assert database_rows(app) == before


def test_unicode_text_outside_the_basic_plane_is_kept(signed_in):
    client, _ = signed_in()
    note = "A hard day \U0001f622 but tea helped \u2615"
    response = client.put(
        "/api/v1/entries/6f1c1a52-7f0e-4a8e-9d38-2a4b0b7cf009",
        data=json.dumps({"occurred_at": "2026-12-01T10:00:00+00:00", "mood": 2, "note": note}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.get_json()["note"] == note


@pytest.mark.parametrize(
    "path", ["/api/v1/insights/trends?level=area&%00=1", "/api/v1/resources/samaritans%00/open"]
)
def test_a_nul_in_the_address_is_refused(signed_in, path):
    client, _ = signed_in(role="researcher")
    method = "POST" if path.endswith("/open") else "GET"
    answer = assert_error_shape(client.open(path, method=method), 400)
    assert answer["message"] == UNSTORABLE


def test_a_nul_in_a_query_value_is_a_422_naming_it(signed_in):
    client, _ = signed_in(role="researcher")
    response = client.get("/api/v1/insights/trends?level=area&key=QT6%00")
    answer = assert_error_shape(response, 422)
    assert answer["errors"] == {"query": {"key": [UNSTORABLE]}}
