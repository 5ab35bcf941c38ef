"""What gunicorn refuses before the app sees a request answers in the one JSON error shape.

Served as `make serve` serves it (`gunicorn -c gunicorn.conf.py`, here over a SQLite file):
an over-long request line, too many headers, one too large a header, and requests that are
not HTTP at all. gunicorn writes those answers itself; backend/server_errors.py makes them
JSON, and this test is what notices if a gunicorn upgrade stops that from working.
"""

import json
import socket

import pytest

from tests.serving import Gunicorn, migrate, server_env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    env = server_env(f"sqlite:///{folder}/diary.sqlite3", SCHEDULER_ENABLED="0")
    migrate(env)
    with Gunicorn(env, folder) as gunicorn:
        yield gunicorn.start()


def exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read until the server closes; (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


def get(target: bytes = b"/api/v1/taxonomy", headers: bytes = b"") -> bytes:
    return (
        b"GET "
        + target
        + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + headers
        + b"Connection: close\r\n\r\n"
    )


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (get(b"/api/v1/entries?cursor=" + b"a" * 5_000), 414),
        (get(b"/api/v1/entries?cursor=" + b"a" * 20_000), 414),
        (get(headers=b"".join(b"X-Extra-%d: 1\r\n" % n for n in range(101))), 431),
        (get(headers=b"Cookie: " + b"c" * 9_000 + b"\r\n"), 431),
        (b"NOT HTTP AT ALL\r\n\r\n", 400),
        (b"GET /api/v1/taxonomy HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 400),
        (get(headers=b"Bad Header: with a space in its name\r\n"), 400),
    ],
    ids=["line-5k", "line-20k", "101-headers", "9k-cookie", "not-http", "version", "header-name"],
)
def test_what_gunicorn_refuses_is_json_in_the_one_shape(server, request_bytes, status):
    code, headers, body = exchange(server.port, request_bytes)
    assert code == status
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    answer = json.loads(body)
    assert answer["code"] == status
    assert set(answer) == {"code", "status", "message"}
    assert b"aaaa" not in body and b"Bad Header" not in body  # nothing sent is echoed


def test_requests_within_the_limits_reach_the_app(server):
    code, headers, body = exchange(server.port, get(headers=b"X-Extra: 1\r\n" * 50))
    assert code == 200
    assert "areas" in json.loads(body)
    code, headers, body = exchange(server.port, get(b"/api/v1/nothing?x=" + b"a" * 3_000))
    assert code == 404
    assert json.loads(body)["code"] == 404


def test_gunicorn_logs_no_line_it_refused(server):
    """A refused request line can carry a check-in's id: it stays out of the log."""
    marker = "0f6b2c1e-5d7a-4c39-9b1e-7a2f4d8c6e13"
    code, _headers, _body = exchange(
        server.port, f"PUT /api/v1/entries/{marker} HTTP/9.9\r\nHost: x\r\n\r\n".encode()
    )
    assert code == 400
    code, _headers, _body = exchange(server.port, get(f"/{marker}?".encode() + b"a" * 5_000))
    assert code == 414
    log = server.log_text()
    assert "Invalid request refused before the app" in log  # what happened is still logged
    assert marker not in log
