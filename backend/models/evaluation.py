"""What the evaluation report has published: its figures, frozen, with no one's id in them.

A row holds the figures of one closed month (`kind` "month") or of one report period
(`kind` "period": the period-level figures of a 6- or 12-month report) as JSON: exact
counts, sums and means over people, never a user id, a username, a note or a time finer
than the month. The report shows them again, unchanged, on every later download, so two
downloads never differ by one person (see services/evaluation/report.py).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class EvaluationFigures(db.Model):
    """The figures first worked out for one month, or for one report period."""

    __tablename__ = "evaluation_figures"
    __table_args__ = (
        sa.UniqueConstraint("kind", "months", "last_month", name="uq_evaluation_figures_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8))  # month | period | champion
    months: Mapped[int] = mapped_column(sa.SmallInteger)  # 1 for a month
    first_month: Mapped[date] = mapped_column(sa.Date)  # the first day of each
    last_month: Mapped[date] = mapped_column(sa.Date)
    figures: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
