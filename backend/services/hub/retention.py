"""Keeping requests no longer than needed, and re-sealing them when the note key turns."""

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...models.hub import HubRequest
from ...models.types import utcnow
from ..sql import leave_no_copy
from .requests import DETAILS, NOTE


def erase_closed(now: datetime | None = None) -> int:
    """Erase requests closed more than REFERRAL_RETENTION_DAYS ago; returns how many."""
    days = current_app.config["REFERRAL_RETENTION_DAYS"]
    limit = (now or utcnow()) - timedelta(days=days)
    gone = db.session.execute(
        sa.delete(HubRequest).where(HubRequest.state == "closed", HubRequest.closed_at < limit)
    ).rowcount
    db.session.commit()
    if gone:
        leave_no_copy()
    return gone


def reseal_all(reseal: Callable[[str, int, str, bytes | None], bytes | None]) -> int:
    """Re-seal every request's details and note with `reseal(purpose, user_id, bound, sealed)`
    (the key rotation's); the caller commits. Returns how many requests."""
    count = 0
    for row in db.session.scalars(sa.select(HubRequest)):
        row.details_sealed = reseal(DETAILS, row.user_id, str(row.id), row.details_sealed)
        if row.note_sealed is not None:
            row.note_sealed = reseal(NOTE, row.user_id, str(row.id), row.note_sealed)
        count += 1
    return count
