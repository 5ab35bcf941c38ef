"""Throttle keys that name no one.

Flask-Limiter writes a limit's key to its log when the limit is reached, and keeps it in its
store (Redis) for the window. So a key that must follow a person or an account is a keyed
hash of it (HMAC-SHA256 under the app's secret key), never the username or id itself.
"""

import hmac

from flask import Flask, current_app, request
from flask_limiter.util import get_qualified_name

from ..extensions import limiter


def private_key(purpose: str, value: object) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    token = hmac.new(secret, f"{purpose}:{value}".encode(), "sha256")
    return f"{purpose}:{token.hexdigest()[:24]}"


# Flask-Limiter works out every request's limits (the route's, its blueprint's, the
# defaults) before the view runs: on a check-in that was about a twentieth of its time.
# The app sets no default, application or blueprint limits, so a view without a limit of
# its own has none at all; those views are worked out once, when the app is made, and the
# limiter skips them. A limit added to any view later is seen, as this reads the limiter.
UNLIMITED = "unlimited_views"


@limiter.request_filter
def _view_without_limit() -> bool:
    return request.endpoint in current_app.extensions.get(UNLIMITED, ())


def note_views_without_limits(app: Flask) -> None:
    """Call once every blueprint is registered."""
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits:
        return
    with app.app_context():
        app.extensions[UNLIMITED] = frozenset(
            endpoint
            for endpoint, view in app.view_functions.items()
            if not manager.decorated_limits(get_qualified_name(view))
            and not manager.blueprint_limits(app, endpoint.rpartition(".")[0])
        )
