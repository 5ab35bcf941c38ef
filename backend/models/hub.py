"""Requests for a conversation with the hub, what practitioners did with them, and counts.

A request is the one place a person's words leave their diary, by their own act. What
they wrote (how to reach them, good times, what is on their mind, the summary they chose
to include) is one sealed blob; the practitioner's note is sealed apart. Neither is ever
stored or logged in the clear.
"""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

STATES = ("sent", "seen", "contacted", "closed")


class HubRequest(db.Model):
    """One person's request to talk to someone at the hub, by the id their phone made."""

    __tablename__ = "hub_requests"
    __table_args__ = (
        sa.CheckConstraint("state IN ('sent', 'seen', 'contacted', 'closed')", name="state"),
    )

    # Made by the client, so a request sent again from the outbox is kept once.
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(sa.String(16), default="sent")
    # AES-GCM over the JSON of what the person sent (services/hub/requests.py).
    details_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The practitioner's short private note, sealed like the details.
    note_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The person sees when a practitioner first opened it.
    first_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the new-request push went to practitioners (None: not yet).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Retention counts from here: closed requests go REFERRAL_RETENTION_DAYS later.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class HubRequestRead(db.Model):
    """The audit log: every time a practitioner opened or changed a request.

    It names the practitioner and the request's id, never the person or anything they
    wrote; a withdrawn or erased request leaves its audit rows pointing at nothing.
    """

    __tablename__ = "hub_request_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    practitioner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # "read", or the state set ("seen", "contacted", "closed"), or "note".
    action: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HubRequestMonth(db.Model):
    """How many people asked for a conversation in a calendar month (each once, however many
    requests they sent): a count, nothing of who or what."""

    __tablename__ = "hub_request_months"

    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    requests: Mapped[int] = mapped_column(default=0)


class HubRequestMark(db.Model):
    """Who has been counted in this month's tally, as a keyed hash of (person, month) that
    names no one; kept only while the month is open (the daily job deletes earlier months',
    erasure the person's own)."""

    __tablename__ = "hub_request_marks"

    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    person: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
