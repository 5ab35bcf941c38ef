"""A person's rights over their data: profile and consent, export, and erasure."""

import csv
import io

import sqlalchemy as sa

from backend.extensions import db
from backend.services.accounts import tables_holding_people
from tests.conftest import PASSWORD, put_entry


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
