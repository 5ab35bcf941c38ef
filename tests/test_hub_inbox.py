"""The practitioners' inbox, its audit log, and who may reach which route."""

import uuid

import pytest

from backend.services import hub
from tests.conftest import database_rows, login, put_entry
from tests.hub_requests import request_body, send_request


def practitioner(app, make_user):
    client = app.test_client()
    person = make_user(role="practitioner")
    login(client, person)
    return client, person


def test_the_inbox_lists_states_and_opening_one_is_audited(app, signed_in, make_user):
    staff, _ = signed_in()
    request_id, _ = send_request(staff, on_my_mind="Nights are hard.")
    inbox, person = practitioner(app, make_user)
    listed = inbox.get("/api/v1/hub/inbox").get_json()["items"]
    assert [item["id"] for item in listed] == [request_id]
    # The list carries no one's words: only opening a request shows them.
    assert set(listed[0]) == {"id", "state", "created_at", "first_read_at", "closed_at"}
    assert staff.get(f"/api/v1/hub-requests/{request_id}").get_json()["first_read_at"] is None

    opened = inbox.get(f"/api/v1/hub/inbox/{request_id}").get_json()
    assert opened["on_my_mind"] == "Nights are hard." and opened["phone"] == "07700 900123"
    assert "user_id" not in opened and "username" not in opened
    first_read = staff.get(f"/api/v1/hub-requests/{request_id}").get_json()["first_read_at"]
    assert first_read is not None
    inbox.get(f"/api/v1/hub/inbox/{request_id}")
    # The person sees the first read; a second read does not move it.
    assert staff.get(f"/api/v1/hub-requests/{request_id}").get_json()["first_read_at"] == first_read

    with app.app_context():
        log = hub.log_of(uuid.UUID(request_id))
    assert [(line["practitioner"], line["action"]) for line in log] == [
        (person.username, "read"),
        (person.username, "read"),
    ]


def test_marking_seen_contacted_and_closed_with_a_private_note(app, signed_in, make_user):
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    inbox, person = practitioner(app, make_user)
    for state in ("seen", "contacted"):
        changed = inbox.patch(f"/api/v1/hub/inbox/{request_id}", json={"state": state})
        assert changed.status_code == 200 and changed.get_json()["state"] == state
        assert staff.get(f"/api/v1/hub-requests/{request_id}").get_json()["state"] == state
    closed = inbox.patch(
        f"/api/v1/hub/inbox/{request_id}", json={"state": "closed", "note": "Rang back, all ok."}
    ).get_json()
    assert closed["state"] == "closed" and closed["closed_at"] and closed["note"]
    own = staff.get(f"/api/v1/hub-requests/{request_id}").get_json()
    assert own["state"] == "closed" and "note" not in own
    assert "Rang back" not in staff.get("/api/v1/me/export").get_data(as_text=True)
    with app.app_context():
        actions = [line["action"] for line in hub.log_of(uuid.UUID(request_id))]
    assert actions == ["seen", "contacted", "closed", "note"]


def test_bad_changes_name_the_field_and_change_nothing(app, signed_in, make_user):
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    inbox, _ = practitioner(app, make_user)
    before = database_rows(app)
    for body, field in (
        ({"state": "sent"}, "state"),
        ({"state": "lost"}, "state"),
        ({"note": "x" * 501}, "note"),
        ({}, "state"),
    ):
        answer = inbox.patch(f"/api/v1/hub/inbox/{request_id}", json=body)
        assert answer.status_code == 422 and field in answer.get_json()["errors"]["json"]
    missing = inbox.patch(f"/api/v1/hub/inbox/{uuid.uuid4()}", json={"state": "seen"})
    assert missing.status_code == 404
    assert database_rows(app) == before


def test_a_withdrawn_request_is_gone_from_the_inbox(app, signed_in, make_user):
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    inbox, _ = practitioner(app, make_user)
    inbox.get(f"/api/v1/hub/inbox/{request_id}")
    staff.delete(f"/api/v1/hub-requests/{request_id}", json={})
    assert inbox.get(f"/api/v1/hub/inbox/{request_id}").status_code == 404
    assert inbox.get("/api/v1/hub/inbox").get_json()["items"] == []


