"""Telling practitioners a new request is waiting: Web Push, generic words only.

Run by the scheduled job, never on the request path, so sending a request (or a check-in)
never waits on a push service. The push says nothing of the request: no name, no words,
not even how many.
"""

import json
from collections import Counter

import sqlalchemy as sa
from flask import Flask

from ...extensions import db
from ...models import User
from ...models.hub import HubRequest
from ...models.reminders import PushSubscription
from ...models.types import utcnow
from ..reminders import PushSender, devices_of, forget_devices, tally_sends

NEW_REQUEST_PAYLOAD = json.dumps(
    {"title": "Staff Wellbeing Hub", "body": "A new request is waiting", "url": "/hub/"}
)


def announce_new(app: Flask) -> dict:
    """One push to each practitioner's devices if any request is not announced yet.

    Practitioners opt in as staff do for reminders, by letting a device subscribe; a
    practitioner with no device gets nothing. Returns counts only.
    """
    now = utcnow()
    fresh = db.session.execute(
        sa.update(HubRequest).where(HubRequest.announced_at.is_(None)).values(announced_at=now)
    ).rowcount
    db.session.commit()  # claimed first: two passes never announce the same request twice
    counts: Counter = Counter()
    if not fresh:
        return {"requests": 0, "sent": 0, "failed": 0, "removed": 0}
    practitioners = db.session.scalars(
        sa.select(PushSubscription.user_id)
        .join(User, User.id == PushSubscription.user_id)
        .where(User.role == "practitioner")
        .distinct()
    ).all()
    with PushSender(app) as sender:
        outcomes = [
            (device_id, sender.submit(endpoint, p256dh, auth, NEW_REQUEST_PAYLOAD))
            for endpoint, p256dh, auth, _person, device_id in devices_of(list(practitioners))
        ]
        gone = tally_sends(outcomes, counts)
    forget_devices(gone)
    return {"requests": fresh, **{k: counts[k] for k in ("sent", "failed", "removed")}}


def announce_job(app: Flask) -> None:
    """The scheduled job (every minute, inside an app context)."""
    announce_new(app)
