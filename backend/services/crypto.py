"""Notes sealed at rest: AES-GCM under a per-person key derived from the server key.

The server key lives in instance/ (or NOTE_KEY), never in the database, so a copy of the
database alone reads no note. Each person's key comes from HKDF over the server key with
their id, and each note is bound to its entry id, so a sealed note moved to another
row or person does not open.
"""

import base64
import os
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12


def _person_key(user_id: int) -> bytes:
    server_key = base64.b64decode(current_app.config["NOTE_KEY"])
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"wellbeing-diary/notes/v1",
        info=f"person:{user_id}".encode(),
    )
    return hkdf.derive(server_key)


def _aad(user_id: int, entry_id: uuid.UUID) -> bytes:
    return f"{user_id}:{entry_id}".encode()


def seal_note(user_id: int, entry_id: uuid.UUID, note: str | None) -> bytes | None:
    """Encrypt a note for storage; None or an empty note stores nothing."""
    if not note:
        return None
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_person_key(user_id)).encrypt(nonce, note.encode(), _aad(user_id, entry_id))
    return FORMAT_V1 + nonce + sealed


def open_note(user_id: int, entry_id: uuid.UUID, sealed: bytes | None) -> str | None:
    """Decrypt a stored note (raises cryptography's InvalidTag if it was tampered with)."""
    if not sealed:
        return None
    if sealed[:1] != FORMAT_V1:
        raise ValueError("unknown note format")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    return AESGCM(_person_key(user_id)).decrypt(nonce, body, _aad(user_id, entry_id)).decode()
