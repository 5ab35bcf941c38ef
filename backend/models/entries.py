"""Check-ins: one person's private diary entries."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class Entry(db.Model):
    __tablename__ = "entries"
    __table_args__ = (
        sa.Index("ix_entries_user_occurred", "user_id", "occurred_at"),
        sa.CheckConstraint("mood BETWEEN 1 AND 5", name="mood"),
    )

    # Made by the client, so an offline retry never writes a second copy.
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mood: Mapped[int] = mapped_column(sa.SmallInteger)
    energy: Mapped[int | None] = mapped_column(sa.SmallInteger)
    sleep: Mapped[int | None] = mapped_column(sa.SmallInteger)
    stress: Mapped[int | None] = mapped_column(sa.SmallInteger)
    factors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    needs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # AES-GCM: version byte, nonce, ciphertext and tag. Never the plain note.
    note_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    # The profile when the check-in was first written, so history does not move later.
    area: Mapped[str | None] = mapped_column(sa.String(32))
    role_group: Mapped[str | None] = mapped_column(sa.String(32))
    setting: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
