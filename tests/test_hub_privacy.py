"""Requests to the hub at rest and in transit: sealed, in no log, push or release; erased
on withdrawal, with the account and after retention; re-sealed when the note key turns."""

import json
import logging
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag

from backend.extensions import db
from backend.models.hub import HubRequest
from backend.models.types import utcnow
from backend.services import hub, releases, retention
from backend.services.hub.requests import open_details
from backend.services.reminders import webpush
from tests.conftest import PASSWORD, TEST_NOTE_KEY, login, put_entry
from tests.hub_requests import send_request
from tests.pushservice import PushService
from tests.test_notes_at_rest import database_bytes

NAME = "CANARY-NAME-4b1e"
EMAIL = "canary-mail-9d3f@example.org"
MIND = "CANARY-MIND-e71c-the-night-shifts-are-too-much"
NOTE = "CANARY-PRACTITIONER-2a8d-rang-twice"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": True, "PRIVACY_K": 5}


def test_what_a_request_carries_is_in_no_file_log_push_or_release(app, signed_in, make_user,
                                                                  caplog):  # fmt: skip
    caplog.set_level(logging.DEBUG)
    staff, _ = signed_in()
    for _ in range(5):
        put_entry(signed_in()[0], mood=2)
    refused = send_request(staff, call_me=NAME, on_my_mind=MIND + "x" * 2000)[1]
    assert refused.status_code == 422 and MIND not in refused.get_data(as_text=True)
    request_id, sent = send_request(staff, call_me=NAME, email=EMAIL, on_my_mind=MIND)
    assert sent.status_code == 201
    inbox = app.test_client()
    login(inbox, make_user(role="practitioner"))
    with PushService(expected_vapid_key=webpush.public_key(app)) as push:
        device = push.new_device()
        subscribed = inbox.post("/api/v1/push/subscriptions", json=device.subscription_json())
        assert subscribed.status_code == 204
        with app.app_context():
            assert hub.announce_new(app)["sent"] == 1
        payloads = [d.plaintext for d in push.deliveries]
    opened = inbox.get(f"/api/v1/hub/inbox/{request_id}").get_json()
    assert opened["on_my_mind"] == MIND and opened["email"] == EMAIL
    noted = inbox.patch(f"/api/v1/hub/inbox/{request_id}", json={"state": "seen", "note": NOTE})
    assert noted.get_json()["note"] == NOTE
    with app.app_context():
        releases.publish()
    researcher = app.test_client()
    login(researcher, make_user(role="researcher"))
    published = [
        researcher.get(f"/api/v1/insights/{path}").get_data()
        for path in ("releases", "needs-map", "take-up", "export.csv")
    ]

    assert [json.loads(p) for p in payloads] == [
        {"title": "Staff Wellbeing Hub", "body": "A new request is waiting", "url": "/hub/"}
    ]
    stored = database_bytes(app)
    assert any(b"hub_requests" in raw for raw in stored)  # so the search can find something
    for canary in (NAME, EMAIL, MIND, NOTE):
        for raw in stored:
            assert canary.encode() not in raw, canary
        for body in published + payloads:
            assert canary.encode() not in body, canary
        assert canary not in caplog.text, canary
    assert caplog.records, "nothing was logged: the check would prove nothing"


def test_a_sealed_request_opens_only_for_its_own_row(app, signed_in):
    staff, _ = signed_in()
    first, _ = send_request(staff, on_my_mind=MIND)
    second, _ = send_request(staff)
    with app.app_context():
        one = db.session.get(HubRequest, uuid.UUID(first))
        other = db.session.get(HubRequest, uuid.UUID(second))
        other.details_sealed = one.details_sealed  # moved to another row, it does not open
        with pytest.raises(InvalidTag):
            open_details(other)


