"""What signposting keeps: who opened a resource this week as a keyed hash, then counts.

Take-up counts people, not opens. While a week is open, each person who opens a resource
leaves one mark per resource: a keyed hash of (person, week), which says nothing without
the key in instance/, the resource and the area it counts under. When the week closes its
marks are counted into cells (distinct people per resource in all, each region and each
vouched area), with noise drawn once, and the marks are deleted: who opened what is not
kept after the week closes.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

CODE = sa.String(32)


class TakeUpMark(db.Model):
    """One person (as a keyed hash) opened one resource in one open week."""

    __tablename__ = "take_up_marks"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    resource: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    person: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # The area only when the hub vouched for it ("" otherwise); the region either way.
    area: Mapped[str] = mapped_column(CODE, primary_key=True)
    region: Mapped[str] = mapped_column(CODE, primary_key=True)


class TakeUpCell(db.Model):
    """How many different people opened a resource in one cell of one closed week."""

    __tablename__ = "take_up_cells"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    resource: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    level: Mapped[str] = mapped_column(sa.String(16), primary_key=True)  # all | region | area
    key: Mapped[str] = mapped_column(CODE, primary_key=True)  # "" = not given / not vouched
    parent: Mapped[str] = mapped_column(CODE, default="")
    # The exact count decides what is shown (k, complementary suppression); the count shown
    # comes from `noisy`, drawn once when the week was frozen (None: no noise configured).
    people: Mapped[int]
    noisy: Mapped[float | None]
    # The 90% margin of the shown count (its noise and rounding to 5), for the hub to read.
    margin: Mapped[int | None]
