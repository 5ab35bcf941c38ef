"""Who counts in releases and take-up: established accounts, and areas a hub vouched for.

Sign-up is open and a profile is the person's own word, so k accounts are not k people: one
person can make the other k-1 members of a cell and subtract them. Two rules close that:

- Established accounts. An account counts only once it is at least ESTABLISHED_DAYS old
  (14) and has check-ins written on at least ESTABLISHED_CHECKIN_DAYS different days (3),
  days the server saw them arrive (a check-in's own time can be backdated, the day it
  reached the server cannot). Until then its person-weeks are kept but count nowhere; when
  it becomes established (noticed at its next check-in, or by the daily job) its open
  weeks are queued, so it counts from the next release. A freshly made account can never
  complete a cell.
- Vouched membership. An area counts at area level only when a hub's join code vouched for
  it (services/join_codes.py). A self-declared area counts from region level up: the
  person-week's area is kept empty, so it falls into the hidden "not given" child, and the
  complementary suppression of its region still protects it.

Sign-ups from one address in a short time are allowed (a care home's staff may sign up
together at one training session) but marked (`User.signup_burst`): see signups.py.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...models import Entry, User
from ...models.types import utcnow

# The weeks' clock (contributions.WEEK_ZONE), which imports this module.
WEEK_ZONE = ZoneInfo("Europe/London")


def rule() -> tuple[int, int]:
    """(days an account must wait, different days it must have checked in on)."""
    config = current_app.config
    return int(config["ESTABLISHED_DAYS"]), int(config["ESTABLISHED_CHECKIN_DAYS"])


def is_due(user: User, now: datetime | None = None) -> bool:
    """Whether a not-yet-established staff account now meets the rule."""
    if user.established_at is not None or user.role != "staff":
        return False
    days, check_in_days = rule()
    now = now or utcnow()
    if user.created_at > now - timedelta(days=days):
        return False
    arrived = db.session.scalars(
        sa.select(Entry.created_at).where(Entry.user_id == user.id).order_by(Entry.created_at)
    )
    seen = set()
    for moment in arrived:
        seen.add(moment.astimezone(WEEK_ZONE).date())
        if len(seen) >= check_in_days:
            return True
    return False


def counts(user: User) -> bool:
    """Whether the person's contributions count towards releases and take-up at all."""
    return bool(user.research_consent and user.established_at is not None)


def vouched_area(user: User) -> str | None:
    """The person's area when a hub's join code vouched for it, else None."""
    return user.area if user.join_code_id is not None else None


def due_accounts(now: datetime | None = None) -> list[User]:
    """Staff accounts past the waiting period and not established yet (for the daily job)."""
    days, _ = rule()
    cutoff = (now or utcnow()) - timedelta(days=days)
    return list(
        db.session.scalars(
            sa.select(User).where(
                User.established_at.is_(None), User.role == "staff", User.created_at <= cutoff
            )
        )
    )
