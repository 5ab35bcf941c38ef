"""Passkeys (WebAuthn, through py_webauthn): add one, sign in with one, name and remove them.

Passkeys are discoverable (the phone offers them without a username) and ask for user
verification where the device can (a fingerprint, face or screen lock). Each ceremony
answers a one-time challenge (services/challenges.py). Every check py_webauthn makes
(origin, relying-party ID, challenge, signature, a sign count that did not go forwards)
and ours (a known credential of the right person, backup eligibility unchanged) refuses
with a 4xx and writes nothing but the spent challenge.
"""

import secrets

import sqlalchemy as sa
import webauthn
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ...extensions import db
from ...models import Passkey, User
from ...models.types import utcnow
from ..problems import Forbidden, Invalid, NotFound, Unauthorised
from . import challenges, relying_party

TIMEOUT_MS = 120_000
NAME_LENGTH = 60
TRANSPORTS = {t.value for t in AuthenticatorTransport}
NOT_RECOGNISED = "That passkey was not recognised. Please try again, or use your password."


def count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Passkey).where(Passkey.user_id == user.id)
    )


def listed(user: User) -> list[Passkey]:
    """The person's passkeys, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)
        )
    )


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=p.credential_id,
            transports=[AuthenticatorTransport(t) for t in p.transports.split() if t],
        )
        for p in listed(user)
    ]


def registration_options(user: User) -> tuple[str, dict]:
    """Options for navigator.credentials.create(), and the session token of their challenge."""
    if user.passkey_handle is None:
        # A random handle, not the id: the authenticator keeps it and hands it back.
        user.passkey_handle = secrets.token_bytes(32)
        db.session.commit()
    token, challenge = challenges.issue("register", user.id)
    options = webauthn.generate_registration_options(
        rp_id=relying_party.rp_id(),
        rp_name=relying_party.RP_NAME,
        user_id=user.passkey_handle,
        user_name=user.username,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    return token, webauthn.helpers.options_to_json_dict(options)


def _clean_name(name: str | None, fallback: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > NAME_LENGTH:
        raise Invalid(f"Please use at most {NAME_LENGTH} characters.", "name")
    return name or fallback


def register(user: User, token: str | None, credential: dict, name: str | None = None) -> Passkey:
    """Check the new passkey against its challenge and keep its public key."""
    name = _clean_name(name, f"Passkey {count(user) + 1}")
    challenge = challenges.take(token, "register", user.id)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party.rp_id(),
            expected_origin=relying_party.origin(),
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise Invalid("That passkey could not be added. Please try again.", "credential") from None
    known = sa.select(Passkey.id).where(Passkey.credential_id == verified.credential_id)
    if db.session.scalar(known) is not None:
        raise Invalid("That passkey is already added.", "credential")
    response = credential.get("response") if isinstance(credential, dict) else None
    transports = response.get("transports") if isinstance(response, dict) else None
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
        backed_up=verified.credential_backed_up,
        transports=" ".join(t for t in transports or [] if t in TRANSPORTS),
        name=name,
    )
    db.session.add(passkey)
    db.session.commit()
    return passkey


def request_options(purpose: str, user: User | None = None) -> tuple[str, dict]:
    """Options for navigator.credentials.get(): any of the site's passkeys at sign-in, or
    this person's own for a second step."""
    token, challenge = challenges.issue(purpose, user.id if user else None)
    options = webauthn.generate_authentication_options(
        rp_id=relying_party.rp_id(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user) if user else None,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return token, webauthn.helpers.options_to_json_dict(options)


def _passkey_for(credential: dict) -> Passkey:
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise Unauthorised(NOT_RECOGNISED, "credential") from None
    passkey = db.session.scalar(sa.select(Passkey).where(Passkey.credential_id == raw_id))
    if passkey is None:
        raise Unauthorised(NOT_RECOGNISED, "credential")
    return passkey


def _check_assertion(passkey: Passkey, credential: dict, challenge: bytes) -> None:
    """Verify the signed answer; on success note the new count, backup state and use."""
    user = db.session.get(User, passkey.user_id)
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    try:
        if handle and base64url_to_bytes(handle) != user.passkey_handle:
            raise Unauthorised(NOT_RECOGNISED, "credential")
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party.rp_id(),
            expected_origin=relying_party.origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise Unauthorised(NOT_RECOGNISED, "credential") from None
    eligible = verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE
    if eligible != passkey.backup_eligible:
        raise Unauthorised(NOT_RECOGNISED, "credential")
    passkey.sign_count = verified.new_sign_count
    passkey.backed_up = verified.credential_backed_up
    passkey.last_used_at = utcnow()


def sign_in(token: str | None, credential: dict) -> User:
    """The person whose passkey this is, signing in without a username or password.

    Researchers and administrators sign in with their password and use the passkey as the
    second step (second_step below), so a passkey alone never opens their wider access.
    """
    challenge = challenges.take(token, "sign-in")
    passkey = _passkey_for(credential)
    user = db.session.get(User, passkey.user_id)
    _check_assertion(passkey, credential, challenge)
    if not user.is_staff:
        db.session.rollback()  # a refused sign-in leaves the passkey's record as it was
        raise Forbidden(
            "Please sign in with your username and password; your passkey is the second step."
        )
    db.session.commit()
    return user


def second_step(user: User, token: str | None, credential: dict) -> None:
    """Complete a researcher's or admin's sign-in with one of their own passkeys."""
    challenge = challenges.take(token, "second-step", user.id)
    passkey = _passkey_for(credential)
    if passkey.user_id != user.id:
        raise Unauthorised(NOT_RECOGNISED, "credential")
    _check_assertion(passkey, credential, challenge)
    db.session.commit()


def _own(user: User, passkey_id: int) -> Passkey:
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        raise NotFound("There is no such passkey.")
    return passkey


def rename(user: User, passkey_id: int, name: str) -> Passkey:
    passkey = _own(user, passkey_id)
    cleaned = _clean_name(name, "")
    if not cleaned:
        raise Invalid("Please give it a name.", "name")
    passkey.name = cleaned
    db.session.commit()
    return passkey


def remove(user: User, passkey_id: int) -> None:
    """Remove a passkey; never the last second step of a researcher or admin."""
    passkey = _own(user, passkey_id)
    if not user.is_staff and not user.has_second_factor and count(user) == 1:
        raise Forbidden(
            "This is your only second sign-in step. Set up your authenticator app or add "
            "another passkey before removing it."
        )
    db.session.delete(passkey)
    db.session.commit()
