"""Person-week contributions, the tallies they feed, and published releases and their cells.

Only `person_weeks` carries a user id (erasure removes it with the account). The queue of
changes, the tallies and the releases hold aggregates or unlinked deltas, never a user id.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

CODE = sa.String(32)


class Contribution:
    """One person's week as it counts: profile snapshot (of their latest check-in that
    week), means, the sets of needs and factors chosen, and their ONS4 answers that week
    (0 to 10 each, None when not answered)."""

    area: Mapped[str | None] = mapped_column(CODE)
    region: Mapped[str | None] = mapped_column(CODE)
    role_group: Mapped[str | None] = mapped_column(CODE)
    setting: Mapped[str | None] = mapped_column(CODE)
    mood: Mapped[float]
    energy: Mapped[float | None]
    sleep: Mapped[float | None]
    stress: Mapped[float | None]
    needs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    factors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    life_satisfaction: Mapped[int | None] = mapped_column(sa.SmallInteger)
    worthwhile: Mapped[int | None] = mapped_column(sa.SmallInteger)
    happy: Mapped[int | None] = mapped_column(sa.SmallInteger)
    anxious: Mapped[int | None] = mapped_column(sa.SmallInteger)


class PersonWeek(Contribution, db.Model):
    """One person's contribution to one ISO week (Europe/London): their means and choices."""

    __tablename__ = "person_weeks"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "week", name="uq_person_weeks_user_week"),
        sa.Index("ix_person_weeks_week", "week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(sa.Date)
    check_ins: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The week's running sums, so a new check-in is added to them instead of the week being
    # read again: the mood's and each scale's sum of answers and how many gave the scale,
    # and the time of the latest check-in (whose profile snapshot the row carries). None
    # (a row from before they were kept) means unknown: the next change recomputes the week.
    mood_sum: Mapped[int | None]
    energy_sum: Mapped[int | None]
    energy_n: Mapped[int | None]
    sleep_sum: Mapped[int | None]
    sleep_n: Mapped[int | None]
    stress_sum: Mapped[int | None]
    stress_n: Mapped[int | None]
    latest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContributionChange(Contribution, db.Model):
    """A queued change to the tallies (+1 adds a contribution, -1 takes one away).

    It carries no user id: it lives only until the next publication applies it.
    """

    __tablename__ = "contribution_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[date] = mapped_column(sa.Date)
    sign: Mapped[int] = mapped_column(sa.SmallInteger)
    # True when the person leaves the cells (deleted, withdrew, erased or moved).
    departs: Mapped[bool] = mapped_column(default=False)
    # The needs and factors again as bit masks (bit i = the taxonomy's i-th code), so the
    # fold sums integers instead of unnesting JSON; `choice_map` names the code lists the
    # bits refer to (None when a code is not in them: that row is folded from the JSON).
    needs_mask: Mapped[int | None] = mapped_column(sa.BigInteger)
    factors_mask: Mapped[int | None] = mapped_column(sa.BigInteger)
    choice_map: Mapped[int | None]


class CellTally(db.Model):
    """Running exact totals of one cell of an open week, and its standing publication."""

    __tablename__ = "cell_tallies"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    level: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    key: Mapped[str] = mapped_column(CODE, primary_key=True)  # "" = not given
    parent: Mapped[str] = mapped_column(CODE, default="")  # an area's region
    contributors: Mapped[int] = mapped_column(default=0)
    totals: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Departures since the standing publication: that publication may no longer stand.
    leaves_since: Mapped[int] = mapped_column(default=0)
    # The values last published for this cell (exact count inside), or None.
    published: Mapped[dict | None] = mapped_column(sa.JSON)


class Release(db.Model):
    """An immutable, published set of cells for the weeks that were open at the time."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    k: Mapped[int]
    rounding: Mapped[int]
    epsilon: Mapped[float | None]
    weeks: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    fresh_cells: Mapped[int] = mapped_column(default=0)


class ReleaseCell(db.Model):
    """One cell of a release: published values, or suppressed (no values at all)."""

    __tablename__ = "release_cells"
    __table_args__ = (
        sa.Index("ix_release_cells_week_release", "week", "release_id"),
        sa.Index("ix_release_cells_release_week_level", "release_id", "week", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(sa.ForeignKey("releases.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(sa.Date)
    level: Mapped[str] = mapped_column(sa.String(16))
    key: Mapped[str] = mapped_column(CODE)
    parent: Mapped[str] = mapped_column(CODE, default="")
    status: Mapped[str] = mapped_column(sa.String(16))  # published | suppressed
    # Internal only (never served): why it is hidden, and the exact count behind the values.
    reason: Mapped[str | None] = mapped_column(sa.String(16))
    exact: Mapped[int | None]
    # The release that computed these values (earlier when a publication stands).
    computed_in: Mapped[int | None]
    contributors: Mapped[int | None]
    mood: Mapped[float | None]
    tough_share: Mapped[float | None]
    energy: Mapped[float | None]
    sleep: Mapped[float | None]
    stress: Mapped[float | None]
    needs: Mapped[dict | None] = mapped_column(sa.JSON)
    factors: Mapped[dict | None] = mapped_column(sa.JSON)
    # ONS4 means on their 0..10 scale, item by item (never summed); None when hidden.
    life_satisfaction: Mapped[float | None]
    worthwhile: Mapped[float | None]
    happy: Mapped[float | None]
    anxious: Mapped[float | None]
    # Half-widths of 90% intervals of the noisy figures ({"mood": 0.3, "shares": 0.4, ...});
    # None when differential privacy was off.
    margins: Mapped[dict | None] = mapped_column(sa.JSON)


class PrivacyBudget(db.Model):
    """Differential-privacy budget spent in one calendar year."""

    __tablename__ = "privacy_budget"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    spent: Mapped[float] = mapped_column(default=0.0)
