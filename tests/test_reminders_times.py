"""When reminders fall due: wall-clock times in the person's zone, across daylight saving."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.extensions import db
from backend.models import User
from backend.models.reminders import WEEKDAYS, ReminderSchedule
from backend.services.reminders import schedule as reminders
from tests.pushservice import PushService

LONDON = ZoneInfo("Europe/London")


def schedule(times=("07:30",), weekdays=WEEKDAYS, zone="Europe/London", paused_until=None):
    return ReminderSchedule(
        enabled=True,
        times=list(times),
        weekdays=list(weekdays),
        time_zone=zone,
        paused_until=paused_until,
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def dues(s: ReminderSchedule, start: datetime, count: int) -> list[datetime]:
    """The next `count` due moments after `start`, each computed from the one before."""
    found, moment = [], start
    for _ in range(count):
        moment = reminders.next_due(s, moment)
        found.append(moment)
    return found


def test_0730_london_stays_0730_across_the_march_change():
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    found = dues(schedule(), utc(2026, 3, 27, 12), 3)
    assert found == [utc(2026, 3, 28, 7, 30), utc(2026, 3, 29, 6, 30), utc(2026, 3, 30, 6, 30)]
    assert {d.astimezone(LONDON).strftime("%H:%M") for d in found} == {"07:30"}


def test_0730_london_stays_0730_across_the_october_change():
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    found = dues(schedule(), utc(2026, 10, 23, 12), 3)
    assert found == [utc(2026, 10, 24, 6, 30), utc(2026, 10, 25, 7, 30), utc(2026, 10, 26, 7, 30)]
    assert {d.astimezone(LONDON).strftime("%H:%M") for d in found} == {"07:30"}


def test_a_time_that_happens_twice_in_autumn_fires_once():
    found = dues(schedule(times=["01:30"]), utc(2026, 10, 24, 12), 2)
    # 01:30 BST (00:30 UTC) on the 25th, and not again at 01:30 GMT an hour later.
    assert found == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]


def test_a_time_skipped_in_spring_fires_just_after_the_gap():
    found = dues(schedule(times=["01:30"]), utc(2026, 3, 28, 12), 2)
    assert found[0] == utc(2026, 3, 29, 1, 30)  # 02:30 BST: the first moment after the gap
    assert found[0].astimezone(LONDON).hour == 2
    assert found[1] == utc(2026, 3, 30, 0, 30)


def test_other_zones_and_their_own_changes():
    # New York moves on 8 March 2026, a fortnight before London.
    found = dues(schedule(zone="America/New_York"), utc(2026, 3, 6, 20), 3)
    assert found == [utc(2026, 3, 7, 12, 30), utc(2026, 3, 8, 11, 30), utc(2026, 3, 9, 11, 30)]
    india = reminders.next_due(schedule(times=["21:00"], zone="Asia/Kolkata"), utc(2026, 1, 1))
    assert india == utc(2026, 1, 1, 15, 30)


def test_weekdays_times_and_a_pause():
    s = schedule(times=["19:00", "08:15"], weekdays=["tue", "sat"])
    # Monday 1 June 2026 noon -> Tuesday 08:15 BST, Tuesday 19:00, then Saturday 08:15.
    assert dues(s, utc(2026, 6, 1, 11), 3) == [
        utc(2026, 6, 2, 7, 15),
        utc(2026, 6, 2, 18, 0),
        utc(2026, 6, 6, 7, 15),
    ]
    s.paused_until = date(2026, 6, 10)  # a Wednesday: the next Saturday is the 13th
    assert reminders.next_due(s, utc(2026, 6, 1, 11)) == utc(2026, 6, 13, 7, 15)


def test_nothing_due_when_off_or_empty():
    assert reminders.next_due(schedule(weekdays=[]), utc(2026, 6, 1)) is None
    off = schedule()
    off.enabled = False
    assert reminders.next_due(off, utc(2026, 6, 1)) is None


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": True}


@pytest.mark.parametrize(
    "saved_at, days",
    [
        (utc(2026, 3, 27, 12), [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]),
        (utc(2026, 10, 23, 12), [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)]),
    ],
    ids=["march", "october"],
)
def test_the_job_run_every_minute_sends_at_0730_local_once_a_day(app, signed_in, saved_at, days):
    """The scheduler's view: the job runs each minute with a controlled clock."""
    client, person = signed_in()
    with PushService() as push:
        device = push.new_device()
        client.post("/api/v1/push/subscriptions", json=device.subscription_json())
        client.put("/api/v1/reminders", json={"enabled": True, "times": ["07:30"]})
        sent_at = []
        with app.app_context():
            reminders.update_schedule(db.session.get(User, person.id), {}, now=saved_at)
            for day in days:
                # Every minute from 05:00 to 08:59 UTC covers 07:30 in both GMT and BST.
                start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)
                for minute in range(240):
                    now = start + timedelta(minutes=minute)
                    sent_at += [now] * reminders.send_due(app, now)["sent"]
        assert len(push.delivered_to(device)) == len(days)
    expected = [datetime.combine(day, time(7, 30), tzinfo=LONDON) for day in days]
    assert sent_at == expected
