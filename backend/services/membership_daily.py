"""The daily membership job: accounts that became established, short-lived hashes, take-up.

An account usually becomes established at a check-in (contributions.py notices); this finds
those that crossed the waiting period without checking in since. It also purges sign-up
address hashes past their window and freezes the take-up of weeks that have closed, so
neither outlives its purpose when nobody reads take-up.
"""

import logging
from datetime import datetime

from flask import Flask

from ..extensions import db
from ..models.types import utcnow
from . import champions, contributions, membership, signups, take_up_marks

log = logging.getLogger(__name__)


def establish_due(now: datetime | None = None) -> int:
    """Establish every account now due; returns how many (their open weeks are queued)."""
    now = now or utcnow()
    made = 0
    for user in membership.due_accounts(now):
        if membership.is_due(user, now):
            contributions.establish(user, now)
            made += 1
    db.session.commit()
    return made


def run(now: datetime | None = None) -> dict:
    """The whole daily pass; returns what it did, in counts."""
    established = establish_due(now)
    purged = signups.purge(now)
    db.session.commit()
    frozen = take_up_marks.freeze_closed(now)
    champions.freeze_closed(now)
    log.info("membership: %d accounts established, %d sign-up hashes purged, %d take-up "
             "weeks frozen", established, purged, frozen)  # fmt: skip
    return {"established": established, "purged": purged, "frozen": frozen}


def daily_job(app: Flask) -> None:
    """The scheduled job (runs inside an app context)."""
    run()
