"""The audit log of practitioners' reads: who opened or changed which request, and when."""

import uuid
from datetime import datetime

import sqlalchemy as sa

from ...extensions import db
from ...models import User
from ...models.hub import HubRequestRead


def record(practitioner: User, request_id: uuid.UUID, action: str, at: datetime) -> None:
    """Write one line of the log (the caller commits, with the read or change itself)."""
    db.session.add(
        HubRequestRead(request_id=request_id, practitioner_id=practitioner.id, action=action, at=at)
    )


def log_of(request_id: uuid.UUID | None = None) -> list[dict]:
    """The log, oldest first (of one request, or of all): when, who, which request, what."""
    query = (
        sa.select(
            HubRequestRead.at, User.username, HubRequestRead.request_id, HubRequestRead.action
        )
        .outerjoin(User, User.id == HubRequestRead.practitioner_id)
        .order_by(HubRequestRead.at, HubRequestRead.id)
    )
    if request_id is not None:
        query = query.where(HubRequestRead.request_id == request_id)
    return [
        {"at": at, "practitioner": name, "request_id": rid, "action": action}
        for at, name, rid, action in db.session.execute(query)
    ]
