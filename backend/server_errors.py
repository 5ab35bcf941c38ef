"""The one error shape for what gunicorn refuses itself, before the app sees a request.

gunicorn reads the request line and headers, and answers a request it cannot or will not
read (a request line over `limit_request_line`, too many or too large headers, a line that
is not HTTP) with an HTML page of its own that repeats part of what was sent. It writes
every such answer through one function, `gunicorn.util.write_error`; gunicorn.conf.py
replaces it with `write_error` here, so those answers are the app's JSON shape too, in
plain words and without echoing the request. tests/test_server_errors.py checks it through
a real gunicorn, so an upgrade that changed that function would fail there.
"""

import json
import logging
from http import HTTPStatus

from .errors import error_body

MESSAGES = {
    400: "The request could not be read.",
    403: "This request is not accepted.",
    414: "The address asked for is too long.",
    417: "The request asked for something this server does not do.",
    431: "The request's headers are too many or too large.",
    500: "Something went wrong on our side. Please try again soon.",
    501: "The request was sent in a way this server does not accept.",
}


def response_bytes(status: int) -> bytes:
    """The whole HTTP/1.1 answer for a request refused with this status, the connection closed."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        status, phrase = 400, HTTPStatus.BAD_REQUEST.phrase
    body = json.dumps(error_body(status, MESSAGES.get(status, phrase))).encode()
    head = (
        f"HTTP/1.1 {status} {phrase}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's signature; `reason` and `mesg` (gunicorn's words) unused."""
    from gunicorn import util

    util.write_nonblock(sock, response_bytes(status_int))


class ForgetRequests(logging.Filter):
    """Keep what gunicorn could not read out of its log, and the address of a request that
    failed: a URL can carry a check-in's id, and logs hold nothing about a person (which is
    also why there is no access log). What happened, and when, stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Invalid request from ip="):
            record.msg, record.args = "Invalid request refused before the app", ()
        elif message.startswith("Error handling request"):
            record.msg, record.args = "Error handling a request", ()
        return True


def install() -> None:
    """Make gunicorn write its own refusals through write_error, and log no request line
    (call from gunicorn.conf.py)."""
    from gunicorn import util

    util.write_error = write_error
    logging.getLogger("gunicorn.error").addFilter(ForgetRequests())
