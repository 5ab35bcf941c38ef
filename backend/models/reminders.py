"""Reminder schedules, the push subscriptions of a person's devices, and send counts."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

DEFAULT_TIME_ZONE = "Europe/London"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _every_day() -> list[str]:
    return list(WEEKDAYS)


def _early_evening() -> list[str]:
    return ["18:00"]


class ReminderSchedule(db.Model):
    """One per person: when to nudge them, in their own time zone."""

    __tablename__ = "reminder_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    # Local times of day as "HH:MM" (at most 3) and weekdays as "mon".."sun".
    times: Mapped[list[str]] = mapped_column(sa.JSON, default=_early_evening)
    weekdays: Mapped[list[str]] = mapped_column(sa.JSON, default=_every_day)
    time_zone: Mapped[str] = mapped_column(sa.String(64), default=DEFAULT_TIME_ZONE)
    only_if_not_checked_in: Mapped[bool] = mapped_column(default=True)
    # No reminders before this local date; they start again on it.
    paused_until: Mapped[date | None] = mapped_column(sa.Date)
    # The next moment a reminder is owed; NULL when off, so the due query reads only this index.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushSubscription(db.Model):
    """One device's Web Push subscription, as its browser's PushSubscription gave it."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(128))
    auth: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderRun(db.Model):
    """What one pass of the reminder job did, in counts only: no people, no endpoints."""

    __tablename__ = "reminder_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    no_device: Mapped[int] = mapped_column(default=0)
