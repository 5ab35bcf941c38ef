"""Sign-up bursts: many accounts from one address in a short time, allowed but marked.

A care home's staff may sign up together at one training session, so a burst is never
refused; but it is also what someone making accounts to fill a cell looks like. So each
sign-up leaves a keyed hash of its address (never the address) for SIGNUP_BURST_MINUTES;
when SIGNUP_BURST_SIZE sign-ups share one within that window, every account among them is
marked (`User.signup_burst`). The hashes are purged once the window has passed (at each
sign-up and by the daily job). The hub sees the marks in aggregate only (`figures`): one
national count a week, shown from k and rounded to 5, and how many of today's established
contributors came from a burst, under the same rule.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...models import User
from ...models.membership import SignupAddress
from ...models.types import utcnow
from .. import crypto
from .contributions import current_week, week_bounds
from .privacy import ROUNDING, privacy_k, shown_count

WEEKS_SHOWN = 8


def _window(now: datetime) -> datetime:
    return now - timedelta(minutes=int(current_app.config["SIGNUP_BURST_MINUTES"]))


def purge(now: datetime | None = None) -> int:
    """Delete the address hashes older than the window; returns how many went."""
    since = _window(now or utcnow())
    return db.session.execute(
        sa.delete(SignupAddress).where(SignupAddress.created_at < since)
    ).rowcount


def note(user: User, address: str | None, now: datetime | None = None) -> bool:
    """Record one sign-up's address (hashed) and mark a burst; returns whether it is one.

    Call after the account is made; commits.
    """
    now = now or utcnow()
    purge(now)
    digest = crypto.keyed_digest("sign-up-address", address or "")
    db.session.add(SignupAddress(address_hash=digest, user_id=user.id, created_at=now))
    db.session.flush()
    together = list(
        db.session.scalars(
            sa.select(SignupAddress.user_id).where(
                SignupAddress.address_hash == digest, SignupAddress.created_at >= _window(now)
            )
        )
    )
    burst = len(together) >= int(current_app.config["SIGNUP_BURST_SIZE"])
    if burst:
        db.session.execute(
            sa.update(User).where(User.id.in_(together)).values(signup_burst=True),
            execution_options={"synchronize_session": False},
        )
        user.signup_burst = True
    db.session.commit()
    return burst


def _shown(n: int, k: int) -> int | None:
    return shown_count(n) if n >= k else None


def figures(now: datetime | None = None) -> dict:
    """The hub's view: burst sign-ups per closed week, nationally, and contributors now."""
    k = privacy_k()
    this = current_week(now)
    weeks = [this - timedelta(weeks=n) for n in range(WEEKS_SHOWN, 0, -1)]
    rows = []
    for week in weeks:
        start, end = week_bounds(week)
        n = db.session.scalar(
            sa.select(sa.func.count()).where(
                User.signup_burst.is_(True), User.created_at >= start, User.created_at < end
            )
        )
        rows.append({"week": week.isoformat(), "sign_ups": _shown(n or 0, k)})
    contributors = db.session.scalar(
        sa.select(sa.func.count()).where(
            User.signup_burst.is_(True),
            User.established_at.is_not(None),
            User.research_consent.is_(True),
        )
    )
    return {
        "k": k,
        "rounding": ROUNDING,
        "size": int(current_app.config["SIGNUP_BURST_SIZE"]),
        "window_minutes": int(current_app.config["SIGNUP_BURST_MINUTES"]),
        "weeks": rows,
        "contributors": _shown(contributors or 0, k),
    }
