"""Rotating the note key keeps every note and second step working under the new key."""

import uuid
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from backend.extensions import db
from backend.models import Entry
from backend.services.crypto import open_note
from tests.conftest import TEST_NOTE_KEY, login, put_entry


def test_rotation_reseals_notes_and_second_factors(app, runner, signed_in, make_user):
    alice, person = signed_in()
    ids = [put_entry(alice, note=f"note {n}")[0] for n in range(3)]
    put_entry(alice, note=None)
    researcher = make_user(role="researcher")
    with app.app_context():
        before = {e.id: e.note_sealed for e in db.session.query(Entry)}

    result = runner.invoke(args=["keys", "rotate-note-key", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Re-sealed 3 notes, 1 secrets and 0 requests to the hub" in result.output

    new_key = (Path(app.instance_path) / "note_key").read_text().strip()
    assert new_key != TEST_NOTE_KEY and app.config["NOTE_KEY"] == new_key
    assert [alice.get(f"/api/v1/entries/{i}").get_json()["note"] for i in ids] == [
        "note 0", "note 1", "note 2"
    ]  # fmt: skip
    login(app.test_client(), researcher)
    with app.app_context():
        entry = db.session.get(Entry, uuid.UUID(ids[0]))
        assert entry.note_sealed != before[entry.id]
        app.config["NOTE_KEY"] = TEST_NOTE_KEY
        with pytest.raises(InvalidTag):
            open_note(person.id, entry.id, entry.note_sealed)
    assert not (Path(app.instance_path) / "note_key.next").exists()
