"""Passkeys: add one, sign in with one (or use one as a researcher's second step), list,
rename and remove them. The ceremonies' challenges are tied to this session's cookie."""

from flask import session
from flask_login import current_user

from .. import sessions
from ..extensions import db, limiter
from ..models import User
from ..schemas.accounts import UserSchema
from ..schemas.passkeys import (
    CeremonyOptionsSchema,
    ConfirmSchema,
    CredentialSchema,
    NewPasskeySchema,
    PasskeyNameSchema,
    PasskeySchema,
    PasskeySettingsSchema,
)
from ..services import passkeys
from ..services.problems import Unauthorised
from .access import signed_in
from .auth import _address_limit, sign_in_or_up, start_session
from .blueprint import Blueprint

blp = Blueprint(
    "passkeys", __name__, url_prefix="/api/v1/auth/passkeys", description="Passkeys (WebAuthn)"
)

CHALLENGE = "passkey_challenge"


def _options(token: str, options: dict) -> dict:
    session[CHALLENGE] = token  # a newer request replaces an unanswered one
    return {"publicKey": options}


def _waiting_user() -> User:
    waiting = sessions.awaiting_second_step()
    user = db.session.get(User, waiting[0]) if waiting else None
    if user is None or user.session_version != waiting[1]:
        raise Unauthorised("Please enter your username and password first.")
    return user


@blp.view("GET", "/settings", returns=PasskeySettingsSchema)
def settings():
    """The relying-party ID and the one address passkeys work at."""
    return {"rp_id": passkeys.rp_id(), "origin": passkeys.origin()}


@blp.view("GET", "", signed_in, returns=PasskeySchema(many=True))
def list_passkeys():
    """The signed-in person's passkeys: names and dates, never key material."""
    return passkeys.listed(current_user)


@blp.view(
    "POST",
    "/registration/options",
    signed_in,
    limiter.limit(_address_limit),
    body=ConfirmSchema,
    returns=CeremonyOptionsSchema,
)
def registration_options(data):
    """Begin adding a passkey (needs a recent sign-in or the password)."""
    sessions.require_recent_sign_in(current_user, data["password"])
    return _options(*passkeys.registration_options(current_user))


@blp.view(
    "POST",
    "/registration",
    signed_in,
    limiter.limit(_address_limit),
    body=NewPasskeySchema,
    status=201,
    returns=PasskeySchema,
)
def register(data):
    """Finish adding a passkey with the browser's answer."""
    token = session.pop(CHALLENGE, None)
    return passkeys.register(current_user, token, data["credential"], data["name"])


@blp.view("POST", "/sign-in/options", limiter.limit(_address_limit), returns=CeremonyOptionsSchema)
def sign_in_options():
    """Begin signing in with a passkey, no username needed."""
    return _options(*passkeys.request_options("sign-in"))


@blp.view("POST", "/sign-in", sign_in_or_up, body=CredentialSchema, returns=UserSchema)
def sign_in(data):
    """Finish signing in with a passkey (staff; researchers use it as their second step)."""
    user = passkeys.sign_in(session.pop(CHALLENGE, None), data["credential"])
    start_session(user)
    return user


@blp.view(
    "POST", "/second-step/options", limiter.limit(_address_limit), returns=CeremonyOptionsSchema
)
def second_step_options():
    """After a right password: options for the person's own passkeys."""
    return _options(*passkeys.request_options("second-step", _waiting_user()))


@blp.view("POST", "/second-step", sign_in_or_up, body=CredentialSchema, returns=UserSchema)
def second_step(data):
    """Finish a researcher's or admin's sign-in with their passkey."""
    user = _waiting_user()
    passkeys.second_step(user, session.pop(CHALLENGE, None), data["credential"])
    start_session(user)
    return user


@blp.view(
    "PATCH",
    "/<int(max=2147483647):passkey_id>",
    signed_in,
    body=PasskeyNameSchema,
    returns=PasskeySchema,
)
def rename(data, passkey_id):
    """Give a passkey a name the person will recognise."""
    return passkeys.rename(current_user, passkey_id, data["name"])


@blp.view(
    "DELETE",
    "/<int(max=2147483647):passkey_id>",
    signed_in,
    limiter.limit(_address_limit),
    body=ConfirmSchema,
    status=204,
)
def remove(data, passkey_id):
    """Remove a passkey (needs a recent sign-in or the password)."""
    sessions.require_recent_sign_in(current_user, data["password"])
    passkeys.remove(current_user, passkey_id)
