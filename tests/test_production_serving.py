"""The production configuration, end to end: gunicorn, PostgreSQL, Redis, two workers.

Started as `make serve` starts it (`flask db upgrade`, then `gunicorn -c gunicorn.conf.py`)
with DIARY_ENV=production, WEB_CONCURRENCY=2, DATABASE_URL on a PostgreSQL database of this
test's own and REDIS_URL on Redis db 14. The test stands where a TLS-terminating proxy
would (TRUSTED_PROXIES=1; it sends X-Forwarded-Proto: https and an X-Forwarded-For address
of this run's own, so parallel runs never share a per-address limit).

Through it: a staff member signs up and checks in; a researcher made with the CLI signs in
with a recovery code and holds the live stream open; a release is published; the stream
carries it. Login throttling holds across the two workers: wrong passwords sent to each
worker in turn (the test sees which worker holds each connection) are refused with 429 at
the sixth, because the count lives in Redis.

Needs TEST_DATABASE_URL and TEST_REDIS_URL (CI sets both; under CI=true their absence is a
failure, elsewhere a skip).
"""

import hmac
import http.client
import json
import os
import random
import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.serving import (
    Client,
    Gunicorn,
    connection_owner,
    flask_cli,
    migrate,
    private_postgres,
    require_in_ci,
    server_env,
)

REDIS_DB = 14  # the lead's limiter tests use TEST_REDIS_URL's own db (15 in CI)
PASSWORD = "a long walk on a cold beach"


