"""Retention: check-ins older than the configured number of months are deleted, and
requests to the hub REFERRAL_RETENTION_DAYS after they were closed.

Published releases stay (they hold no one's data); each person's weekly contributions
for those weeks go too, since they are derived from the deleted check-ins.
"""

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from ..extensions import db
from ..models import Entry
from ..models.insights import PersonWeek
from ..models.types import utcnow
from . import hub, releases

log = logging.getLogger(__name__)
DAYS_PER_MONTH = 30.44


def cutoff(now: datetime, months: int) -> datetime:
    """The moment before which check-ins are no longer kept."""
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


def apply(now: datetime | None = None) -> dict:
    """Delete what is past retention; returns how many check-ins and person-weeks went."""
    months = current_app.config["RETENTION_MONTHS"]
    limit = cutoff(now or utcnow(), months)
    entries = db.session.execute(sa.delete(Entry).where(Entry.occurred_at < limit)).rowcount
    weeks = db.session.execute(
        sa.delete(PersonWeek).where(PersonWeek.week < limit.date() - timedelta(days=7))
    ).rowcount
    # A closed month's tally of people who asked the hub stands; its marks are not needed.
    hub.forget_marks(before=releases.today(now).replace(day=1))
    db.session.commit()
    requests = hub.erase_closed(now)
    log.info("retention: %d check-ins and %d person-weeks older than %d months deleted, "
             "%d closed requests", entries, weeks, months, requests)  # fmt: skip
    return {"entries": entries, "person_weeks": weeks, "hub_requests": requests}


def retention_job(app: Flask) -> None:
    """The daily job."""
    apply()
