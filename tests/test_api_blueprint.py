"""The API's Blueprint: argument schemas made once, and `view`, the one stack of decorators."""

from functools import wraps

from flask import Flask, abort
from flask_smorest import Api

from backend.api.blueprint import Blueprint
from backend.schemas.accounts import ProfileUpdateSchema, UserSchema
from backend.schemas.entries import EntryInSchema, SummaryQuerySchema
from tests.conftest import put_entry


def test_no_argument_schema_is_made_per_request(signed_in, monkeypatch):
    client, _ = signed_in()
    made = []
    for schema in (EntryInSchema, ProfileUpdateSchema):
        original = schema.__init__

        def counting(self, *args, _original=original, **kwargs):
            made.append(type(self).__name__)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(schema, "__init__", counting)
    for _ in range(3):
        _, response = put_entry(client)
        assert response.status_code == 201
        assert client.patch("/api/v1/me", json={"role_group": "nurse"}).status_code == 200
    assert made == []


def _documented_paths(declare) -> dict:
    """The OpenAPI paths of one small blueprint whose routes `declare` makes."""
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    blp = Blueprint("things", __name__, url_prefix="/things")
    declare(blp)
    api.register_blueprint(blp)
    return api.spec.to_dict()["paths"]


def _guard(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        abort(401, "Please sign in.")

    return wrapper


def test_view_is_documented_as_the_decorators_it_stands_for():
    def by_hand(blp):
        @blp.route("/<int:thing_id>", methods=["PUT"])
        @_guard
        @blp.arguments(ProfileUpdateSchema)
        @blp.response(200, UserSchema)
        @blp.alt_response(201, schema=UserSchema, description="Created")
        def put(data, thing_id):
            """Put one thing."""

        @blp.route("", methods=["GET"])
        @blp.arguments(SummaryQuerySchema, location="query")
        @blp.response(200, content_type="text/csv", description="As CSV")
        def listed(query):
            """Things, as CSV."""

        @blp.route("", methods=["DELETE"])
        @_guard
        @blp.response(204)
        def remove():
            """Remove them."""

    def with_view(blp):
        @blp.view("PUT", "/<int:thing_id>", _guard, body=ProfileUpdateSchema, returns=UserSchema)
        @blp.alt_response(201, schema=UserSchema, description="Created")
        def put(data, thing_id):
            """Put one thing."""

        @blp.view(
            "GET", "", query=SummaryQuerySchema, content_type="text/csv", description="As CSV"
        )
        def listed(query):
            """Things, as CSV."""

        @blp.view("DELETE", "", _guard, status=204)
        def remove():
            """Remove them."""

    documented = _documented_paths(with_view)
    assert set(documented) == {"/things/{thing_id}", "/things"}
    assert documented == _documented_paths(by_hand)


def test_view_runs_its_guards_before_it_reads_the_body(client):
    # Signed out, a body the schema would refuse is still answered "sign in" (401), not 422.
    response = client.patch("/api/v1/me", json={"role_group": 12})
    assert response.status_code == 401
