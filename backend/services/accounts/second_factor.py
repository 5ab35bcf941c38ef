"""Second factor: TOTP (RFC 6238) with one-time recovery codes.

Researchers, practitioners and administrators must have one (the CLI sets it up when it
creates their account); staff may turn it on. The secret is sealed at rest like a note;
recovery codes are kept only as SHA-256 hashes (long random strings: a fast hash is enough).
"""

import hashlib
import secrets

import pyotp
import sqlalchemy as sa

from ...extensions import db
from ...models import RecoveryCode, User
from ...models.types import utcnow
from .. import passkeys
from ..crypto import seal, unseal
from ..problems import Conflict, Forbidden, Invalid, Unauthorised
from .passwords import verify_password

ISSUER = "Wellbeing Diary"
RECOVERY_CODES = 10
PURPOSE = "totp"


def required_for(user: User) -> bool:
    return user.role in {"researcher", "practitioner", "admin"}


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def _totp(user: User) -> pyotp.TOTP:
    return pyotp.TOTP(unseal(PURPOSE, user.id, "totp", user.totp_sealed), issuer=ISSUER)


def start(user: User) -> dict:
    """Make a new secret (not yet in force) and the otpauth:// link for an authenticator app.

    Refused while a second step is on: replacing it would switch it off, and a borrowed
    session must not be able to do that without the password.
    """
    if user.has_second_factor:
        raise Conflict("The second step is already on. Turn it off first to set it up again.")
    return _new_secret(user)


def _new_secret(user: User) -> dict:
    secret = pyotp.random_base32()
    user.totp_sealed = seal(PURPOSE, user.id, "totp", secret)
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.commit()
    uri = pyotp.TOTP(secret, issuer=ISSUER).provisioning_uri(name=user.username)
    return {"secret": secret, "otpauth_uri": uri}


def confirm(user: User, code: str) -> list[str]:
    """Put the secret in force once a code from it checks out; returns new recovery codes."""
    if user.totp_sealed is None:
        raise Invalid("Please start setting up the second step first.", "code")
    if not _accept_code(user, code):
        raise Invalid(
            "That code did not match. Check the time on your phone and try again.", "code"
        )
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def enrol_now(user: User) -> dict:
    """Set up and switch on a second factor at once (the CLI: new accounts, lost phones)."""
    details = _new_secret(user)
    user.totp_enabled_at = utcnow()
    details["recovery_codes"] = _new_recovery_codes(user)
    db.session.commit()
    return details


def turn_off(user: User, password: str) -> None:
    """Turn the authenticator app off; a researcher or admin needs a passkey in its place."""
    if required_for(user) and passkeys.count(user) == 0:
        raise Forbidden(
            "Researcher and administrator accounts always need a second step. "
            "Add a passkey first if you would rather use one."
        )
    if not verify_password(user.password_hash, password):
        raise Invalid("That is not your password.", "password")
    user.totp_sealed = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()


def passkey_is_second_step(user: User) -> bool:
    """Researchers and admins may use a passkey as their second step (after the password)."""
    return required_for(user) and passkeys.count(user) > 0


def check_sign_in(
    user: User, code: str | None, recovery_code: str | None, commit: bool = True
) -> None:
    """Raise unless the second step is satisfied for this sign-in (by a code or a recovery code).

    An account whose only second step is a passkey is told to use it: the passkey routes
    complete that sign-in (api/passkeys.py).
    """
    by_passkey = passkey_is_second_step(user)
    if not user.has_second_factor and not by_passkey:
        if required_for(user):
            raise Forbidden(
                "This account needs a second sign-in step before it can be used. "
                "Please ask your administrator to set it up."
            )
        return
    if user.has_second_factor:
        if (code and _accept_code(user, code)) or (
            recovery_code and _use_recovery_code(user, recovery_code)
        ):
            if commit:
                db.session.commit()
            return
        if code or recovery_code:
            raise Unauthorised("That code did not match. Please try again.", "totp")
    if by_passkey and not user.has_second_factor:
        raise Unauthorised("Please confirm it's you with your passkey.", "passkey")
    if by_passkey:
        raise Unauthorised(
            "Please confirm it's you with your passkey, or enter the 6-digit code "
            "from your authenticator app.",
            "totp",
        )
    raise Unauthorised("Please enter the 6-digit code from your authenticator app.", "totp")


def _accept_code(user: User, code: str) -> bool:
    """A current code, used once: a code seen before (same time step or earlier) is refused."""
    totp = _totp(user)
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit()):
        return False  # compare_digest refuses non-ASCII text; no such code can match anyway
    now_step = totp.timecode(utcnow())
    for step in (now_step, now_step - 1, now_step + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    row = db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True
