"""Request guards and response headers: the CSRF defence, every API write's body parsed once
(backend/bodies.py), no NUL in an address, and the security headers."""

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

from .bodies import UNSTORABLE, is_storable_text
from .services.problems import Invalid

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def _same_origin(origin: str) -> bool:
    if origin in current_app.config.get("ALLOWED_ORIGINS", []):
        return True
    parts = urlsplit(origin)
    return parts.netloc == request.host and parts.scheme == request.scheme


def refuse_cross_site_writes():
    """State changes must come from our own pages, as JSON.

    A form or text/plain body is what a cross-site page can send without a preflight, and
    browsers add Origin to every cross-site write: refusing both is the CSRF defence.
    """
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return None
    origin = request.headers.get("Origin")
    if origin is not None and not _same_origin(origin):
        abort(403, "Requests from other sites are not accepted.")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403, "Requests from other sites are not accepted.")
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if (has_body or request.mimetype) and not request.is_json:
        abort(415, "Please send JSON (Content-Type: application/json).")
    if has_body:
        # Parsed here, once, for every route (bodies.py limits how deeply it may nest);
        # what the view's schema reads is this same result.
        request.get_json()
    return None


def refuse_unstorable_text():
    """A NUL in the path or the query string is refused before it reaches a database query:
    in a value, a 422 naming the field; in the path or a name, a 400."""
    if not request.path.startswith("/api/"):
        return None
    if not is_storable_text([request.path, *request.args.keys()]):
        abort(400, UNSTORABLE)
    for name, value in request.args.items(multi=True):
        if not is_storable_text(value):
            raise Invalid(UNSTORABLE, name, "query")
    return None


def add_security_headers(response):
    """Headers every response carries; /api answers are never stored by caches."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["DIARY_ENV"] not in {"development", "test"}:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/api/"):
        headers["Cache-Control"] = "no-store"
    return response


def register_guards(app: Flask) -> None:
    app.before_request(refuse_cross_site_writes)
    app.before_request(refuse_unstorable_text)
    app.after_request(add_security_headers)
