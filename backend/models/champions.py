"""The champion network: staff named wellbeing champions, and its frozen weekly figures.

A champion is a staff account an admin named for one service (a setting in an area). The
display name and how colleagues may reach them are the champion's own words, editable in
Settings. Their join codes are ordinary join codes (models/membership.py) that carry the
champion's id, so people who join with one are vouched for the service's area and
setting, and known to have joined through a champion only as that link: no list of a
champion's colleagues is ever kept or shown.

While a week is open, a person who opens support leaves one mark (a keyed hash of person
and week, whether they joined through a champion, and where they count); when the week
closes the marks are counted into cells and deleted, as take-up's are (take_up_marks.py).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

CODE = sa.String(32)
DISPLAY_NAME_MAX, REACH_MAX = 60, 200


class Champion(db.Model):
    """A staff account named a wellbeing champion for one service."""

    __tablename__ = "champions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    area: Mapped[str] = mapped_column(CODE)
    setting: Mapped[str] = mapped_column(CODE)
    display_name: Mapped[str] = mapped_column(sa.String(DISPLAY_NAME_MAX))
    reach: Mapped[str] = mapped_column(sa.String(REACH_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChampionMark(db.Model):
    """One person (a keyed hash for one week) opened support in an open week."""

    __tablename__ = "champion_marks"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    person: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    joined: Mapped[bool]  # joined through a champion's code
    area: Mapped[str] = mapped_column(CODE)  # "" unless a join code vouched for it
    region: Mapped[str] = mapped_column(CODE)


class ChampionCell(db.Model):
    """One figure of the champion network for one closed week, frozen when it closed.

    `people` is the exact count (it decides what may be shown); `basis` the exact count
    behind the figure published (the live rule: a standing figure is shown again until the
    count has moved by k; None when nothing may be shown), and `noisy` the noisy value of
    that figure, drawn once, with `margin` the 90% give-or-take of its shown count (None
    without noise).
    """

    __tablename__ = "champion_cells"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    level: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    key: Mapped[str] = mapped_column(CODE, primary_key=True)
    parent: Mapped[str] = mapped_column(CODE, default="")
    people: Mapped[int]
    basis: Mapped[int | None]
    noisy: Mapped[float | None]
    margin: Mapped[int | None]
