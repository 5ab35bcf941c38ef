"""Property tests: whatever body arrives, a check-in write never gives a 500 and a refusal
changes nothing."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import entry_body

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
field_values = {
    "occurred_at": st.one_of(
        json_values,
        st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
        st.sampled_from(
            ["2026-13-01T00:00:00Z", "2026-02-30T10:00:00+00:00", "0000-01-01T00:00:00Z"]
        ),
    ),
    "mood": st.one_of(json_values, st.integers(-3, 8)),
    "energy": st.one_of(json_values, st.integers(-3, 8)),
    "sleep": st.one_of(json_values, st.integers(-3, 8)),
    "stress": st.one_of(json_values, st.integers(-3, 8)),
    "factors": st.one_of(json_values, st.lists(st.sampled_from(["workload", "money", "nope", ""]))),
    "needs": st.one_of(json_values, st.lists(st.sampled_from(["sleep_help", "x" * 40]))),
    "note": st.one_of(json_values, st.text(max_size=300)),
}


@pytest.fixture
def signed_in_once(signed_in):
    """One signed-in client for all the examples of a property test."""
    client, _ = signed_in()
    return client


bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional=field_values),
    st.fixed_dictionaries({}, optional=field_values).map(lambda b: entry_body() | b),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_random_check_in_bodies_never_give_a_500(signed_in_once, body):
    client = signed_in_once
    before = client.get("/api/v1/entries?limit=100").get_json()["items"]
    response = client.put(f"/api/v1/entries/{uuid.uuid4()}", json=body)
    assert response.status_code in (200, 201, 400, 422), response.get_json()
    result = response.get_json()
    after = client.get("/api/v1/entries?limit=100").get_json()["items"]
    if response.status_code >= 400:
        assert set(result) >= {"code", "status", "message"}
        assert after == before
    else:
        assert 1 <= result["mood"] <= 5
        assert len(after) == len(before) + 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(["from", "to", "limit", "cursor", "x"]), st.text(max_size=30), max_size=4
    )
)
def test_random_history_queries_never_give_a_500(signed_in_once, query):
    response = signed_in_once.get("/api/v1/entries", query_string=query)
    assert response.status_code in (200, 422), response.get_json()