PERSON_ROUTES = [
    ("GET", "/api/v1/hub-requests", None),
    ("GET", "/api/v1/hub-requests/summary", None),
    ("GET", "/api/v1/hub-requests/about", None),
    ("PUT", "/api/v1/hub-requests/{new}", request_body()),
    ("GET", "/api/v1/hub-requests/{id}", None),
    ("DELETE", "/api/v1/hub-requests/{id}", {}),
]
INBOX_ROUTES = [
    ("GET", "/api/v1/hub/inbox", None),
    ("GET", "/api/v1/hub/inbox/{id}", None),
    ("PATCH", "/api/v1/hub/inbox/{id}", {"state": "closed"}),
]
# What a practitioner never reaches: anyone's diary, and releases.
DIARY_AND_RELEASES = [
    ("GET", "/api/v1/entries", None),
    ("PUT", "/api/v1/entries/{new}", None),
    ("GET", "/api/v1/me/summary", None),
    ("GET", "/api/v1/insights/releases", None),
    ("GET", "/api/v1/insights/needs-map", None),
    ("GET", "/api/v1/insights/take-up", None),
    ("GET", "/api/v1/insights/evaluation?months=6", None),
]


def call(client, method, path, body, request_id):
    path = path.format(id=request_id, new=uuid.uuid4())
    return client.open(path, method=method, json=body if method != "GET" else None)


@pytest.mark.parametrize(
    "role, routes",
    [
        *((role, PERSON_ROUTES) for role in ("researcher", "admin", "practitioner")),
        *((role, INBOX_ROUTES) for role in ("staff", "researcher", "admin")),
    ],
)
def test_each_role_is_refused_the_routes_not_its_own(app, signed_in, make_user, role, routes):
    """Only staff reach their own requests; only practitioners reach the inbox."""
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    client = app.test_client()
    login(client, make_user(role=role))
    before = database_rows(app)
    for method, path, body in routes:
        answer = call(client, method, path, body, request_id)
        assert answer.status_code == 403, (method, path)
        assert b"07700" not in answer.get_data()
    assert database_rows(app) == before


def test_anonymous_reaches_nothing(app, signed_in):
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    anonymous = app.test_client()
    before = database_rows(app)
    for method, path, body in PERSON_ROUTES + INBOX_ROUTES:
        assert call(anonymous, method, path, body, request_id).status_code == 401, path
    assert database_rows(app) == before


def test_a_practitioner_sees_no_diary_and_no_release(app, signed_in, make_user):
    staff, _ = signed_in()
    put_entry(staff, note="my own words")
    request_id, _ = send_request(staff)
    inbox, _ = practitioner(app, make_user)
    before = database_rows(app)
    for method, path, body in DIARY_AND_RELEASES:
        answer = call(inbox, method, path, body or {"mood": 3}, request_id)
        assert answer.status_code == 403, (method, path)
    assert database_rows(app) == before


def test_practitioners_need_their_second_step(app, runner):
    result = runner.invoke(
        args=["users", "create-practitioner", "hub.listener"],
        input="a long listening passphrase\na long listening passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created practitioner account 'hub.listener'" in result.output
    assert "authenticator app link" in result.output
    body = {"username": "hub.listener", "password": "a long listening passphrase"}
    without = app.test_client().post("/api/v1/auth/login", json=body)
    assert without.status_code == 401 and "totp" in without.get_json()["errors"]["json"]


def test_the_audit_log_is_printed_for_the_hub(app, runner, signed_in, make_user):
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    inbox, person = practitioner(app, make_user)
    inbox.get(f"/api/v1/hub/inbox/{request_id}")
    result = runner.invoke(args=["hub", "audit", "--request", request_id])
    assert result.exit_code == 0, result.output
    assert person.username in result.output and request_id in result.output
    assert "read" in result.output and "Sam" not in result.output
