"""Join codes: how a hub vouches for the area (and setting) people work in.

A hub administrator issues a code for an area, and optionally a setting, with the CLI
(`flask --app backend codes issue --area QWO`), and hands it out where it can see who is
there (a team meeting, a training session, a manager's e-mail to their own staff). A person
enters it at sign-up or later in Settings ("Your team"): their area (and setting) becomes
the code's, vouched for, so it counts in area cells. Changing area by hand afterwards, or
leaving the team, drops the vouching.

Codes are three groups of four from an alphabet with no look-alikes (no 0/O, 1/I/L), easy
to read aloud and type; about 59 bits, so guessing one is hopeless under the throttle.
Only a keyed hash is kept (crypto.keyed_digest), with the last group as a hint for `codes
list`. A code may expire and may have a use limit; revoking stops new uses and, if asked,
drops the vouching of everyone who joined with it (a code that leaked).

A wellbeing champion's code is one of these that carries the champion's id
(services/champions).
"""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from ..models.membership import JoinCode
from ..models.types import utcnow
from . import crypto, releases, taxonomy
from .problems import Invalid, NotFound

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LENGTH = 3, 4
FIELD = "join_code"
UNKNOWN = "We do not recognise that join code. Please check it with your hub."
EXPIRED = "That join code has expired. Please ask your hub for a new one."
USED_UP = "That join code has been used as many times as it can be. Please ask your hub."


def normalise(code: str) -> str:
    """The code as stored: capitals, no spaces or dashes (so "abcd efgh-jkmn" works)."""
    return "".join(c for c in code.upper() if c.isalnum())


def _digest(code: str) -> str:
    return crypto.keyed_digest("join-code", normalise(code))


def _make() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(letters[i : i + GROUP_LENGTH] for i in range(0, len(letters), GROUP_LENGTH))


def issue(
    area: str,
    setting: str | None = None,
    uses: int | None = None,
    days: int | None = None,
    label: str | None = None,
    champion_id: int | None = None,
) -> tuple[str, JoinCode]:
    """Make a code for an area (and setting), a champion's when `champion_id` is given;
    returns (the code, shown once, and its row)."""
    if area not in taxonomy.codes("areas"):
        raise Invalid("That area is not on the hub's map.", "area")
    if setting is not None and setting not in taxonomy.codes("settings"):
        raise Invalid("That setting is not in the taxonomy.", "setting")
    if uses is not None and uses < 1:
        raise Invalid("A code needs at least one use.", "uses")
    if days is not None and days < 1:
        raise Invalid("A code needs at least one day.", "days")
    code = _make()
    row = JoinCode(
        code_hash=_digest(code),
        hint=code[-GROUP_LENGTH:],
        area=area,
        setting=setting,
        label=label,
        max_uses=uses,
        expires_at=utcnow() + timedelta(days=days) if days else None,
        champion_id=champion_id,
    )
    db.session.add(row)
    db.session.commit()
    return code, row


def listed() -> list[JoinCode]:
    """Every code, newest first (hashes and hints only: a code is shown once, when made)."""
    return list(db.session.scalars(sa.select(JoinCode).order_by(JoinCode.id.desc())))


def state(row: JoinCode, now: datetime | None = None) -> str:
    """active, expired, used up or revoked."""
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    if row.max_uses is not None and row.uses >= row.max_uses:
        return "used up"
    return "active"


def revoke(code_id: int, unvouch: bool = False) -> int:
    """Stop a code's new uses; with `unvouch`, drop the vouching of those who joined with it.

    Returns how many people lost their vouching.
    """
    row = db.session.get(JoinCode, code_id)
    if row is None:
        raise NotFound("There is no join code with that number.")
    row.revoked_at = row.revoked_at or utcnow()
    members = []
    if unvouch:
        members = list(db.session.scalars(sa.select(User).where(User.join_code_id == row.id)))
        for user in members:
            user.join_code_id = None
            releases.membership_changed(user)
    db.session.commit()
    return len(members)


def _usable(code: str) -> JoinCode:
    """The code's row, if it can be used now; else Invalid naming the join_code field."""
    row = db.session.scalar(sa.select(JoinCode).where(JoinCode.code_hash == _digest(code)))
    found = state(row) if row is not None else "revoked"
    if found == "expired":
        raise Invalid(EXPIRED, FIELD)
    if found == "used up":
        raise Invalid(USED_UP, FIELD)
    if found != "active":
        raise Invalid(UNKNOWN, FIELD)  # revoked reads as unknown: it says nothing more
    return row


def use(user: User, code: str) -> JoinCode:
    """Spend one use of a code on this person: their area (and setting) become the code's,
    vouched for. Raises Invalid (changing nothing) for a wrong, expired or used-up code.

    The caller commits. The use is one conditional UPDATE, so two people taking the last
    use at once cannot both have it.
    """
    row = _usable(code)
    table = JoinCode.__table__
    taken = db.session.execute(
        sa.update(table)
        .where(
            table.c.id == row.id,
            sa.or_(table.c.max_uses.is_(None), table.c.uses < table.c.max_uses),
        )
        .values(uses=table.c.uses + 1)
    ).rowcount
    if not taken:
        raise Invalid(USED_UP, FIELD)
    user.area = row.area
    if row.setting is not None:
        user.setting = row.setting
    user.join_code_id = row.id
    if user.id is not None:
        releases.membership_changed(user)
    return row


def join(user: User, code: str) -> User:
    """Join a team with a code (Settings): area vouched for from the next release."""
    use(user, code)  # a refusal comes before any write
    db.session.commit()
    return user


def leave(user: User) -> User:
    """Leave the team: the area stays the person's own word, no longer vouched for."""
    if user.join_code_id is not None:
        user.join_code_id = None
        releases.membership_changed(user)
        db.session.commit()
    return user
