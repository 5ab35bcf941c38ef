"""The practitioners' inbox: requests people chose to send, and only what each included.

Listing shows states and dates only; opening a request shows what the person sent and is
written to the audit log, as is every change. Nothing here reaches any other part of the
person's diary, and no practitioner sees who the person is beyond what they wrote.
"""

import uuid

import sqlalchemy as sa

from ...extensions import db
from ...models import User
from ...models.hub import HubRequest
from ...models.types import utcnow
from ..crypto import seal
from ..problems import Forbidden, Invalid, NotFound
from . import audit
from .requests import NOTE, open_details, open_note, status_record

ACTIONS = ("seen", "contacted", "closed")


def _require_practitioner(user: User) -> None:
    if user.role != "practitioner":
        raise Forbidden("This part is open to hub practitioners only.")


def waiting(practitioner: User) -> list[dict]:
    """Every request, open ones first and newest first: states and dates, no contents."""
    _require_practitioner(practitioner)
    rows = db.session.scalars(
        sa.select(HubRequest).order_by((HubRequest.state == "closed"), HubRequest.created_at.desc())
    )
    return [status_record(row) for row in rows]


def _get(request_id: uuid.UUID) -> HubRequest:
    row = db.session.get(HubRequest, request_id)
    if row is None:
        raise NotFound("There is no request with that id (it may have been withdrawn).")
    return row


def _full(row: HubRequest) -> dict:
    return {**status_record(row), **open_details(row), "note": open_note(row)}


def read(practitioner: User, request_id: uuid.UUID) -> dict:
    """Open one request: what the person sent and the practitioner's note. Audited."""
    _require_practitioner(practitioner)
    row = _get(request_id)
    now = utcnow()
    if row.first_read_at is None:
        row.first_read_at = now
    audit.record(practitioner, row.id, "read", now)
    db.session.commit()
    return _full(row)


def update(practitioner: User, request_id: uuid.UUID, changes: dict) -> dict:
    """Mark a request seen, contacted or closed, and/or keep a short note. Audited."""
    _require_practitioner(practitioner)
    if not changes:
        raise Invalid("Please give a state or a note.", "state")
    row = _get(request_id)
    now = utcnow()
    if "state" in changes:
        state = changes["state"]
        row.state = state
        row.closed_at = now if state == "closed" else None
        audit.record(practitioner, row.id, state, now)
    if "note" in changes:
        row.note_sealed = seal(NOTE, row.user_id, str(row.id), changes["note"] or None)
        audit.record(practitioner, row.id, "note", now)
    if row.first_read_at is None:
        row.first_read_at = now  # a change is made with the request in view
    row.updated_at = now
    db.session.commit()
    return _full(row)
