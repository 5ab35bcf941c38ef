"""Who the passkeys belong to: the relying-party ID and origin, read from configuration.

A passkey is bound to a relying-party ID (a domain) and checked against the origin the
browser reports. Browsers allow WebAuthn only in a secure context (https, or plain http on
localhost) and never with an IP address as the ID, so the defaults work for `make run` at
http://localhost:5000 but not at http://127.0.0.1:5000. A setting that cannot work is a
start-up error naming the setting, rather than a failure on someone's phone later.
"""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app

RP_NAME = "Wellbeing Diary"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_settings(config) -> None:
    """Refuse to start with a relying-party ID and origin that browsers would refuse."""
    rp_id, origin = config["WEBAUTHN_RP_ID"], config["WEBAUTHN_ORIGIN"]
    if not rp_id or _is_ip(rp_id) or "/" in rp_id or ":" in rp_id:
        raise RuntimeError(
            f"WEBAUTHN_RP_ID is {rp_id!r}: it must be a domain name such as localhost or "
            "diary.example.org (browsers refuse an IP address, a port or a path here)."
        )
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host or parts.path not in {"", "/"}:
        raise RuntimeError(
            f"WEBAUTHN_ORIGIN is {origin!r}: it must be the address the diary is opened at, "
            "such as https://diary.example.org or http://localhost:5000 (no path)."
        )
    if parts.scheme == "http" and host != "localhost":
        raise RuntimeError(
            f"WEBAUTHN_ORIGIN is {origin!r}: browsers allow passkeys over plain http only on "
            "localhost. Use https."
        )
    if host != rp_id.lower() and not host.endswith("." + rp_id.lower()):
        raise RuntimeError(
            f"WEBAUTHN_ORIGIN is {origin!r} but WEBAUTHN_RP_ID is {rp_id!r}: the origin's "
            "host must be the relying-party ID or a subdomain of it."
        )
    config["WEBAUTHN_ORIGIN"] = f"{parts.scheme}://{parts.netloc.lower()}"


def rp_id() -> str:
    return current_app.config["WEBAUTHN_RP_ID"]


def origin() -> str:
    return current_app.config["WEBAUTHN_ORIGIN"]
