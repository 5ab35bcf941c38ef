"""Passkeys: signing in with a device's key instead of a password (WebAuthn).

The one door of the package. Inside: credentials registers, lists and checks a person's
passkeys, challenges keeps the one-time challenges they answer, and relying_party says
which site the keys belong to (checked at start-up).
"""

from .credentials import (
    count,
    listed,
    register,
    registration_options,
    remove,
    rename,
    request_options,
    second_step,
    sign_in,
)
from .relying_party import check_settings, origin, rp_id

__all__ = [
    "check_settings",
    "count",
    "listed",
    "origin",
    "register",
    "registration_options",
    "remove",
    "rename",
    "request_options",
    "rp_id",
    "second_step",
    "sign_in",
]
