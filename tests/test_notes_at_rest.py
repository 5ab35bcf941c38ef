"""Notes are sealed at rest: the database alone reads no note."""

import subprocess
import uuid
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from backend.extensions import db
from backend.models import Entry
from backend.services.crypto import open_note, seal_note
from tests.conftest import put_entry

CANARY = "CANARY-note-7f3a9c-the-rota-broke-me"


def database_bytes(app) -> list[bytes]:
    """Everything the database holds on disk: the SQLite files, or a full pg_dump."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        if url.startswith("sqlite"):
            db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return [p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file()]
    plain_url = url.replace("postgresql+psycopg://", "postgresql://")
    dump = subprocess.run(["pg_dump", plain_url], capture_output=True, check=True)
    return [dump.stdout]


def test_a_distinctive_note_appears_nowhere_in_the_database(app, signed_in):
    client, _ = signed_in()
    entry_id, response = put_entry(client, note=CANARY)
    assert response.status_code == 201
    assert client.get(f"/api/v1/entries/{entry_id}").get_json()["note"] == CANARY
    stored = database_bytes(app)
    assert stored and any(b"entries" in raw for raw in stored)
    for raw in stored:
        assert CANARY.encode() not in raw
        assert CANARY.encode("utf-16-le") not in raw


def test_the_stored_column_holds_only_ciphertext(app, signed_in):
    client, person = signed_in()
    entry_id, _ = put_entry(client, note=CANARY)
    with app.app_context():
        sealed = db.session.get(Entry, uuid.UUID(entry_id)).note_sealed
        assert CANARY.encode() not in sealed
        assert open_note(person.id, uuid.UUID(entry_id), sealed) == CANARY


def test_a_sealed_note_does_not_open_for_another_person_or_entry(app):
    entry_id = uuid.uuid4()
    with app.app_context():
        sealed = seal_note(1, entry_id, "mine")
        with pytest.raises(InvalidTag):
            open_note(2, entry_id, sealed)
        with pytest.raises(InvalidTag):
            open_note(1, uuid.uuid4(), sealed)
        assert seal_note(1, entry_id, "mine") != sealed  # a fresh nonce each time


def test_a_different_server_key_opens_nothing(app):
    entry_id = uuid.uuid4()
    with app.app_context():
        sealed = seal_note(1, entry_id, "mine")
        app.config["NOTE_KEY"] = "b" * 43 + "="
        with pytest.raises(InvalidTag):
            open_note(1, entry_id, sealed)
