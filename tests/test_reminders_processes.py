"""Two scheduler processes at once on one PostgreSQL database never send a reminder twice.

Two real OS processes run this module as a script (the same code the job runs), against the
same database and the same push-service double; the double counts what arrives.
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models.reminders import ReminderSchedule
from tests.conftest import base_config
from tests.pushservice import PushService

PEOPLE = 120
DUE = datetime(2026, 6, 1, 6, 30, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def worker_config(database_url: str, instance: str) -> dict:
    return base_config(
        database_url,
        instance,
        PUSH_ALLOW_LOOPBACK_HTTP=True,
        REMINDER_BATCH_SIZE=4,  # small batches, so the two processes take turns
        PUSH_SENDERS=4,
    )


@pytest.fixture
def app_config(postgres_url, tmp_path):
    """PostgreSQL only: SQLite deployments run a single sender."""
    from tests.conftest import empty_postgres

    empty_postgres(postgres_url)
    instance = tmp_path / "instance"
    instance.mkdir()
    return worker_config(postgres_url, str(instance))


def seed(app, push, people: int) -> list:
    """`people` staff, each with one device at the double and a reminder due at DUE."""
    from backend.models import User
    from backend.models.reminders import PushSubscription

    devices = []
    with app.app_context():
        for n in range(people):
            user = User(username=f"worker{n}", password_hash="x", role="staff")
            db.session.add(user)
            db.session.flush()
            device = push.new_device()
            devices.append(device)
            db.session.add(
                PushSubscription(
                    user_id=user.id,
                    endpoint=device.endpoint,
                    p256dh=device.p256dh,
                    auth=device.auth,
                )
            )
            db.session.add(
                ReminderSchedule(
                    user_id=user.id, enabled=True, times=["07:30"], weekdays=["mon"],
                    time_zone="Europe/London", only_if_not_checked_in=False, next_due_at=DUE,
                )
            )  # fmt: skip
        db.session.commit()
    return devices


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")
def test_two_senders_at_once_send_each_reminder_once(app, app_config):
    # Each push takes the double 20 ms to answer, so one pass lasts over half a second: long
    # enough that two processes started together overlap even on a loaded machine.
    with PushService(latency=0.02) as push:
        devices = seed(app, push, PEOPLE)
        args = [app_config["SQLALCHEMY_DATABASE_URI"], app_config["INSTANCE_PATH"]]
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.test_reminders_processes", *args],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        # The start line: both have loaded the app and connected before either begins.
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))

        per_device = [len(push.delivered_to(d)) for d in devices]
    assert per_device == [1] * PEOPLE
    assert sum(r["sent"] for r in results) == PEOPLE
    assert sum(r["due"] for r in results) == PEOPLE
    # Both really worked at once: each took a share of the batches.
    assert all(r["sent"] > 0 for r in results), results
    with app.app_context():
        left = db.session.scalar(
            sa.select(sa.func.count()).where(ReminderSchedule.next_due_at <= DUE)
        )
        assert left == 0


def _work(database_url: str, instance: str) -> None:
    """One scheduler process: the reminder job's pass at DUE + 20 s, started on cue."""
    from backend import create_app
    from backend.services import reminders

    app = create_app(worker_config(database_url, instance))
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))  # connect before the start line
        print("ready", flush=True)
        sys.stdin.readline()
        counts = reminders.send_due(app, DUE + timedelta(seconds=20))
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(counts))


if __name__ == "__main__":
    _work(sys.argv[1], sys.argv[2])
    sys.exit(os.EX_OK)
