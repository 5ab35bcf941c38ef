"""Reminders: a person's schedule and devices, and the once-a-minute job that nudges them.

Times are wall-clock times in the person's own zone, so a 07:30 reminder stays at 07:30
across daylight-saving changes. The job claims due schedules in batches, moves each to its
next due time in the same transaction, then sends: a claimed reminder is never sent twice,
even by two scheduler processes (on PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`; on
SQLite run a single sender). Only counts are recorded.
"""

import json
import logging
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Entry, User
from ...models.reminders import WEEKDAYS, ReminderRun, ReminderSchedule
from ...models.types import utcnow
from ..problems import Invalid
from . import webpush
from .devices import devices_of, forget_devices

log = logging.getLogger(__name__)

# Everything a push ever says. Fixed and generic: a lock screen is seen by others.
REMINDER_PAYLOAD = json.dumps({"title": "Wellbeing Diary", "body": "A moment for your check-in?"})
TEST_PAYLOAD = json.dumps(
    {"title": "Wellbeing Diary", "body": "Reminders are working. This is how they will look."}
)
# A reminder the job reaches this late (the scheduler was stopped, say) is not sent at all.
STALE_AFTER = timedelta(minutes=30)
PAUSE_LIMIT_DAYS = 366
# The job's interval trigger: every minute, counted from a whole minute, so it runs at :00.
EVERY_MINUTE = {"minutes": 1, "start_date": datetime(2026, 1, 1, tzinfo=UTC)}
COUNTS = ("due", "skipped", "sent", "failed", "removed", "no_device")
SCHEDULE_FIELDS = ("enabled", "times", "weekdays", "time_zone", "only_if_not_checked_in")


def next_due(schedule: ReminderSchedule, after: datetime) -> datetime | None:
    """The first reminder moment strictly after `after`, in UTC; None when there is none.

    A time that falls in a spring-forward gap fires just after it (01:30 becomes 02:30); a
    time that happens twice in autumn fires the first time only.
    """
    if not schedule.enabled or not schedule.times or not schedule.weekdays:
        return None
    zone = ZoneInfo(schedule.time_zone)
    start = after.astimezone(zone).date()
    if schedule.paused_until and schedule.paused_until > start:
        start = schedule.paused_until
    days = {WEEKDAYS.index(day) for day in schedule.weekdays}
    clock = sorted(time.fromisoformat(t) for t in schedule.times)
    for offset in range(8):
        day = start + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        for moment in clock:
            due = datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)
            if due > after:
                return due
    return None


def _local_day(zone_name: str, moment: datetime) -> tuple[datetime, datetime]:
    """The person's calendar day holding `moment`, as a UTC interval [start, end)."""
    zone = ZoneInfo(zone_name)
    day = moment.astimezone(zone).date()
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _checked_in_today(schedules: list[ReminderSchedule], now: datetime) -> set[int]:
    """Of these people, those with a check-in on their own local day of `now`."""
    windows = {s.user_id: _local_day(s.time_zone, now) for s in schedules}
    if not windows:
        return set()
    rows = db.session.execute(
        sa.select(Entry.user_id, Entry.occurred_at).where(
            Entry.user_id.in_(windows),
            Entry.occurred_at >= min(w[0] for w in windows.values()),
            Entry.occurred_at < max(w[1] for w in windows.values()),
        )
    )
    return {uid for uid, at in rows if windows[uid][0] <= at < windows[uid][1]}


