"""Accounts: sign-up, sign-in, profile, consent, password change and erasure."""

import re

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import User
from ...models.types import utcnow
from .. import champions, hub, join_codes, releases, sql, taxonomy
from ..problems import Conflict, Invalid, Unauthorised
from .passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    spend_as_long_as_a_check,
    verify_password,
)

USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,40}$")
PROFILE_FIELDS = {"area": "areas", "role_group": "role_groups", "setting": "settings"}
# Every signed-in request loads its person: one statement built once (Session.get builds
# its query anew each time, which cost a check-in about a fortieth of its time).
_PERSON = sa.select(User).where(User.id == sa.bindparam("user_id"))


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _check_profile(values: dict) -> None:
    for field, kind in PROFILE_FIELDS.items():
        value = values.get(field)
        if value is not None and value not in taxonomy.codes(kind):
            raise Invalid("Please choose one of the listed options.", field)


def register(
    username: str,
    password: str,
    research_consent: bool,
    recovery_key: str | None = None,
    **profile,
) -> User:
    """Create a staff account (with this recovery key in force, when given).

    Raises Invalid or Conflict; writes nothing when it does.
    """
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise Invalid("Use 3 to 40 letters, numbers, dots, dashes or underscores.", "username")
    check_new_password(password, username)
    values = {f: profile.get(f) for f in PROFILE_FIELDS}
    _check_profile(values)
    # A join code's area (and setting) win over the person's own choice: they are vouched for.
    join_code = profile.get("join_code") or None
    return _create(username, password, "staff", research_consent, values, recovery_key, join_code)


def create_account(username: str, password: str, role: str) -> User:
    """Create a researcher or admin account (from the CLI)."""
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise Invalid("Use 3 to 40 letters, numbers, dots, dashes or underscores.", "username")
    check_new_password(password, username)
    return _create(username, password, role, False, {})


def _create(
    username: str,
    password: str,
    role: str,
    consent: bool,
    profile: dict,
    recovery_key: str | None = None,
    join_code: str | None = None,
) -> User:
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict("That username is taken. Please choose another.", "username")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        research_consent=consent,
        **profile,
    )
    if join_code:
        join_codes.use(user, join_code)  # a refusal comes before any write
    if recovery_key is not None:
        from .recovery import set_key  # recovery builds on this module

        set_key(user, recovery_key)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("That username is taken. Please choose another.", "username") from None
    return user


def find(username: str) -> User | None:
    """The account with this username, if any."""
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))


def authenticate(username: str, password: str) -> User:
    """The account for these credentials, or Unauthorised (same answer for any mistake)."""
    user = find(username)
    if user is None:
        spend_as_long_as_a_check(password)
        raise Unauthorised("That username and password do not match.")
    if not verify_password(user.password_hash, password):
        raise Unauthorised("That username and password do not match.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def signed_in_person(user_id: int, session_version: int) -> User | None:
    """The person a session cookie names, while its session version is still their current one."""
    user = db.session.execute(_PERSON, {"user_id": user_id}).scalar_one_or_none()
    if user is None or user.session_version != session_version:
        return None
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued so far stop working."""
    user.session_version += 1
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise Invalid("That is not your current password.", "current_password")
    check_new_password(new_password, user.username, field="new_password")
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    db.session.commit()


def update_profile(user: User, changes: dict) -> User:
    """Change area, role group, setting or research consent; history keeps its snapshots."""
    _check_profile(changes)
    if user.join_code_id is not None and changes.get("area", user.area) != user.area:
        # An area changed by hand is the person's own word again, no longer vouched for.
        user.join_code_id = None
        releases.membership_changed(user)
    for field in PROFILE_FIELDS:
        if field in changes:
            setattr(user, field, changes[field])
    if "research_consent" in changes and changes["research_consent"] != user.research_consent:
        user.research_consent = changes["research_consent"]
        user.research_consent_changed_at = utcnow()
        releases.consent_changed(user, user.research_consent)
        if not user.research_consent:
            releases.forget_take_up(user)
            champions.forget(user)
    db.session.commit()
    return user


def tables_holding_people() -> list[sa.Table]:
    """Every table with a user_id column: what export and erasure must cover."""
    return [t for t in db.metadata.sorted_tables if "user_id" in t.c]


def erase(user: User, password: str) -> None:
    """Delete the person and every row that carries their id, in one transaction.

    On SQLite no copy then stays in the database files either (sql.leave_no_copy).
    """
    if not verify_password(user.password_hash, password):
        raise Invalid("That is not your password.", "password")
    releases.person_leaving(user)
    releases.forget_take_up(user)
    champions.forget(user)
    hub.forget_marks(user)
    for table in reversed(tables_holding_people()):
        db.session.execute(sa.delete(table).where(table.c.user_id == user.id))
    db.session.execute(sa.delete(User).where(User.id == user.id))
    db.session.commit()
    sql.leave_no_copy()
