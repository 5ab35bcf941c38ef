"""People who use the diary: staff, researchers, practitioners and administrators."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("staff", "researcher", "practitioner", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default="staff")
    area: Mapped[str | None] = mapped_column(sa.String(32))
    role_group: Mapped[str | None] = mapped_column(sa.String(32))
    setting: Mapped[str | None] = mapped_column(sa.String(32))
    research_consent: Mapped[bool] = mapped_column(default=False)
    research_consent_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on logout and password change: every session made before it stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the account came to count in releases (services/releases/membership.py): None until it is
    # old enough and has checked in on enough different days.
    established_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The hub's join code that vouched for the person's area (None: the area is their own
    # word, counted from region level up). Cleared when they change area by hand or leave.
    join_code_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("join_codes.id", ondelete="SET NULL"), index=True
    )
    # Signed up in a burst from one address (a training session, or someone making accounts).
    signup_burst: Mapped[bool] = mapped_column(default=False)
    # Second factor: the TOTP secret sealed like a note; enabled once a code has confirmed it.
    totp_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time step accepted, so one code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The recovery key, kept only as an argon2 hash; it stands in for a forgotten password.
    recovery_key_hash: Mapped[str | None] = mapped_column(sa.String(255))
    recovery_key_made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The random WebAuthn user handle passkeys carry (never the id or the username).
    passkey_handle: Mapped[bytes | None] = mapped_column(sa.LargeBinary(32), unique=True)

    def get_id(self) -> str:
        """The session carries the id and the session version together."""
        return f"{self.id}.{self.session_version}"

    @property
    def area_vouched(self) -> bool:
        """Whether a hub's join code vouched for the area (it then counts in area cells)."""
        return self.join_code_id is not None

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"

    @property
    def has_recovery_key(self) -> bool:
        return self.recovery_key_hash is not None

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None


class RecoveryCode(db.Model):
    """A one-time code that stands in for the second factor (stored as a hash only)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