def _claim_batch(now: datetime, limit: int, counts: Counter) -> list[tuple]:
    """Take up to `limit` due schedules, move them on, and return the devices to nudge.

    Committed before anything is sent: a crash mid-send loses a nudge rather than doubling it.
    """
    query = (
        sa.select(ReminderSchedule)
        .where(ReminderSchedule.next_due_at <= now)
        .order_by(ReminderSchedule.next_due_at)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    schedules = list(db.session.scalars(query))
    if not schedules:
        db.session.rollback()
        return []
    checked_in = _checked_in_today([s for s in schedules if s.only_if_not_checked_in], now)
    wanted = []
    for schedule in schedules:
        counts["due"] += 1
        if schedule.next_due_at < now - STALE_AFTER or schedule.user_id in checked_in:
            counts["skipped"] += 1
        else:
            wanted.append(schedule.user_id)
        schedule.next_due_at = next_due(schedule, now)
    devices = devices_of(wanted)
    counts["no_device"] += len(set(wanted) - {d[3] for d in devices})
    db.session.commit()
    return devices


def _anything_due(now: datetime) -> bool:
    """One look at the index, so a quiet minute opens no connections to push services."""
    found = db.session.scalar(
        sa.select(ReminderSchedule.id).where(ReminderSchedule.next_due_at <= now).limit(1)
    )
    db.session.rollback()
    return found is not None


def send_due(app: Flask, now: datetime | None = None) -> dict:
    """Send every reminder due at `now` (default: this moment); returns the counts."""
    now = now or utcnow()
    started = utcnow()
    counts: Counter = Counter()
    if not _anything_due(now):
        return {name: 0 for name in COUNTS}
    outcomes = []
    with webpush.Sender(app) as sender:
        while batch := _claim_batch(now, app.config["REMINDER_BATCH_SIZE"], counts):
            for endpoint, p256dh, auth, _person, device_id in batch:
                outcomes.append(
                    (device_id, sender.submit(endpoint, p256dh, auth, REMINDER_PAYLOAD))
                )
        gone = tally(outcomes, counts)
    forget_devices(gone)
    result = {name: counts[name] for name in COUNTS}
    if result["due"]:  # a quiet minute leaves no row
        db.session.add(ReminderRun(started_at=started, finished_at=utcnow(), **result))
        db.session.commit()
        log.info("reminders: %s", ", ".join(f"{k} {v}" for k, v in result.items()))
    return result


def tally(outcomes, counts: Counter) -> list[int]:
    """Count each (device id, future) outcome; returns the ids of devices that are gone."""
    gone = []
    for device_id, future in outcomes:
        outcome = future.result()
        if outcome == webpush.GONE:
            counts["removed"] += 1
            gone.append(device_id)
        else:
            counts[outcome] += 1
    return gone


def send_due_job(app: Flask) -> None:
    """The scheduled job (once a minute, inside an app context)."""
    send_due(app)


def send_test(app: Flask, user: User) -> dict:
    """Send the test message to each of this person's devices now; returns the counts."""
    devices = devices_of([user.id])
    counts: Counter = Counter()
    with webpush.Sender(app) as sender:
        outcomes = [
            (device_id, sender.submit(endpoint, p256dh, auth, TEST_PAYLOAD))
            for endpoint, p256dh, auth, _person, device_id in devices
        ]
        gone = tally(outcomes, counts)
    forget_devices(gone)
    return {k: counts[k] for k in ("sent", "failed", "removed")}


def _schedule_of(user: User) -> ReminderSchedule:
    schedule = db.session.scalar(
        sa.select(ReminderSchedule).where(ReminderSchedule.user_id == user.id)
    )
    if schedule is None:
        # Not added to the session: reading settings writes nothing.
        schedule = ReminderSchedule(
            user_id=user.id,
            enabled=False,
            times=["18:00"],
            weekdays=list(WEEKDAYS),
            time_zone="Europe/London",
            only_if_not_checked_in=True,
        )
    return schedule


def schedule_record(user: User) -> dict:
    """The person's reminder settings, with when the next one is due and how many devices."""
    schedule = _schedule_of(user)
    record = {field: getattr(schedule, field) for field in SCHEDULE_FIELDS}
    record["paused_until"] = schedule.paused_until
    record["next_due_at"] = schedule.next_due_at
    record["devices"] = len(devices_of([user.id]))
    return record


def update_schedule(user: User, changes: dict, now: datetime | None = None) -> dict:
    """Change any of the settings (the rest stay as they are) and work out the next one due."""
    now = now or utcnow()
    schedule = _schedule_of(user)
    for field in (*SCHEDULE_FIELDS, "paused_until"):
        if field in changes:
            setattr(schedule, field, changes[field])
    schedule.times = sorted(set(schedule.times))
    schedule.weekdays = [d for d in WEEKDAYS if d in set(schedule.weekdays)]
    if schedule.enabled and not schedule.times:
        raise Invalid("Please choose at least one time for your reminder.", "times")
    if schedule.enabled and not schedule.weekdays:
        raise Invalid("Please choose at least one day for your reminder.", "weekdays")
    limit = now.date() + timedelta(days=PAUSE_LIMIT_DAYS)
    if schedule.paused_until and schedule.paused_until > limit:
        raise Invalid("Please choose a date within the next year.", "paused_until")
    schedule.next_due_at = next_due(schedule, now)
    schedule.updated_at = utcnow()
    db.session.add(schedule)
    try:
        db.session.commit()
    except IntegrityError:
        # Two first saves at once (two tabs): the other made the row; apply these changes to it.
        db.session.rollback()
        return update_schedule(user, changes, now)
    return schedule_record(user)
