"""Throttle keys that name no one.

Flask-Limiter writes a limit's key to its log when the limit is reached, and keeps it in its
store (Redis) for the window. So a key that must follow a person or an account is a keyed
hash of it (HMAC-SHA256 under the app's secret key), never the username or id itself.
"""

import hmac

from flask import current_app


def private_key(purpose: str, value: object) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    token = hmac.new(secret, f"{purpose}:{value}".encode(), "sha256")
    return f"{purpose}:{token.hexdigest()[:24]}"
