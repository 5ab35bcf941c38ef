"""What signposting keeps: an anonymous count of resource opens, and nothing else.

A resource open is counted per resource, area and ISO week (Europe/London, named by its
Monday). The row carries no user id and no time finer than the week, so take-up can be
reported without tracking anyone.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ResourceOpen(db.Model):
    """How many times a resource was opened from one area in one week."""

    __tablename__ = "resource_opens"

    resource: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    area: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # "" = not given
    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    opens: Mapped[int] = mapped_column(default=0)
