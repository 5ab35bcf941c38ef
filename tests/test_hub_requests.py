"""A person's own requests to talk to someone at the hub: send once, see, withdraw."""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from backend.extensions import db
from backend.models.hub import HubRequest, HubRequestMark
from backend.services import hub, releases, retention
from tests.conftest import PASSWORD, database_rows, login, put_entry
from tests.hub_requests import request_body, send_request


def test_a_request_is_sent_once_whatever_the_outbox_does(app, signed_in):
    client, _ = signed_in()
    request_id, first = send_request(client)
    assert first.status_code == 201
    record = first.get_json()
    assert record["state"] == "sent" and record["first_read_at"] is None
    assert record["call_me"] == "Sam" and record["on_my_mind"] == "Work has been a lot lately."
    # The outbox sends it again after a lost answer, even with a changed body: one request.
    _, again = send_request(client, request_id, call_me="Someone else")
    assert again.status_code == 200
    assert again.get_json() == record
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HubRequest)) == 1
        assert hub.monthly_counts(releases.today(), releases.today())[0]["requests"] == 1
    listed = client.get("/api/v1/hub-requests").get_json()["items"]
    assert [item["id"] for item in listed] == [request_id]


def test_withdrawing_erases_the_request(app, signed_in):
    client, _ = signed_in()
    request_id, _ = send_request(client)
    send_request(client)
    assert client.delete(f"/api/v1/hub-requests/{request_id}", json={}).status_code == 204
    assert client.get(f"/api/v1/hub-requests/{request_id}").status_code == 404
    assert len(client.get("/api/v1/hub-requests").get_json()["items"]) == 1
    with app.app_context():
        assert db.session.get(HubRequest, uuid.UUID(request_id)) is None
        # The month still counts the person who asked (a count, nothing of whose), and
        # once, however many requests they sent.
        assert hub.monthly_counts(releases.today(), releases.today())[0]["requests"] == 1


def test_each_person_counts_once_a_month_and_their_mark_goes(app, signed_in, make_user):
    """The tally moves by one person at most, however many requests (the report's noise
    assumes it); the keyed mark behind that lasts only while the month is open."""
    client, person = signed_in()
    changes = [{"area": "QJK"}, {"research_consent": False}, {"role_group": "nurse"}]
    for change in changes:
        request_id, answer = send_request(client)
        assert answer.status_code == 201
        client.delete(f"/api/v1/hub-requests/{request_id}", json={})  # withdraw, send again
        # Nor does changing one's profile or consent make them count again.
        assert client.patch("/api/v1/me", json=change).status_code == 200
    other, _ = signed_in()
    send_request(other)
    month = releases.today().replace(day=1)
    with app.app_context():
        assert hub.monthly_counts(month, month)[0]["requests"] == 2
        marks = db.session.scalars(sa.select(HubRequestMark.person)).all()
        # Keyed hashes that name no one: nothing of the person's id, name or the month.
        assert len(marks) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", mark) for mark in marks)
    # Erasure takes the leaver's mark at once; the month's count stands.
    assert other.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    with app.app_context():
        assert len(db.session.scalars(sa.select(HubRequestMark.person)).all()) == 1
        assert hub.monthly_counts(month, month)[0]["requests"] == 2
        # The daily job, on the first day of next month, drops the closed month's marks.
        retention.apply(datetime.combine((month + timedelta(days=32)).replace(day=1), time(3), UTC))
        assert db.session.scalars(sa.select(HubRequestMark.person)).all() == []
        assert hub.monthly_counts(month, month)[0]["requests"] == 2


def test_bad_requests_name_the_field_and_change_nothing(app, signed_in):
    client, _ = signed_in()
    before = database_rows(app)
    cases = {
        "phone": request_body(phone=None, email=None),
        "on_my_mind": request_body(on_my_mind="x" * 2001),
        "email": request_body(email="not an address"),
        "call_me": request_body(call_me=""),
        "summary": request_body(
            summary={"weeks": [], "needs": [{"need": "not_a_need", "times": 1}]}
        ),
        "user_id": {**request_body(), "user_id": 1},
    }
    for field, body in cases.items():
        response = client.put(f"/api/v1/hub-requests/{uuid.uuid4()}", json=body)
        assert response.status_code == 422, field
        assert field in response.get_json()["errors"]["json"], field
    assert database_rows(app) == before


def test_another_persons_request_is_a_404_and_stays_as_it_is(app, signed_in):
    owner, _ = signed_in()
    other, _ = signed_in()
    request_id, _ = send_request(owner)
    before = database_rows(app)
    assert other.get(f"/api/v1/hub-requests/{request_id}").status_code == 404
    assert other.delete(f"/api/v1/hub-requests/{request_id}", json={}).status_code == 404
    assert send_request(other, request_id)[1].status_code == 404
    assert other.get("/api/v1/hub-requests").get_json()["items"] == []
    assert database_rows(app) == before


def test_the_summary_is_the_last_four_weeks_of_mood_and_needs(app, signed_in):
    client, _ = signed_in()
    for mood, needs in ((1, ["someone_to_talk_to"]), (2, ["someone_to_talk_to", "sleep_help"])):
        assert put_entry(client, mood=mood, needs=needs)[1].status_code == 201
    summary = client.get("/api/v1/hub-requests/summary").get_json()
    assert len(summary["weeks"]) == 4
    this_week = summary["weeks"][-1]
    assert this_week["check_ins"] == 2 and this_week["mood"] == 2  # 1.5 rounds to 2
    assert [w["check_ins"] for w in summary["weeks"][:3]] == [0, 0, 0]
    assert summary["needs"][0] == {"need": "someone_to_talk_to", "times": 2}
    # Sent as shown, it is kept as shown.
    _, sent = send_request(client, summary=summary)
    assert sent.status_code == 201 and sent.get_json()["summary"] == summary


def test_the_form_knows_the_hubs_opening_hours(make_app, make_user):
    app = make_app(HUB_OPENING_HOURS="Weekdays 8am to 6pm", REFERRAL_RETENTION_DAYS=30)
    client = app.test_client()
    login(client, make_user())
    about = client.get("/api/v1/hub-requests/about").get_json()
    assert about == {"opening_hours": "Weekdays 8am to 6pm", "retention_days": 30}


def test_monthly_counts_fill_the_months_with_none(app):
    with app.app_context():
        months = hub.monthly_counts(date(2026, 1, 15), date(2026, 3, 2))
    assert months == [
        {"month": date(2026, 1, 1), "requests": 0},
        {"month": date(2026, 2, 1), "requests": 0},
        {"month": date(2026, 3, 1), "requests": 0},
    ]
