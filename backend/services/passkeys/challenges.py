"""One-time WebAuthn challenges: single-use, bound to one session, gone after two minutes.

The challenge lives in the database (every worker sees it); the session that asked for it
holds a random token, and only the token's hash is stored, so a copy of the table cannot
answer for anyone. Taking a challenge deletes it in the same statement that finds it, so
two requests racing with the same token cannot both use it, and an answer replayed later
finds nothing. A challenge is spent by any attempt, good or bad: a failed ceremony starts
again with a fresh one.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from ...extensions import db
from ...models import PasskeyChallenge
from ...models.types import utcnow
from ..problems import Problem

LIFETIME = timedelta(minutes=2)
CHALLENGE_BYTES = 32


class ChallengeProblem(Problem):
    """The ceremony's challenge was never given to this session, was used, or ran out."""

    status = 400


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(purpose: str, user_id: int | None = None) -> tuple[str, bytes]:
    """A new challenge for `purpose`; returns (session token, challenge bytes). Commits."""
    now = utcnow()
    # Housekeeping as we go: challenges nobody answered are of no use to anyone.
    db.session.execute(sa.delete(PasskeyChallenge).where(PasskeyChallenge.expires_at < now))
    token = secrets.token_urlsafe(32)
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    db.session.add(
        PasskeyChallenge(
            token_hash=_hash(token),
            purpose=purpose,
            challenge=challenge,
            user_id=user_id,
            expires_at=now + LIFETIME,
        )
    )
    db.session.commit()
    return token, challenge


def take(token: str | None, purpose: str, user_id: int | None = None) -> bytes:
    """Use up the session's challenge for `purpose` and return it; raise if there is none.

    Commits the deletion at once, whatever happens to the ceremony after.
    """
    if not token:
        raise ChallengeProblem("Please start again: tap the passkey button once more.")
    row = db.session.scalar(
        sa.select(PasskeyChallenge).where(PasskeyChallenge.token_hash == _hash(token))
    )
    if row is None:
        raise ChallengeProblem("That passkey request was already used. Please try again.")
    found = (row.id, row.purpose, row.user_id, row.expires_at, row.challenge)
    row_id, row_purpose, row_user, expires_at, challenge = found
    taken = db.session.execute(sa.delete(PasskeyChallenge).where(PasskeyChallenge.id == row_id))
    db.session.commit()
    if taken.rowcount != 1:
        raise ChallengeProblem("That passkey request was already used. Please try again.")
    if row_purpose != purpose or row_user != user_id:
        raise ChallengeProblem("That passkey request was for something else. Please try again.")
    if expires_at < utcnow():
        raise ChallengeProblem("That took a little too long. Please try again.")
    return challenge
