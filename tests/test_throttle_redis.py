"""Sign-in throttling held in Redis, so limits hold across gunicorn workers.

Two app instances stand for two workers: each has its own limiter storage connection,
and only a shared store makes the sixth try a 429.
"""

import os

import pytest
import redis

from backend import create_app
from backend.extensions import limiter
from tests.conftest import close_app

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set TEST_REDIS_URL (see .ci/run)")
        pytest.skip("TEST_REDIS_URL not set: Redis throttling runs in CI")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


def test_login_limit_is_shared_between_workers(app_config, make_user, redis_url):
    person = make_user()
    workers = [create_app({**app_config, "REDIS_URL": redis_url}) for _ in range(2)]
    try:
        statuses = []
        for attempt in range(6):
            worker = workers[attempt % 2]
            # Each worker re-binds the process-wide limiter, as its own process would.
            limiter.init_app(worker)
            response = worker.test_client().post(
                "/api/v1/auth/login",
                json={"username": person.username, "password": "wrong guess"},
                environ_base={"REMOTE_ADDR": f"10.1.0.{attempt}"},
            )
            statuses.append(response.status_code)
        assert statuses == [401] * 5 + [429]
        keys = redis.Redis.from_url(redis_url).keys("LIMITS*")
        assert keys, "the limiter wrote nothing to Redis"
    finally:
        for worker in workers:
            close_app(worker)
