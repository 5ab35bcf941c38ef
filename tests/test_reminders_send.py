"""Sending reminders for real (pywebpush, unmodified) to the push-service double on 127.0.0.1."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from backend.extensions import db
from backend.models import User
from backend.models.reminders import PushSubscription, ReminderRun
from backend.services.reminders import schedule as reminders
from backend.services.reminders import webpush
from tests.conftest import put_entry
from tests.pushservice import PushService

# Every payload the server may ever push, word for word: nothing personal can slip in.
ALLOWED_PAYLOADS = [
    {"title": "Wellbeing Diary", "body": "A moment for your check-in?"},
    {"title": "Wellbeing Diary", "body": "Reminders are working. This is how they will look."},
]
REMINDER = ALLOWED_PAYLOADS[0]
MONDAY_0730_LONDON = datetime(2026, 6, 1, 6, 30, tzinfo=UTC)  # BST: 07:30 local
SUNDAY_BEFORE = MONDAY_0730_LONDON - timedelta(days=1)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": True, "PUSH_RETRY_BACKOFF_SECONDS": 0.01}


@pytest.fixture
def push(app, caplog):
    """The double, expecting the app's own VAPID key; afterwards, every payload is checked
    against the allow-list and no log line (at the app's INFO level) may hold an endpoint."""
    caplog.set_level(logging.INFO)
    with PushService(expected_vapid_key=webpush.public_key(app)) as service:
        yield service
    assert service.refusals == []
    for delivery in service.deliveries:
        assert json.loads(delivery.plaintext) in ALLOWED_PAYLOADS
    assert "/push/" not in caplog.text


@pytest.fixture
def person_with_devices(app, signed_in, push):
    """person_with_devices(n, **settings) -> (client, [devices]) with a reminder set up."""

    def make(devices=1, saved_at=SUNDAY_BEFORE, **settings):
        client, person = signed_in()
        made = [push.new_device() for _ in range(devices)]
        for device in made:
            answer = client.post("/api/v1/push/subscriptions", json=device.subscription_json())
            assert answer.status_code == 204, answer.get_json()
        body = {"enabled": True, "times": ["07:30"], "weekdays": ["mon"], **settings}
        assert client.put("/api/v1/reminders", json=body).status_code == 200
        with app.app_context():  # as if saved at `saved_at`: the next one due counts from then
            reminders.update_schedule(db.session.get(User, person.id), {}, now=saved_at)
        return client, made

    return make


def send_at(app, now):
    with app.app_context():
        return reminders.send_due(app, now)


def make_due(app, now):
    """Bring every enabled schedule's next reminder to `now`, as the clock would."""
    from backend.models.reminders import ReminderSchedule

    with app.app_context():
        for schedule in db.session.query(ReminderSchedule).filter_by(enabled=True):
            schedule.next_due_at = now
        db.session.commit()


def test_a_due_reminder_reaches_every_device_once(app, push, person_with_devices):
    _, (phone, tablet) = person_with_devices(devices=2)
    early = send_at(app, MONDAY_0730_LONDON - timedelta(minutes=1))
    assert early["due"] == 0 and push.deliveries == []

    counts = send_at(app, MONDAY_0730_LONDON)
    assert counts == {
        "due": 1, "skipped": 0, "sent": 2, "failed": 0, "removed": 0, "no_device": 0
    }  # fmt: skip
    for device in (phone, tablet):
        (delivery,) = push.delivered_to(device)
        assert delivery.json() == REMINDER
        assert delivery.ttl == app.config["PUSH_TTL_SECONDS"]
        assert delivery.claims["aud"] == push.origin
        assert delivery.claims["sub"] == app.config["VAPID_SUBJECT"]

    # The same minute again, or a second pass, sends nothing more.
    assert send_at(app, MONDAY_0730_LONDON)["sent"] == 0
    assert send_at(app, MONDAY_0730_LONDON + timedelta(seconds=59))["sent"] == 0
    assert len(push.deliveries) == 2
    with app.app_context():
        run = db.session.query(ReminderRun).order_by(ReminderRun.id).first()
        assert (run.due, run.sent) == (1, 2)


def test_the_next_one_is_a_week_later_for_a_mondays_only_reminder(app, person_with_devices):
    client, _ = person_with_devices()
    send_at(app, MONDAY_0730_LONDON)
    next_due = client.get("/api/v1/reminders").get_json()["next_due_at"]
    assert datetime.fromisoformat(next_due) == MONDAY_0730_LONDON + timedelta(days=7)


def test_not_sent_to_someone_who_checked_in_today(app, push, person_with_devices):
    done, (done_phone,) = person_with_devices()
    # 00:15 BST on the Monday is still Sunday in UTC: it counts as today where they live.
    put_entry(done, occurred_at="2026-05-31T23:15:00+00:00")
    yesterday, (yesterday_phone,) = person_with_devices()
    put_entry(yesterday, occurred_at="2026-05-31T22:45:00+00:00")  # 23:45 BST on Sunday
    regardless, (regardless_phone,) = person_with_devices(only_if_not_checked_in=False)
    put_entry(regardless, occurred_at="2026-06-01T05:00:00+00:00")

    counts = send_at(app, MONDAY_0730_LONDON)
    assert (counts["due"], counts["skipped"], counts["sent"]) == (3, 1, 2)
    assert push.delivered_to(done_phone) == []
    assert len(push.delivered_to(yesterday_phone)) == 1
    assert len(push.delivered_to(regardless_phone)) == 1


def test_a_pause_holds_reminders_until_its_date(app, push, person_with_devices):
    client, (phone,) = person_with_devices(
        weekdays=["mon", "tue", "wed"], paused_until="2026-06-03"
    )
    # Saved on a Sunday: the first reminder is on the Wednesday the pause ends.
    next_due = client.get("/api/v1/reminders").get_json()["next_due_at"]
    assert datetime.fromisoformat(next_due) == MONDAY_0730_LONDON + timedelta(days=2)
    assert send_at(app, MONDAY_0730_LONDON)["due"] == 0
    assert send_at(app, MONDAY_0730_LONDON + timedelta(days=1))["due"] == 0
    assert send_at(app, MONDAY_0730_LONDON + timedelta(days=2))["sent"] == 1
    assert client.get("/api/v1/reminders").get_json()["paused_until"] == "2026-06-03"
    assert len(push.delivered_to(phone)) == 1


def test_a_gone_device_is_forgotten_and_the_others_still_get_theirs(app, push, person_with_devices):
    client, (old_phone, new_phone) = person_with_devices(devices=2)
    push.unsubscribe(old_phone)
    counts = send_at(app, MONDAY_0730_LONDON)
    assert (counts["sent"], counts["removed"]) == (1, 1)
    assert len(push.delivered_to(new_phone)) == 1
    assert client.get("/api/v1/reminders").get_json()["devices"] == 1
    with app.app_context():
        left = db.session.query(PushSubscription.endpoint).scalar()
        assert left == new_phone.endpoint


def test_a_busy_push_service_is_tried_again_a_bounded_number_of_times(
    app, push, person_with_devices
):
    _, (patient, busy, fine) = person_with_devices(devices=3)
    push.answer(patient, 503, 429)  # busy twice, then accepts
    push.answer(busy, 503, 503, 503, 503, 503)  # busy for longer than we retry
    counts = send_at(app, MONDAY_0730_LONDON)
    assert (counts["sent"], counts["failed"], counts["removed"]) == (2, 1, 0)
    assert len(push.delivered_to(patient)) == 1
    assert push.delivered_to(busy) == []
    assert len(push.delivered_to(fine)) == 1
    retries = app.config["PUSH_RETRIES"]
    assert push.attempts[busy.endpoint.rsplit("/", 1)[-1]] == retries + 1
    with app.app_context():  # a busy service is no reason to forget the device
        assert db.session.query(PushSubscription).count() == 3


def test_a_long_missed_reminder_is_not_sent_late(app, push, person_with_devices):
    person_with_devices()
    make_due(app, MONDAY_0730_LONDON)
    counts = send_at(app, MONDAY_0730_LONDON + timedelta(hours=3))
    assert (counts["due"], counts["skipped"], counts["sent"]) == (1, 1, 0)
    assert push.deliveries == []


def test_send_me_a_test(app, push, person_with_devices):
    client, (phone,) = person_with_devices(enabled=False)
    answer = client.post("/api/v1/push/test", json={})
    assert answer.status_code == 200
    assert answer.get_json() == {"sent": 1, "failed": 0, "removed": 0}
    (delivery,) = push.delivered_to(phone)
    assert delivery.json() == ALLOWED_PAYLOADS[1]


def test_the_job_function_sends_what_is_due_now(app, push, person_with_devices):
    person_with_devices()
    make_due(app, datetime.now(UTC) - timedelta(seconds=5))
    with app.app_context():
        reminders.send_due_job(app)
    assert len(push.deliveries) == 1


def test_the_scheduler_has_one_reminder_job_on_the_minute(app):
    from backend.jobs import build_scheduler

    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        (job,) = [j for j in scheduler.get_jobs() if j.id == "send-reminders"]
        assert job.next_run_time.second == 0 and job.next_run_time.microsecond == 0
        assert job.trigger.interval == timedelta(minutes=1)
    finally:
        scheduler.shutdown(wait=False)


def test_the_send_due_command_prints_the_counts(app, push, person_with_devices, runner):
    person_with_devices()
    result = runner.invoke(args=["reminders", "send-due", "--now", MONDAY_0730_LONDON.isoformat()])
    assert result.exit_code == 0, result.output
    assert "due=1 skipped=0 sent=1" in result.output
    assert len(push.deliveries) == 1
    naive = runner.invoke(args=["reminders", "send-due", "--now", "2026-06-01T06:30:00"])
    assert naive.exit_code != 0 and "time zone" in naive.output


def test_the_run_command_schedules_the_reminder_job_alone(runner, monkeypatch):
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduled = []
    monkeypatch.setattr(
        BlockingScheduler, "start", lambda self: scheduled.extend(j.id for j in self.get_jobs())
    )
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    assert scheduled == ["send-reminders"]


def test_what_a_pass_records_is_counts_only(app, push, person_with_devices):
    person_with_devices(devices=2)
    send_at(app, MONDAY_0730_LONDON)
    columns = set(ReminderRun.__table__.c.keys())
    assert columns == {"id", "started_at", "finished_at", *reminders.COUNTS}
    with app.app_context():
        (run,) = db.session.query(ReminderRun).all()
        assert {name: getattr(run, name) for name in reminders.COUNTS} == {
            "due": 1, "skipped": 0, "sent": 2, "failed": 0, "removed": 0, "no_device": 0
        }  # fmt: skip
