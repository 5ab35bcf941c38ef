"""The evaluation report's published figures: worked out once, then shown again unchanged.

Each closed month's figures are stored the first time a report covers the month, and each
period's figures (per number of months and last month) the first time a report covers that
period; every later report reuses them, whatever has changed since. So no two downloads
ever differ by one person who withdrew, erased their account, deleted or backdated a
check-in, or answered the onboarding questions again: nothing is ever recomputed around
them. The rows hold exact counts, sums and means over people (the basis the release rules
are applied to when shown), and never a user id, a username or a note.

Two reports made at once may both find a month unstored: the first row written wins (an
insert that ignores a conflict), and both show the stored row read back.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models.evaluation import EvaluationFigures
from . import evaluation_sources
from .evaluation_period import Period

MONTH, PERIOD = "month", "period"


def _stored(kind: str, months: int, lasts) -> dict[date, EvaluationFigures]:
    query = sa.select(EvaluationFigures).where(
        EvaluationFigures.kind == kind,
        EvaluationFigures.months == months,
        EvaluationFigures.last_month.in_(list(lasts)),
    )
    return {row.last_month: row for row in db.session.scalars(query)}


def _store(kind: str, months: int, first: date, last: date, figures: dict) -> None:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(EvaluationFigures).values(
        kind=kind, months=months, first_month=first, last_month=last, figures=figures
    )
    db.session.execute(
        statement.on_conflict_do_nothing(index_elements=["kind", "months", "last_month"])
    )


def months(period: Period) -> list[EvaluationFigures]:
    """Each month's stored figures, oldest first; a month never stored is worked out now."""
    stored = _stored(MONTH, 1, period.months)
    missing = [m for m in period.months if m not in stored]
    if missing:
        fresh = evaluation_sources.months(period)
        for index, month in enumerate(period.months):
            if month in missing:
                _store(MONTH, 1, month, month, fresh[index])
        db.session.commit()
        stored = _stored(MONTH, 1, period.months)
    return [stored[month] for month in period.months]


def period(period: Period, month_rows: list[EvaluationFigures]) -> EvaluationFigures:
    """The period's stored figures, worked out now if this period was never reported on.

    Each resource's opens over the period are the sum of the stored months' opens (the
    months shown beside it), so the total and its parts always agree.
    """
    size, last = len(period.months), period.months[-1]
    row = _stored(PERIOD, size, [last]).get(last)
    if row is None:
        figures = evaluation_sources.period_figures(period)
        opens: dict[str, int] = {}
        for month in month_rows:
            for resource, count in month.figures["opens"].items():
                opens[resource] = opens.get(resource, 0) + count
        figures["opens"] = dict(sorted(opens.items()))
        _store(PERIOD, size, period.months[0], last, figures)
        db.session.commit()
        row = _stored(PERIOD, size, [last])[last]
    return row
