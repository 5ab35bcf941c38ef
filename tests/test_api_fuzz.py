"""Schemathesis against our own OpenAPI document, in process, as staff and as a researcher:
no 5xx, and every response matches the spec. `make fuzz` runs it with many more examples.

Each operation is its own pytest case; Hypothesis drives schemathesis's strategies
directly (its pytest plugin does not yet work with pytest 9). Every `date` and `date-time`
it makes up is drawn from the whole range Python can parse (tests/bad_input.py: with and
without zones, offsets to +/-23:59, near today too), so is the ONS4 week in the path, and in
some examples the request body is sent nested 2 to 10,000 levels deep.

Every example is signed in (test_the_fuzzed_requests_are_signed_in): until issue 17 the
session went in a `Cookie` header that werkzeug's test client drops, so everything behind
sign-in was only ever fuzzed as a 401.
"""

import json
import os
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backend import create_app
from backend.extensions import db
from backend.models import User
from backend.models.types import utcnow
from tests.bad_input import date_texts, date_time_texts, depths, nested, shapes
from tests.conftest import BACKENDS, base_config, close_app, database_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
# "Schema-valid data must be accepted" cannot hold here: some rules are not expressible in
# OpenAPI (a common password, a factor code a hub's taxonomy does not list, a check-in in the
# future, the right current password). Every other default check runs.
EXCLUDED = [positive_data_acceptance]
# Every date and date-time over the whole range, near today too (registered for the process).
schemathesis.openapi.format("date", date_texts)
schemathesis.openapi.format("date-time", date_time_texts)


def operation_labels() -> list[str]:
    """The API's operations, read from the spec of a throwaway app (no database needed)."""
    folder = tempfile.mkdtemp()
    spec_app = create_app(base_config(f"sqlite:///{folder}/spec.sqlite3", folder))
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", spec_app)
    labels = sorted(result.ok().label for result in schema.get_all_operations())
    close_app(spec_app)
    return labels


@pytest.fixture(params=BACKENDS if os.environ.get("FUZZ_ALL_DATABASES") else ["sqlite"])
def database_url(request, tmp_path):
    """`make test` fuzzes on SQLite to stay quick; `make fuzz` on every configured database."""
    return database_for(request, tmp_path)


@pytest.fixture
def app_config(app_config):
    # Every example signs in afresh; the throttle would rightly stop that.
    return {**app_config, "RATELIMIT_ENABLED": False}


def session_cookie(app, person) -> dict[str, str]:
    """A fresh, valid session for each example, so a fuzzed logout cannot end the next one.

    Made as the app makes one (signed with its key, the person's current session version)
    rather than through the sign-in route, which the researcher's second step and the
    cost of argon2 would make slow at thousands of examples. Given to schemathesis as
    `cookies`: a `Cookie` header is dropped by werkzeug's test client, whose own (empty)
    cookie jar replaces it, so every example would be signed out.
    """
    with app.app_context():
        user = db.session.get(User, person.id)
        session_id = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session["started"] = session["seen"] = utcnow().timestamp()
    name = app.config["SESSION_COOKIE_NAME"]
    return {name: client.get_cookie(name).value}


def with_dated_paths(schema) -> None:
    """The ONS4 week in a path is a plain string to the spec: draw dates for it too."""

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if not path_parameters or "week" not in path_parameters:
            return st.just(path_parameters)
        return st.one_of(
            st.just(path_parameters), date_texts.map(lambda day: {**path_parameters, "week": day})
        )


def deeply_nested(case, depth: int, shape: str) -> dict:
    """The generated body, `depth` levels down, as the raw body to send instead."""
    return {"data": nested(depth, shape, json.dumps(case.body)).encode()}


def fuzz(app, person, label: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    with_dated_paths(schema)
    operation = schema.find_operation_by_label(label)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), nesting=st.none() | st.tuples(depths, shapes))
    def check(case, nesting):
        body = {}
        if nesting and case.media_type == "application/json" and not isinstance(case.body, NotSet):
            body = deeply_nested(case, *nesting)
        case.call_and_validate(
            cookies=session_cookie(app, person), excluded_checks=EXCLUDED, **body
        )

    check()


@pytest.mark.parametrize("label", operation_labels())
def test_api_as_staff(app, make_user, label):
    fuzz(app, make_user(), label)


@pytest.mark.parametrize("label", operation_labels())
def test_api_as_researcher(app, make_user, label):
    fuzz(app, make_user(role="researcher"), label)


@pytest.mark.parametrize("role", ["staff", "researcher"])
def test_the_fuzzed_requests_are_signed_in(app, make_user, role):
    """Without this, every operation behind sign-in would only ever be fuzzed as a 401."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    case = schema.find_operation_by_label("GET /api/v1/auth/me").Case()
    response = case.call(cookies=session_cookie(app, make_user(role=role)))
    assert response.status_code == 200
    assert response.json()["role"] == role
