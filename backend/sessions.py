"""Session lifetimes: an idle timeout and an absolute one, by role.

Staff use their own phone, where signing in again and again would keep people away from
their diary: 14 days idle, 90 days at most. Researchers and administrators, on shared
desktops with wider access, get 30 minutes idle and 12 hours at most. Configurable.
"""

from datetime import datetime, timedelta

from flask import Flask, current_app, session
from flask_login import current_user, logout_user

from .models.types import utcnow
from .services.accounts import verify_password
from .services.problems import Forbidden, Invalid

# Tests replace this to move time on.
clock = utcnow

DEFAULTS = {
    "SESSION_IDLE_MINUTES_STAFF": 14 * 24 * 60,
    "SESSION_ABSOLUTE_MINUTES_STAFF": 90 * 24 * 60,
    "SESSION_IDLE_MINUTES_PRIVILEGED": 30,
    "SESSION_ABSOLUTE_MINUTES_PRIVILEGED": 12 * 60,
}
# How recent a sign-in must be to add or remove a passkey or make a new recovery key.
RECENT = timedelta(minutes=10)
# How long after a right password a researcher's passkey may finish signing in.
SECOND_STEP_WAIT = timedelta(minutes=5)
# Refresh the "last seen" stamp at most this often, so not every request re-sets the cookie.
TOUCH_EVERY = timedelta(minutes=1)


def limits_for(role: str) -> tuple[timedelta, timedelta]:
    suffix = "STAFF" if role == "staff" else "PRIVILEGED"
    config = current_app.config
    return (
        timedelta(minutes=config[f"SESSION_IDLE_MINUTES_{suffix}"]),
        timedelta(minutes=config[f"SESSION_ABSOLUTE_MINUTES_{suffix}"]),
    )


def stamp_new_session() -> None:
    """Call at sign-in: the session's start and last activity are now."""
    now = clock().timestamp()
    session["started"] = now
    session["seen"] = now


def stamp_confirmed() -> None:
    """The person has just shown it is them (their password): a recent sign-in again."""
    session["confirmed"] = clock().timestamp()


def signed_in_recently() -> bool:
    """Signed in, or confirmed with the password, within the last RECENT."""
    latest = max(session.get("started", 0), session.get("confirmed", 0))
    return clock().timestamp() - latest <= RECENT.total_seconds()


def require_recent_sign_in(user, password: str | None) -> None:
    """For changes that could hand the account to someone else (a passkey, the recovery key).

    A phone left signed in for days is not enough: a sign-in within RECENT, or the password.
    """
    if signed_in_recently():
        return
    if not password:
        raise Forbidden("To keep your diary safe, please enter your password first.", "password")
    if not verify_password(user.password_hash, password):
        raise Invalid("That is not your password.", "password")
    stamp_confirmed()


def await_second_step(user) -> None:
    """The password was right; a passkey may complete this sign-in within SECOND_STEP_WAIT."""
    session["second_step"] = {
        "user": user.id,
        "version": user.session_version,
        "at": clock().timestamp(),
    }


def awaiting_second_step() -> tuple[int, int] | None:
    """(user id, session version) whose password was just given here, if still fresh."""
    waiting = session.get("second_step")
    if not isinstance(waiting, dict):
        return None
    if clock().timestamp() - waiting.get("at", 0) > SECOND_STEP_WAIT.total_seconds():
        return None
    return waiting.get("user"), waiting.get("version")


def end_stale_session() -> None:
    """Before each request: sign out a session that sat idle too long or lived too long."""
    if not current_user.is_authenticated:
        return
    idle, absolute = limits_for(current_user.role)
    now = clock()
    started = datetime.fromtimestamp(session.get("started", 0), now.tzinfo)
    seen = datetime.fromtimestamp(session.get("seen", 0), now.tzinfo)
    if now - seen > idle or now - started > absolute:
        logout_user()
        session.clear()
        return
    if now - seen > TOUCH_EVERY:
        session["seen"] = now.timestamp()


def register_session_rules(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    longest = max(
        app.config["SESSION_ABSOLUTE_MINUTES_STAFF"],
        app.config["SESSION_ABSOLUTE_MINUTES_PRIVILEGED"],
    )
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=longest)
    # Flask would re-sign and re-send the cookie on every answer; the "seen" stamp above
    # already renews it (and its expiry) once a minute while the person is active.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.before_request(end_stale_session)
