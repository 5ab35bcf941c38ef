"""Sign-up, sign-in, sign-out, the current person, password change and the recovery key."""

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user

from .. import sessions
from ..extensions import limiter
from ..schemas.accounts import (
    LoginSchema,
    PasswordChangeSchema,
    PasswordSchema,
    RecoveryCodesSchema,
    RegisterSchema,
    TotpCodeSchema,
    TotpStartSchema,
    UserSchema,
)
from ..schemas.passkeys import (
    ConfirmSchema,
    RecoverSchema,
    RecoveryKeySchema,
    UserWithKeySchema,
    WithKey,
)
from ..services import accounts, releases
from ..services.problems import Unauthorised
from .access import signed_in
from .blueprint import Blueprint
from .throttle import private_key

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and sessions")


def _username_key() -> str:
    """Throttle by the account being tried, whatever address it comes from."""
    body = request.get_json(silent=True)
    name = body.get("username") if isinstance(body, dict) else None
    return private_key(
        "account", accounts.normalise_username(name) if isinstance(name, str) else ""
    )


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


# Sign-ups and sign-ins from one address draw on one budget: each costs an argon2 hash, and
# an address stopped from guessing passwords must not carry on by making accounts.
sign_in_or_up = limiter.shared_limit(_address_limit, scope="sign-in-or-up")


def start_session(user) -> None:
    """Sign this person in on a fresh cookie: nothing from before carries over."""
    session.clear()
    login_user(user)
    session.permanent = True
    sessions.stamp_new_session()


@blp.view(
    "POST", "/register", sign_in_or_up, body=RegisterSchema, status=201, returns=UserWithKeySchema
)
def register(data):
    """Create a staff account and sign in; the answer carries the recovery key, this once."""
    key = accounts.new_recovery_key()
    user = accounts.register(**data, recovery_key=key)
    releases.note_signup(user, request.remote_addr)
    start_session(user)
    return WithKey(user, key)


@blp.view(
    "POST",
    "/login",
    sign_in_or_up,
    limiter.limit(_account_limit, key_func=_username_key),
    body=LoginSchema,
    returns=UserSchema,
)
def login(data):
    """Sign in with username and password."""
    user = accounts.authenticate(data["username"], data["password"])
    try:
        accounts.check_sign_in(user, data.get("totp"), data.get("recovery_code"))
    except Unauthorised:
        if accounts.passkey_is_second_step(user):
            # The password was right: the passkey routes may now finish this sign-in.
            sessions.await_second_step(user)
        raise
    start_session(user)
    return user


@blp.view(
    "POST",
    "/recover",
    sign_in_or_up,
    limiter.limit(_account_limit, key_func=_username_key),
    body=RecoverSchema,
    returns=UserWithKeySchema,
)
def recover(data):
    """Forgotten password: username, recovery key and a new password. Every session ends,
    this one is signed in, and a new recovery key is shown (the used one stops working)."""
    user, key = accounts.recover(
        data["username"],
        data["recovery_key"],
        data["new_password"],
        data.get("totp"),
        data.get("recovery_code"),
    )
    start_session(user)
    return WithKey(user, key)


@blp.view(
    "POST",
    "/recovery-key",
    signed_in,
    limiter.limit(_address_limit),
    body=ConfirmSchema,
    status=201,
    returns=RecoveryKeySchema,
)
def new_recovery_key(data):
    """A new recovery key in place of the old one (needs a recent sign-in or the password)."""
    sessions.require_recent_sign_in(current_user, data["password"])
    return {"recovery_key": accounts.replace_recovery_key(current_user)}


@blp.view("POST", "/logout", status=204)
def logout():
    """Sign out, ending every session of this person on every device."""
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
    logout_user()
    session.clear()


@blp.view("GET", "/me", signed_in, returns=UserSchema)
def me():
    """The signed-in person."""
    return current_user


@blp.view(
    "PUT",
    "/password",
    signed_in,
    limiter.limit(_address_limit),
    body=PasswordChangeSchema,
    status=204,
)
def change_password(data):
    """Change password; every other session ends, this one carries on."""
    accounts.change_password(current_user, data["current_password"], data["new_password"])
    start_session(current_user)


@blp.view("POST", "/totp", signed_in, status=201, returns=TotpStartSchema)
def start_totp():
    """Begin setting up a second sign-in step: a secret for an authenticator app."""
    return accounts.start_second_factor(current_user)


@blp.view(
    "PUT",
    "/totp",
    signed_in,
    limiter.limit(_address_limit),
    body=TotpCodeSchema,
    returns=RecoveryCodesSchema,
)
def confirm_totp(data):
    """Switch the second step on with a first code; returns one-time recovery codes."""
    return {"recovery_codes": accounts.confirm_second_factor(current_user, data["code"])}


@blp.view("DELETE", "/totp", signed_in, body=PasswordSchema, status=204)
def turn_off_totp(data):
    """Turn the second step off (staff only; needs the password)."""
    accounts.turn_off_second_factor(current_user, data["password"])