def test_new_requests_are_announced_once_and_only_to_practitioners(app, signed_in, make_user):
    staff, _ = signed_in()
    inbox = app.test_client()
    login(inbox, make_user(role="practitioner"))
    with PushService(expected_vapid_key=webpush.public_key(app)) as push:
        theirs, mine = push.new_device(), push.new_device()
        inbox.post("/api/v1/push/subscriptions", json=theirs.subscription_json())
        staff.post("/api/v1/push/subscriptions", json=mine.subscription_json())
        with app.app_context():
            assert hub.announce_new(app)["requests"] == 0  # nothing new: no push
            send_request(staff)
            send_request(staff)
            assert hub.announce_new(app) == {"requests": 2, "sent": 1, "failed": 0, "removed": 0}
            assert hub.announce_new(app)["sent"] == 0
        assert len(push.delivered_to(theirs)) == 1
        assert push.delivered_to(mine) == []


def test_closed_requests_are_erased_after_the_retention_days(app, signed_in, make_user):
    staff, _ = signed_in()
    inbox = app.test_client()
    login(inbox, make_user(role="practitioner"))
    closed, _ = send_request(staff)
    still_open, _ = send_request(staff)
    inbox.patch(f"/api/v1/hub/inbox/{closed}", json={"state": "closed"})
    with app.app_context():
        assert retention.apply(utcnow() + timedelta(days=89))["hub_requests"] == 0
        assert retention.apply(utcnow() + timedelta(days=91))["hub_requests"] == 1
    assert staff.get(f"/api/v1/hub-requests/{closed}").status_code == 404
    assert staff.get(f"/api/v1/hub-requests/{still_open}").status_code == 200


def test_requests_are_in_the_export_and_go_with_the_account(app, signed_in, make_user):
    staff, person = signed_in()
    request_id, _ = send_request(staff, on_my_mind=MIND)
    inbox = app.test_client()
    login(inbox, make_user(role="practitioner"))
    inbox.patch(f"/api/v1/hub/inbox/{request_id}", json={"note": NOTE})
    exported = staff.get("/api/v1/me/export").get_json()
    assert [r["on_my_mind"] for r in exported["hub_requests"]] == [MIND]
    assert NOTE not in json.dumps(exported)
    assert staff.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    with app.app_context():
        left = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(HubRequest)
            .where(HubRequest.user_id == person.id)
        )
        assert left == 0
    assert inbox.get(f"/api/v1/hub/inbox/{request_id}").status_code == 404


def test_key_rotation_reseals_requests_and_notes(app, runner, signed_in, make_user):
    staff, person = signed_in()
    request_id, _ = send_request(staff, on_my_mind=MIND)
    inbox = app.test_client()
    login(inbox, make_user(role="practitioner"))
    inbox.patch(f"/api/v1/hub/inbox/{request_id}", json={"note": NOTE})
    result = runner.invoke(args=["keys", "rotate-note-key", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 requests to the hub" in result.output
    opened = inbox.get(f"/api/v1/hub/inbox/{request_id}").get_json()
    assert (opened["on_my_mind"], opened["note"]) == (MIND, NOTE)
    with app.app_context():
        row = db.session.get(HubRequest, uuid.UUID(request_id))
        app.config["NOTE_KEY"] = TEST_NOTE_KEY  # the old key opens nothing any more
        with pytest.raises(InvalidTag):
            open_details(row)


def test_an_erased_practitioner_leaves_the_audit_lines_without_a_name(app, signed_in, make_user):
    staff, _ = signed_in()
    request_id, _ = send_request(staff)
    inbox = app.test_client()
    practitioner = make_user(role="practitioner")
    login(inbox, practitioner)
    inbox.get(f"/api/v1/hub/inbox/{request_id}")
    assert inbox.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    with app.app_context():
        [line] = hub.log_of(uuid.UUID(request_id))
    assert line["practitioner"] is None and line["action"] == "read"
    assert staff.get(f"/api/v1/hub-requests/{request_id}").get_json()["first_read_at"]