def redis_url_from(test_redis_url: str) -> str:
    """TEST_REDIS_URL's server, database 14."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(test_redis_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


@pytest.fixture
def services():
    database, redis_test_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not database or not redis_test_url:
        require_in_ci("the production test needs TEST_DATABASE_URL and TEST_REDIS_URL")
    import redis

    url = redis_url_from(redis_test_url)
    store = redis.Redis.from_url(url, socket_timeout=10)
    try:
        store.ping()
    except redis.RedisError as problem:
        store.close()
        require_in_ci(f"Redis at {url} does not answer: {problem}")
    with private_postgres(database, "serve") as (database_url, _admin, _name):
        yield database_url, url, store
    store.close()


def wrong_try(server: Gunicorn, worker: int, headers: dict, username: str):
    """One sign-in with a wrong password, on a connection held by this worker."""
    for _attempt in range(60):
        client = Client(server.port, headers=headers)
        conn = client.connect()
        local = conn.sock.getsockname()[1]
        owner, deadline = None, time.monotonic() + 3
        while owner is None and time.monotonic() < deadline:
            owner = connection_owner(local, server.port, server.worker_pids())
            if owner is None:
                time.sleep(0.01)
        if owner != worker:
            client.close()
            continue
        try:
            reply = client.post(
                "/api/v1/auth/login", {"username": username, "password": "not the password"}
            )
            served_by = connection_owner(local, server.port, server.worker_pids())
        finally:
            client.close()
        assert served_by == worker, "the request did not stay on the chosen worker"
        return reply
    raise AssertionError(f"no connection landed on worker {worker} in 60 tries")


def read_event(response: http.client.HTTPResponse, release_id: int, seconds: float) -> dict:
    """Read the event stream until the event for this release; returns its data."""
    buffer, deadline = "", time.monotonic() + seconds
    while time.monotonic() < deadline:
        chunk = response.read1(65536)
        if not chunk:
            break
        buffer += chunk.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            lines = [line for line in block.splitlines() if ": " in line and line[0] != ":"]
            fields = dict(line.split(": ", 1) for line in lines)
            if fields.get("event") == "release" and fields.get("id") == str(release_id):
                return json.loads(fields["data"])
    raise AssertionError(f"no event for release {release_id} in {seconds} s; had {buffer!r}")


def test_production_configuration_end_to_end(services, tmp_path):
    database_url, redis_url, store = services
    tag = uuid.uuid4().hex[:8]
    env = server_env(
        database_url,
        DIARY_ENV="production",
        TRUSTED_PROXIES="1",
        WEB_CONCURRENCY="2",
        REDIS_URL=redis_url,
    )
    migrate(env)
    made = flask_cli(env, "users", "create-researcher", f"hub_{tag}", "--password", PASSWORD)
    codes = re.search(r"recovery codes: (.+)", made.stdout).group(1).split()
    assert len(codes) >= 2
    address = f"198.51.100.{random.randint(1, 254)}"  # TEST-NET-2: this run's own address
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}
    server = Gunicorn(env, tmp_path / "logs")
    stream_conn, account_key = None, None
    try:
        server.start()
        workers = server.wait_for_workers(2)
        assert len(workers) == 2

        # A staff member signs up (a __Host- cookie, Secure, behind the proxy) and checks in.
        staff = Client(server.port, headers=proxy)
        reply = staff.post(
            "/api/v1/auth/register",
            {"username": f"carer_{tag}", "password": PASSWORD, "research_consent": True,
             "area": "QT6", "role_group": "care_worker", "setting": "home_care"},
        )  # fmt: skip
        assert reply.status == 201, reply.body
        cookie = reply.headers["Set-Cookie"]
        assert cookie.startswith("__Host-diary_session=")
        assert all(flag in cookie for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"))
        assert "includeSubDomains" in reply.headers["Strict-Transport-Security"]
        entry_id = str(uuid.uuid4())
        body = {
            "occurred_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "mood": 2,
            "needs": ["someone_to_talk_to"],
            "note": "served by gunicorn",
        }
        assert staff.put(f"/api/v1/entries/{entry_id}", body).status == 201
        again = staff.get(f"/api/v1/entries/{entry_id}")
        assert again.status == 200 and again.json()["note"] == "served by gunicorn"
        staff.close()

        # The researcher signs in with a recovery code and opens the live stream.
        researcher = Client(server.port, headers=proxy)
        reply = researcher.post(
            "/api/v1/auth/login",
            {"username": f"hub_{tag}", "password": PASSWORD, "recovery_code": codes[0]},
        )
        assert reply.status == 200, reply.body
        assert researcher.get("/api/v1/insights/releases").json()["items"] == []
        stream_conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        stream_conn.request(
            "GET", "/api/v1/insights/stream",
            headers={**researcher.request_headers(None, None), "Accept": "text/event-stream"},
        )  # fmt: skip
        stream = stream_conn.getresponse()
        assert stream.status == 200
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.read1(65536).startswith(b"retry:")

        # A release is published (as the scheduled job does) and reaches the stream.
        published = flask_cli(env, "releases", "publish")
        release_id = int(re.search(r"Published release (\d+)", published.stdout).group(1))
        event = read_event(stream, release_id, seconds=60)
        assert event["id"] == release_id and event["k"] == 10
        stream.close()
        releases = researcher.get("/api/v1/insights/releases").json()["items"]
        assert [r["id"] for r in releases] == [release_id]
        researcher.close()

        # Throttling per account holds across both workers: the sixth wrong try is a 429.
        victim = f"victim_{tag}"
        reg = Client(server.port, headers=proxy)
        reply = reg.post(
            "/api/v1/auth/register",
            {"username": victim, "password": PASSWORD, "research_consent": False},
        )
        reg.close()
        assert reply.status == 201, reply.body
        answers = [wrong_try(server, workers[n % 2], proxy, victim).status for n in range(5)]
        assert answers == [401] * 5
        sixth = wrong_try(server, workers[1], proxy, victim)
        assert sixth.status == 429, sixth.body
        assert sixth.json()["code"] == 429 and int(sixth.headers["Retry-After"]) > 0
        # The count is kept in Redis under a keyed hash of the account, never its name.
        token = hmac.new(env["SECRET_KEY"].encode(), f"account:{victim}".encode(), "sha256")
        account_key = f"account:{token.hexdigest()[:24]}"
        assert list(store.scan_iter(match=f"*{account_key}*", count=1000)), "no limit in Redis"
        assert not list(store.scan_iter(match=f"*{victim}*", count=1000))

        # The scheduler runs in exactly one process: the master.
        log = server.log_text()
        assert log.count("scheduler started with") == 1, log[-3000:]
        assert f"scheduler running in the gunicorn master (pid {server.pgid})" in log
    finally:
        if stream_conn is not None:
            stream_conn.close()
        server.stop()
        for pattern in (f"*{tag}*", f"*{account_key}*" if account_key else tag):
            for key in store.scan_iter(match=pattern, count=1000):
                store.delete(key)
        for key in store.scan_iter(match=f"*{address}*", count=1000):
            store.delete(key)
    assert "Traceback" not in server.log_text(), server.log_tail()
