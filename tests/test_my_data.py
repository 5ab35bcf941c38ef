"""A person's rights over their data: profile and consent, export, and erasure."""

import csv
import io
import shutil
import uuid

import pytest
import sqlalchemy as sa

from backend import create_app
from backend.extensions import db, limiter
from backend.models import Entry
from backend.services.accounts.account import tables_holding_people
from tests.conftest import PASSWORD, base_config, close_app, put_entry

ONS4 = {"life_satisfaction": 7, "worthwhile": 8, "happy": 6, "anxious": 3}


def test_profile_and_consent_can_be_changed(signed_in):
    client, _ = signed_in(research_consent=True)
    before = client.get("/api/v1/auth/me").get_json()
    response = client.patch("/api/v1/me", json={"research_consent": False, "setting": None})
    assert response.status_code == 200
    after = response.get_json()
    assert after["research_consent"] is False
    assert after["setting"] is None
    assert after["research_consent_changed_at"] > before["research_consent_changed_at"]


def test_profile_update_checks_the_taxonomy_and_changes_nothing_when_wrong(signed_in):
    client, _ = signed_in()
    before = client.get("/api/v1/auth/me").get_json()
    response = client.patch("/api/v1/me", json={"research_consent": False, "area": "Narnia"})
    assert response.status_code == 422
    assert "area" in response.get_json()["errors"]["json"]
    assert client.get("/api/v1/auth/me").get_json() == before


def test_export_holds_every_entry_with_notes_opened(signed_in):
    client, _ = signed_in()
    ids = {put_entry(client, note=f"note {n}", mood=n)[0] for n in range(1, 6)}
    export = client.get("/api/v1/me/export").get_json()
    assert export["user"]["username"]
    assert {e["id"] for e in export["entries"]} == ids
    assert {e["note"] for e in export["entries"]} == {f"note {n}" for n in range(1, 6)}


def test_export_as_csv_has_a_row_per_entry_and_defuses_formulas(signed_in):
    client, _ = signed_in()
    put_entry(client, note='=HYPERLINK("http://evil")', factors=["workload", "money"])
    put_entry(client, note="plain")
    response = client.get("/api/v1/me/export?format=csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2
    notes = sorted(row["note"] for row in rows)
    assert notes == ['\'=HYPERLINK("http://evil")', "plain"]
    assert "money;workload" in {row["factors"] for row in rows}


def test_erasure_needs_the_password_and_then_removes_every_row(app, signed_in):
    client, person = signed_in()
    survivor, other = signed_in()
    for _ in range(3):
        put_entry(client)
    put_entry(survivor)

    wrong = client.delete("/api/v1/me", json={"password": "not my password"})
    assert wrong.status_code == 422
    assert "password" in wrong.get_json()["errors"]["json"]
    assert client.get("/api/v1/auth/me").status_code == 200

    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401
    with app.app_context():
        tables = tables_holding_people()
        assert {t.name for t in tables} >= {"entries"}
        for table in tables:
            left = db.session.scalar(
                sa.select(sa.func.count()).select_from(table).where(table.c.user_id == person.id)
            )
            assert left == 0, table.name
        users = db.metadata.tables["users"]
        assert db.session.scalar(sa.select(sa.func.count()).where(users.c.id == person.id)) == 0
    assert len(survivor.get("/api/v1/entries").get_json()["items"]) == 1
    relogin = app.test_client().post(
        "/api/v1/auth/login", json={"username": person.username, "password": PASSWORD}
    )
    assert relogin.status_code == 401


@pytest.mark.parametrize("already_in_the_main_file", [False, True])
def test_erasure_leaves_no_copy_in_the_database_files(
    sqlite_template, tmp_path, already_in_the_main_file
):
    """SQLite, with the database in instance/ as `make run` keeps it: after DELETE /me no
    file there holds the username, the note's words or the note as sealed."""
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(sqlite_template, instance / "diary.sqlite3")
    app = create_app(base_config(f"sqlite:///{instance}/diary.sqlite3", str(instance)))
    with app.app_context():
        limiter.reset()
    client, survivor = app.test_client(), app.test_client()
    username, canary = "quietheron", f"canary-{uuid.uuid4().hex}"
    for who, name in ((client, username), (survivor, "stays.here")):
        body = {"username": name, "password": PASSWORD, "research_consent": True}
        assert who.post("/api/v1/auth/register", json=body).status_code == 201
    for n in range(3):
        assert put_entry(client, note=f"{canary} and a long day, {n}")[1].status_code == 201
    assert put_entry(survivor, note="still here")[1].status_code == 201
    assert client.put("/api/v1/me/ons4/2026-11-30", json=ONS4).status_code == 201
    with app.app_context():
        sealed = db.session.scalars(sa.select(Entry.note_sealed)).all()
        if already_in_the_main_file:
            db.session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    sealed_notes = [s for s in sealed if s is not None][:3]

    def files_holding(needle: bytes) -> list[str]:
        return sorted(
            p.name for p in instance.rglob("*") if p.is_file() and needle in p.read_bytes()
        )

    assert files_holding(username.encode())  # so the test can fail
    assert all(files_holding(note) for note in sealed_notes)
    assert files_holding(canary.encode()) == []  # notes are sealed at rest

    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    for needle in (username.encode(), canary.encode(), *sealed_notes):
        assert files_holding(needle) == [], needle
    assert files_holding(b"stays.here")
    close_app(app)
