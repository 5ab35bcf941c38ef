"""The recovery key: the way back in after a forgotten password, with no e-mail needed.

A recovery key is 128 random bits, shown to the person once as 32 characters in eight
groups of four, and kept only as an argon2 hash (like a password: anyone with a copy of
the database must not be able to use it). Using it sets a new password, ends every
session, and replaces it with a new key, so a key works once. Notes, check-ins and
history are untouched: the diary's notes are sealed under a server key, not the password.
"""

import re
import secrets

from ...extensions import db
from ...models import User
from ...models.types import utcnow
from ..problems import Unauthorised
from . import second_factor
from .account import find
from .passwords import check_new_password, hash_password, spend_as_long_as_a_check, verify_password

KEY_BYTES = 16  # 128 bits
GROUP = 4
# What people mistype when copying by hand: O for 0, I or L for 1.
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
NO_MATCH = "That username and recovery key do not match."


def new_key() -> str:
    """A fresh recovery key as it is shown: e.g. 7F3A-09C2-... (eight groups of four)."""
    digits = secrets.token_hex(KEY_BYTES).upper()
    return "-".join(digits[i : i + GROUP] for i in range(0, len(digits), GROUP))


def _normalise(key: str) -> str:
    """The key as stored: spaces, dashes and case do not matter, nor O for 0 or I for 1."""
    compact = re.sub(r"[\s\-]", "", key).upper().translate(READ_AS)
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def set_key(user: User, key: str) -> None:
    """Put this key in force for the person (the caller commits)."""
    user.recovery_key_hash = hash_password(_normalise(key))
    user.recovery_key_made_at = utcnow()


def replace_key(user: User) -> str:
    """A new key in place of the old one (which stops working at once)."""
    key = new_key()
    set_key(user, key)
    db.session.commit()
    return key


def recover(
    username: str,
    key: str,
    new_password: str,
    totp: str | None = None,
    recovery_code: str | None = None,
) -> tuple[User, str]:
    """Set a new password with the recovery key; returns the person and their new key.

    The same answer for an unknown username, a person with no key and a wrong key, and as
    long to give. Every session made before ends. Researchers and administrators still
    need their second step: the recovery key stands in for the password only.
    """
    check_new_password(new_password, username, field="new_password")
    user = find(username)
    if user is None or user.recovery_key_hash is None:
        spend_as_long_as_a_check(key)
        raise Unauthorised(NO_MATCH, "recovery_key")
    if not verify_password(user.recovery_key_hash, _normalise(key)):
        raise Unauthorised(NO_MATCH, "recovery_key")
    second_factor.check_sign_in(user, totp, recovery_code, commit=False)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    fresh = new_key()
    set_key(user, fresh)
    db.session.commit()
    return user, fresh
