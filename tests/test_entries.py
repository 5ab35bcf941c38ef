"""Check-ins: create, replace, list, read, delete, and their validation."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import entry_body, login, put_entry


def test_put_creates_then_replaces_with_the_same_body(signed_in):
    client, _ = signed_in()
    entry_id, first = put_entry(client)
    assert first.status_code == 201
    same = entry_body(occurred_at=first.get_json()["occurred_at"])
    again = client.put(f"/api/v1/entries/{entry_id}", json=same)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()


def test_the_same_put_ten_times_leaves_one_check_in(signed_in):
    client, _ = signed_in()
    entry_id = str(uuid.uuid4())
    body = entry_body()
    responses = [client.put(f"/api/v1/entries/{entry_id}", json=body) for _ in range(10)]
    assert [r.status_code for r in responses] == [201] + [200] * 9
    assert all(r.get_json() == responses[0].get_json() for r in responses)
    items = client.get("/api/v1/entries").get_json()["items"]
    assert [item["id"] for item in items] == [entry_id]


def test_replacing_changes_fields_and_keeps_the_profile_snapshot(signed_in):
    client, _ = signed_in(area="QT6")
    entry_id, _ = put_entry(client, mood=2)
    client.patch("/api/v1/me", json={"area": "QWO"})
    _, response = put_entry(client, entry_id, mood=5, note="Better now", factors=[])
    body = response.get_json()
    assert (body["mood"], body["note"], body["factors"]) == (5, "Better now", [])
    assert body["area"] == "QT6"
    assert body["updated_at"] > body["created_at"]
    _, fresh = put_entry(client)
    assert fresh.get_json()["area"] == "QWO"


def test_only_mood_and_time_are_needed(signed_in):
    client, _ = signed_in()
    body = {"occurred_at": datetime.now(UTC).isoformat(), "mood": 1}
    response = client.put(f"/api/v1/entries/{uuid.uuid4()}", json=body)
    assert response.status_code == 201
    got = response.get_json()
    assert (got["energy"], got["note"], got["factors"], got["needs"]) == (None, None, [], [])


@pytest.mark.parametrize(
    "field, value",
    [
        ("mood", 0),
        ("mood", 6),
        ("mood", "3"),
        ("mood", None),
        ("energy", 9),
        ("stress", 2.5),
        ("factors", ["not_a_factor"]),
        ("needs", ["world_peace"]),
        ("note", "x" * 5001),
        ("occurred_at", "yesterday"),
        ("occurred_at", "2026-01-01T10:00:00"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(signed_in, field, value):
    client, _ = signed_in()
    _, response = put_entry(client, **{field: value})
    assert response.status_code == 422
    error = response.get_json()
    assert error["code"] == 422 and error["status"] == "Unprocessable Entity"
    assert field in error["errors"]["json"]
    assert client.get("/api/v1/entries").get_json()["items"] == []


def test_check_ins_cannot_be_in_the_future_but_can_be_backdated(signed_in):
    client, _ = signed_in()
    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    _, response = put_entry(client, occurred_at=future)
    assert response.status_code == 422
    assert "occurred_at" in response.get_json()["errors"]["json"]
    last_year = (datetime.now(UTC) - timedelta(days=300)).isoformat()
    assert put_entry(client, occurred_at=last_year)[1].status_code == 201


def test_a_check_in_from_a_phone_whose_clock_runs_a_little_ahead_is_kept_as_made_now(signed_in):
    client, _ = signed_in()
    before = datetime.now(UTC)
    ahead = (before + timedelta(minutes=2)).isoformat()
    entry_id, response = put_entry(client, occurred_at=ahead)
    assert response.status_code == 201, response.get_json()
    stored = datetime.fromisoformat(
        client.get(f"/api/v1/entries/{entry_id}").get_json()["occurred_at"]
    )
    # Kept as the server's now: never after it, so never in a week that has not begun.
    assert before <= stored <= datetime.now(UTC)
    assert response.get_json()["occurred_at"] == stored.isoformat()
    # Far enough ahead, it is the future.
    too_far = (before + timedelta(minutes=6)).isoformat()
    assert put_entry(client, occurred_at=too_far)[1].status_code == 422


def test_a_note_of_5000_characters_is_kept_whole(signed_in):
    client, _ = signed_in()
    note = "é" * 5000
    entry_id, response = put_entry(client, note=note)
    assert response.status_code == 201
    assert client.get(f"/api/v1/entries/{entry_id}").get_json()["note"] == note


def test_history_is_newest_first_and_pages_with_a_cursor(signed_in):
    client, _ = signed_in()
    now = datetime.now(UTC)
    ids = [
        put_entry(client, occurred_at=(now - timedelta(hours=h)).isoformat())[0] for h in range(7)
    ]
    seen, cursor = [], None
    while True:
        query = "/api/v1/entries?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


def test_history_filters_by_time(signed_in):
    client, _ = signed_in()
    now = datetime.now(UTC)
    put_entry(client, occurred_at=(now - timedelta(days=10)).isoformat())
    recent, _ = put_entry(client, occurred_at=(now - timedelta(days=2)).isoformat())
    since = (now - timedelta(days=5)).isoformat()
    response = client.get("/api/v1/entries", query_string={"from": since})
    assert [item["id"] for item in response.get_json()["items"]] == [recent]
    before = client.get("/api/v1/entries", query_string={"to": since}).get_json()["items"]
    assert len(before) == 1 and before[0]["id"] != recent


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "limit=abc", "cursor=%%%", "cursor=bm90IGEgY3Vyc29y", "from=x"],
)
def test_bad_history_queries_get_a_clear_answer(signed_in, query):
    client, _ = signed_in()
    response = client.get(f"/api/v1/entries?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]


def test_delete_removes_the_check_in(signed_in):
    client, _ = signed_in()
    entry_id, _ = put_entry(client)
    assert client.delete(f"/api/v1/entries/{entry_id}").status_code == 204
    assert client.get(f"/api/v1/entries/{entry_id}").status_code == 404
    assert client.delete(f"/api/v1/entries/{entry_id}").status_code == 404


def test_unknown_and_malformed_ids_are_404(signed_in):
    client, _ = signed_in()
    assert client.get(f"/api/v1/entries/{uuid.uuid4()}").status_code == 404
    response = client.get("/api/v1/entries/not-a-uuid")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_signed_out_callers_get_401(client):
    assert client.get("/api/v1/entries").status_code == 401
    _, response = put_entry(client)
    assert response.status_code == 401


def test_first_saves_of_one_id_at_once_make_one_check_in(app, make_user):
    """An outbox replayed from two tabs at once: one 201, the rest 200, one row, same body."""
    person = make_user()
    clients = []
    for _ in range(4):
        client = app.test_client()
        login(client, person)
        clients.append(client)
    body = entry_body(mood=2)
    for _ in range(5):
        entry_id = str(uuid.uuid4())
        start = threading.Barrier(len(clients))

        def save(client, entry_id=entry_id, start=start):
            start.wait()
            return client.put(f"/api/v1/entries/{entry_id}", json=body)

        with ThreadPoolExecutor(len(clients)) as pool:
            answers = list(pool.map(save, clients))
        assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
        assert len({str(sorted(a.get_json().items())) for a in answers}) == 1
    listed = clients[0].get("/api/v1/entries?limit=50").get_json()["items"]
    assert len(listed) == 5


def test_someone_elses_id_saved_at_the_same_time_is_theirs_alone(app, make_user):
    owner, other = make_user(), make_user()
    owner_client, other_client = app.test_client(), app.test_client()
    login(owner_client, owner)
    login(other_client, other)
    entry_id, first = put_entry(owner_client, mood=5, note="the owner's words")
    assert first.status_code == 201
    start = threading.Barrier(2)

    def save(client, mood):
        start.wait()
        return client.put(f"/api/v1/entries/{entry_id}", json=entry_body(mood=mood))

    with ThreadPoolExecutor(2) as pool:
        mine, theirs = pool.map(save, (owner_client, other_client), (4, 1))
    assert mine.status_code == 200 and theirs.status_code == 404
    kept = owner_client.get(f"/api/v1/entries/{entry_id}").get_json()
    assert kept["mood"] == 4  # the owner's replacement, never the other person's
