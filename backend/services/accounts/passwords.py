"""Password hashing (argon2id) and the rules a new password must meet."""

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from ..problems import Invalid

MIN_LENGTH = 8
MAX_LENGTH = 128
# argon2id at the library's recommended cost (RFC 9106 low-memory profile); the test suite
# uses a lighter argon2id profile so that thousands of sign-ups stay quick.
PROFILES = {
    "default": PasswordHasher(),
    "test": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


def _hasher() -> PasswordHasher:
    return PROFILES[current_app.config.get("PASSWORD_HASH_PROFILE", "default")]


_COMMON = Path(__file__).resolve().parents[2] / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(line.strip() for line in _COMMON.read_text().splitlines() if line.strip())


def check_new_password(password: str, username: str, field: str = "password") -> None:
    """Refuse a password that is too short, too long, common, or the username itself."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"Please use at least {MIN_LENGTH} characters.", field)
    if len(password) > MAX_LENGTH:
        raise Invalid(f"Please use at most {MAX_LENGTH} characters.", field)
    if password.lower() in _common_passwords() or password.lower() == username.lower():
        raise Invalid(
            "That password is one of the most common ones, so it is easy to guess. "
            "A few words together make a strong one.",
            field,
        )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; never raises for a wrong one."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def spend_as_long_as_a_check(password: str) -> None:
    """For an unknown name, cost as much as checking a real password would."""
    hasher = _hasher()
    verify_password(_dummy_hash(hasher), password)


_DUMMIES: dict[int, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = id(hasher)
    if key not in _DUMMIES:
        _DUMMIES[key] = hasher.hash("not-a-real-password-for-timing")
    return _DUMMIES[key]
