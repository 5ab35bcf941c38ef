"""A person's devices for reminders: the Web Push subscriptions their browsers gave us.

An endpoint is an address the server will POST to, so it is checked before it is kept:
https only, and never a private or loopback address (plain http to a loopback push
service only when PUSH_ALLOW_LOOPBACK_HTTP is set, for tests and benchmarks). The check
looks at the address as written; a public name that resolves to a private address would
still need a network-level egress rule.
"""

import base64
import binascii
import ipaddress
from urllib.parse import urlsplit

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import User
from ...models.reminders import PushSubscription
from ..problems import Invalid

MAX_DEVICES = 10
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
DELETE_CHUNK = 500


def _decoded(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _is_private_host(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False  # a name, not an address literal


def check_endpoint(endpoint: str) -> None:
    """Raise Invalid unless `endpoint` is a push service address we may send to."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        host = ""
        parts = None
    if parts is not None and host:
        if parts.scheme == "https" and not _is_private_host(host):
            return
        loopback_allowed = current_app.config.get("PUSH_ALLOW_LOOPBACK_HTTP")
        if parts.scheme == "http" and loopback_allowed and host in LOOPBACK_NAMES:
            return
    raise Invalid(
        "That is not a push service address we can use (it must start https://).", "endpoint"
    )


def check_keys(p256dh: str, auth: str) -> None:
    """The browser's P-256 public key and 16-byte auth secret, base64url encoded."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _decoded(p256dh))
    except (ValueError, binascii.Error):
        raise Invalid("That is not a valid P-256 public key.", "keys.p256dh") from None
    try:
        secret = _decoded(auth)
    except (ValueError, binascii.Error):
        secret = b""
    if len(secret) != 16:
        raise Invalid("That is not a valid 16-byte auth secret.", "keys.auth")


def add_device(user: User, endpoint: str, p256dh: str, auth: str) -> None:
    """Keep this device's subscription for the person (a re-sent one replaces the old keys).

    An endpoint belongs to one browser: if another account had it (a shared phone), it moves
    to the person who has just turned reminders on there.
    """
    check_endpoint(endpoint)
    check_keys(p256dh, auth)
    for attempt in range(2):
        device = db.session.scalar(
            sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        if device is None:
            device = PushSubscription(endpoint=endpoint)
            db.session.add(device)
        device.user_id, device.p256dh, device.auth = user.id, p256dh, auth
        try:
            db.session.flush()
        except IntegrityError:
            # The same browser sent it twice at once; the other copy won: update that one.
            db.session.rollback()
            if attempt:
                raise
            continue
        break
    _keep_newest(user.id)
    db.session.commit()


def _keep_newest(user_id: int) -> None:
    ids = db.session.scalars(
        sa.select(PushSubscription.id)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.id.desc())
        .offset(MAX_DEVICES)
    ).all()
    if ids:
        db.session.execute(sa.delete(PushSubscription).where(PushSubscription.id.in_(ids)))


def remove_device(user: User, endpoint: str) -> None:
    """Forget this device for the person (nothing happens if it was not theirs)."""
    db.session.execute(
        sa.delete(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint
        )
    )
    db.session.commit()


def devices_of(user_ids: list[int]) -> list[tuple[str, str, str, int]]:
    """(endpoint, p256dh, auth, user_id, id) of these people's devices."""
    if not user_ids:
        return []
    rows = db.session.execute(
        sa.select(
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
            PushSubscription.user_id,
            PushSubscription.id,
        ).where(PushSubscription.user_id.in_(user_ids))
    )
    return [tuple(row) for row in rows]


def forget_devices(device_ids: list[int]) -> None:
    """Delete subscriptions the push service said are gone (404 or 410)."""
    for i in range(0, len(device_ids), DELETE_CHUNK):
        chunk = device_ids[i : i + DELETE_CHUNK]
        db.session.execute(sa.delete(PushSubscription).where(PushSubscription.id.in_(chunk)))
    db.session.commit()
