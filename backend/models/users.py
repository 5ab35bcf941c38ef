"""People who use the diary: staff, researchers and administrators."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("staff", "researcher", "admin")


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

    def get_id(self) -> str:
        """The session carries the id and the session version together."""
        return f"{self.id}.{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"
