"""The one JSON error shape, for every 4xx and 5xx the app can give."""

import logging
from http import HTTPStatus

from flask import Flask, jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from .extensions import db
from .services.problems import Problem

log = logging.getLogger(__name__)


def error_body(code: int, message: str | None = None, errors: dict | None = None) -> dict:
    """The shared error body: code, status, message and, for validation, errors."""
    status = HTTPStatus(code).phrase
    body = {"code": code, "status": status, "message": message or status}
    if errors:
        body["errors"] = errors
    return body


def error_response(code: int, message: str | None = None, errors: dict | None = None, headers=None):
    """The shared error body as a response, with any headers to keep."""
    response = jsonify(error_body(code, message, errors))
    response.status_code = code
    for name, value in headers or []:
        response.headers[name] = value
    return response


def _headers_to_keep(exc: HTTPException) -> list[tuple[str, str]]:
    keep = []
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        keep.append(("Allow", ", ".join(sorted(exc.valid_methods))))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        keep.append(("Retry-After", str(int(retry_after))))
    return keep


def handle_http_exception(exc: HTTPException):
    """Turn any werkzeug/flask-smorest/webargs HTTP error into the shared shape."""
    db.session.rollback()
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") or data.get("errors")
    message = data.get("message") or exc.description
    if exc.code == 422 and errors and not data.get("message"):
        message = "Some of what was sent needs changing."
    headers = _headers_to_keep(exc)
    if exc.code == 429:
        message = "Too many tries. Please wait a little and try again."
        limit = getattr(exc, "limit", None)
        if limit is not None and not any(h == "Retry-After" for h, _ in headers):
            headers.append(("Retry-After", str(limit.limit.get_expiry())))
    return error_response(exc.code or 500, message, errors, headers)


def handle_problem(exc: Problem):
    """A service said no: its status, its plain words, and the field it is about."""
    db.session.rollback()
    return error_response(exc.status, exc.message, exc.errors)


def handle_database_unavailable(exc: OperationalError):
    """The database cannot be reached: say so plainly; the app keeps check-ins in its outbox."""
    db.session.rollback()
    log.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig else "unknown")
    return error_response(503, "The diary cannot be reached just now. Please try again soon.")


def handle_unexpected(exc: Exception):
    """Anything unforeseen: log the type and stack (never request bodies), answer 500."""
    db.session.rollback()
    log.exception("unhandled error: %s", type(exc).__name__)
    return error_response(500, InternalServerError.description)


def register_errorhandlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
