"""Membership a hub vouches for (join codes) and what spots a burst of sign-ups.

A join code belongs to an area and, optionally, a setting (one service, such as a care
home's staff); a wellbeing champion's code carries the champion's id (models/champions.py).
Only a keyed hash of the code is kept, never the code itself. `signup_addresses` holds a
keyed hash of the address a sign-up came from, for the burst window only (the daily job
purges older rows).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class JoinCode(db.Model):
    """A code the hub hands out so that people's area (and setting) is vouched for."""

    __tablename__ = "join_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The last group of the code, so an admin can tell codes apart in `codes list`.
    hint: Mapped[str] = mapped_column(sa.String(8))
    area: Mapped[str] = mapped_column(sa.String(32))
    setting: Mapped[str | None] = mapped_column(sa.String(32))
    label: Mapped[str | None] = mapped_column(sa.String(80))
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A champion's code (services/champions): the champion who owns it, else None.
    champion_id: Mapped[int | None] = mapped_column(
        # use_alter: users -> join_codes -> champions -> users is a cycle.
        sa.ForeignKey("champions.id", ondelete="SET NULL", use_alter=True),
        index=True,
    )


class SignupAddress(db.Model):
    """One sign-up's address, as a keyed hash, kept only for the burst window."""

    __tablename__ = "signup_addresses"
    __table_args__ = (sa.Index("ix_signup_addresses_hash_created", "address_hash", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address_hash: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
