"""Secrets sealed at rest: AES-GCM under a per-person key derived from the server key.

Notes (and second-factor secrets) are sealed this way.

The server key lives in instance/ (or NOTE_KEY), never in the database, so a copy of the
database alone reads no note. Each person's key comes from HKDF over the server key with
their id, and each note is bound to its entry id, so a sealed note moved to another
row or person does not open.
"""

import base64
import hashlib
import hmac
import os
import uuid
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12


def _person_key(user_id: int, purpose: str) -> bytes:
    return _derive(current_app.config["NOTE_KEY"], user_id, purpose)


@lru_cache(maxsize=4096)
def _derive(note_key: str, user_id: int, purpose: str) -> bytes:
    """HKDF once per person and purpose (a history page opens 20 notes of one person)."""
    server_key = base64.b64decode(note_key)
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=f"wellbeing-diary/{purpose}/v1".encode(),
        info=f"person:{user_id}".encode(),
    )
    return hkdf.derive(server_key)


def seal(purpose: str, user_id: int, bound_to: str, text: str | None) -> bytes | None:
    """Encrypt text for one person and one purpose, bound to a row (`bound_to`)."""
    if not text:
        return None
    nonce = os.urandom(NONCE_BYTES)
    key = _person_key(user_id, purpose)
    aad = f"{user_id}:{bound_to}".encode()
    return FORMAT_V1 + nonce + AESGCM(key).encrypt(nonce, text.encode(), aad)


def unseal(purpose: str, user_id: int, bound_to: str, sealed: bytes | None) -> str | None:
    """Decrypt what `seal` made (raises cryptography's InvalidTag if it was tampered with)."""
    if not sealed:
        return None
    if sealed[:1] != FORMAT_V1:
        raise ValueError("unknown sealed format")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    aad = f"{user_id}:{bound_to}".encode()
    return AESGCM(_person_key(user_id, purpose)).decrypt(nonce, body, aad).decode()


def seal_note(user_id: int, entry_id: uuid.UUID, note: str | None) -> bytes | None:
    """Encrypt a note for storage; None or an empty note stores nothing."""
    return seal("notes", user_id, str(entry_id), note)


def open_note(user_id: int, entry_id: uuid.UUID, sealed: bytes | None) -> str | None:
    """Decrypt a stored note."""
    return unseal("notes", user_id, str(entry_id), sealed)


def keyed_digest(purpose: str, text: str) -> str:
    """A keyed hash (HMAC-SHA256, hex) of `text`, under a key derived from the server key.

    For what must be recognised again but never read back (a join code, a sign-up's
    address, a person within one week of take-up): without the key in instance/ a copy of
    the database cannot test guesses against it.
    """
    key = _derive(current_app.config["NOTE_KEY"], 0, f"digest/{purpose}")
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
