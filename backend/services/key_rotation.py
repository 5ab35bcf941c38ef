"""Rotating the note key: every sealed note, second-factor secret and request to the hub
re-sealed under a new one.

Run with the app stopped (a note written during the pass would be sealed under the old
key). The new key is written to instance/note_key.next before the database changes, so a
crash at any point leaves a key that opens every note: the old one until the commit, the
new one after it.
"""

import base64
import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..keys import NOTE_KEY_FILE
from ..models import Entry, User
from . import crypto, hub

BATCH = 2000


def _resealed(old_key: str, new_key: str, purpose: str, user_id: int, bound: str, sealed):
    current_app.config["NOTE_KEY"] = old_key
    plain = crypto.unseal(purpose, user_id, bound, sealed)
    current_app.config["NOTE_KEY"] = new_key
    return crypto.seal(purpose, user_id, bound, plain)


def rotate_note_key() -> dict:
    """Re-seal everything under a fresh key and put that key in force; returns counts."""
    old_key = current_app.config["NOTE_KEY"]
    new_key = base64.b64encode(secrets.token_bytes(32)).decode()
    folder = Path(current_app.instance_path)
    pending = folder / f"{NOTE_KEY_FILE}.next"
    fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(new_key + "\n")
    notes = seconds = requests = 0
    try:
        rows = db.session.execute(
            sa.select(Entry.id, Entry.user_id, Entry.note_sealed).where(
                Entry.note_sealed.is_not(None)
            )
        ).all()
        for start in range(0, len(rows), BATCH):
            updates = [
                {"id": row.id,
                 "note_sealed": _resealed(old_key, new_key, "notes", row.user_id, str(row.id),
                                          row.note_sealed)}
                for row in rows[start : start + BATCH]
            ]  # fmt: skip
            db.session.execute(sa.update(Entry), updates)  # bulk update by primary key
            notes += len(updates)
        for user in db.session.scalars(sa.select(User).where(User.totp_sealed.is_not(None))):
            user.totp_sealed = _resealed(old_key, new_key, "totp", user.id, "totp",
                                         user.totp_sealed)  # fmt: skip
            seconds += 1
        requests = hub.reseal_all(
            lambda purpose, user_id, bound, sealed: _resealed(
                old_key, new_key, purpose, user_id, bound, sealed
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.config["NOTE_KEY"] = old_key
        pending.unlink(missing_ok=True)
        raise
    current_app.config["NOTE_KEY"] = new_key
    live = folder / NOTE_KEY_FILE
    if live.exists():
        live.replace(folder / f"{NOTE_KEY_FILE}.previous")
    pending.replace(live)
    return {"notes": notes, "second_factors": seconds, "hub_requests": requests}
