"""A diary is its owner's alone: other people, researchers and admins see none of it."""

import uuid

import pytest

from backend.extensions import db
from backend.models import Entry, User
from tests.conftest import entry_body, login, put_entry


def entry_count(app) -> int:
    with app.app_context():
        return db.session.query(Entry).count()


def test_another_person_gets_404_on_every_entry_route(app, signed_in):
    alice, _ = signed_in()
    bob, _ = signed_in()
    entry_id, _ = put_entry(alice, mood=1, note="Alice's own words")
    before = alice.get(f"/api/v1/entries/{entry_id}").get_json()

    assert bob.get(f"/api/v1/entries/{entry_id}").status_code == 404
    overwrite = bob.put(f"/api/v1/entries/{entry_id}", json=entry_body(mood=5, note="Bob"))
    assert overwrite.status_code == 404
    assert bob.delete(f"/api/v1/entries/{entry_id}").status_code == 404
    assert bob.get("/api/v1/entries").get_json()["items"] == []
    assert bob.get("/api/v1/me/export").get_json()["entries"] == []
    assert "Alice" not in bob.get("/api/v1/me/export?format=csv").get_data(as_text=True)

    assert alice.get(f"/api/v1/entries/{entry_id}").get_json() == before
    assert entry_count(app) == 1


def test_a_cursor_from_another_person_shows_only_your_own(signed_in):
    alice, _ = signed_in()
    bob, _ = signed_in()
    for _ in range(3):
        put_entry(alice)
    cursor = alice.get("/api/v1/entries?limit=1").get_json()["next_cursor"]
    assert bob.get(f"/api/v1/entries?cursor={cursor}").get_json()["items"] == []


STAFF_ROUTES = [
    ("get", "/api/v1/entries"),
    ("get", "/api/v1/entries/{id}"),
    ("put", "/api/v1/entries/{id}"),
    ("delete", "/api/v1/entries/{id}"),
    ("get", "/api/v1/me/summary"),
]


@pytest.mark.parametrize("role", ["researcher", "admin"])
@pytest.mark.parametrize("method, path", STAFF_ROUTES)
def test_researchers_and_admins_get_403_from_staff_routes(
    app, signed_in, make_user, role, method, path
):
    staff, _ = signed_in()
    entry_id, _ = put_entry(staff, note="private")
    other = app.test_client()
    login(other, make_user(role=role))
    kwargs = {"json": entry_body()} if method == "put" else {}
    response = getattr(other, method)(path.format(id=entry_id), **kwargs)
    assert response.status_code == 403
    assert response.get_json()["code"] == 403
    assert "private" not in response.get_data(as_text=True)
    assert entry_count(app) == 1


def test_researcher_export_holds_no_one_elses_entries(app, signed_in, make_user):
    staff, _ = signed_in()
    put_entry(staff, note="private")
    researcher = app.test_client()
    login(researcher, make_user(role="researcher"))
    export = researcher.get("/api/v1/me/export").get_json()
    assert export["entries"] == []
    assert "private" not in str(export)


@pytest.mark.parametrize(
    "field, value", [("user_id", 1), ("role", "admin"), ("created_at", "2020-01-01T00:00:00Z")]
)
def test_mass_assignment_is_refused_and_changes_nothing(app, signed_in, field, value):
    client, person = signed_in()
    entry_id, _ = put_entry(client)
    before_entry = client.get(f"/api/v1/entries/{entry_id}").get_json()
    before_me = client.get("/api/v1/auth/me").get_json()

    attempts = [
        client.put(f"/api/v1/entries/{entry_id}", json=entry_body(**{field: value})),
        client.patch("/api/v1/me", json={field: value}),
        app.test_client().post(
            "/api/v1/auth/register",
            json={
                "username": "mallory",
                "password": "a fine passphrase",
                "research_consent": True,
                field: value,
            },
        ),
    ]
    for response in attempts:
        assert response.status_code == 422
        assert field in response.get_json()["errors"]["json"]
    assert client.get(f"/api/v1/entries/{entry_id}").get_json() == before_entry
    assert client.get("/api/v1/auth/me").get_json() == before_me
    with app.app_context():
        assert db.session.query(User).filter_by(username="mallory").count() == 0
        assert db.session.get(User, person.id).role == "staff"


def test_a_known_id_of_someone_else_cannot_be_claimed_by_put(app, signed_in):
    alice, _ = signed_in()
    bob, _ = signed_in()
    entry_id = str(uuid.uuid4())
    assert alice.put(f"/api/v1/entries/{entry_id}", json=entry_body(mood=2)).status_code == 201
    assert bob.put(f"/api/v1/entries/{entry_id}", json=entry_body(mood=5)).status_code == 404
    assert alice.get(f"/api/v1/entries/{entry_id}").get_json()["mood"] == 2
