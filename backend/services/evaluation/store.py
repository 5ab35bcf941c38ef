"""The evaluation report's published figures: worked out once, then shown again unchanged,
under the live rule and the departures rule of releases (privacy.py, rules 1 and 2).

Months. A closed month's figures are stored the first time a report covers it, with the
exact numbers of people and person-weeks behind them (their basis, never shown) and the
moment they were worked out. Every later report shows them again, value for value, unless:
- live rule: the month's number of people now differs from the basis by at least k (late
  or backdated check-ins, many leavers): its figures are worked out afresh and stored;
- departures: someone inside the stored figures has left the month since (withdrew,
  erased the account, deleted their check-ins there) or changed a week of theirs in it (a
  check-in added to, edited in or deleted from a week already counted): fewer of the stored
  person-weeks stand unchanged than were counted. The stored figures may no longer be
  shown, and the month is withheld until it can be worked out afresh, i.e. until its
  number of people has moved by k. (A new week or a newcomer leaves the stored figures
  standing: they are shown without it.)
So two downloads never show a month's figures differing by fewer than k people. A month
some of whose weeks may have gone with retention (services/retention.py) is no longer
checked: its check-ins are deleted, not its people gone, so its figures stand for ever.

Periods. A period's figures (per number of months and last month: people over the
period, retention, awareness, ONS4, each resource's opens over the period) are stored the
first time a report covers that period, and shown again unchanged on every later report.

With differential privacy on, the rows also hold each figure's noise, drawn once when
the figures are made (noise.py): the noisy values shown and their margins.

The rows hold exact counts, sums and means over people, never a user id, a username or a
note. Two reports made at once write one row: an insert ignores a conflict, and an update
applies only to the figures it read; both then show the row read back.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...models.evaluation import EvaluationFigures
from ...models.types import utcnow
from .. import retention, sql
from . import noise
from . import sources as evaluation_sources
from .period import Period

MONTH, PERIOD = "month", "period"


@dataclass(frozen=True)
class StoredMonth:
    """A month's stored figures, and whether people have left them since (withheld)."""

    row: EvaluationFigures
    withheld: bool

    @property
    def figures(self) -> dict:
        return self.row.figures

    @property
    def noise(self) -> dict:
        """{"noisy": ..., "margins": ...} drawn when the figures were made; {} if exact."""
        return noise_of(self.row.figures)


def noise_of(figures: dict) -> dict:
    """{"noisy": ..., "margins": ...} drawn when `figures` were made; {} if they are exact."""
    return {key: figures[key] for key in ("noisy", "margins") if key in figures}


def _stored(kind: str, months: int, lasts) -> dict[date, EvaluationFigures]:
    query = sa.select(EvaluationFigures).where(
        EvaluationFigures.kind == kind,
        EvaluationFigures.months == months,
        EvaluationFigures.last_month.in_(list(lasts)),
    )
    return {row.last_month: row for row in db.session.scalars(query)}


def _store(kind: str, months: int, first: date, last: date, figures: dict, at) -> None:
    statement = sql.insert(EvaluationFigures).values(
        kind=kind, months=months, first_month=first, last_month=last, figures=figures, created_at=at
    )
    db.session.execute(
        statement.on_conflict_do_nothing(index_elements=["kind", "months", "last_month"])
    )


def _replace(row: EvaluationFigures, figures: dict, at) -> None:
    """Store a month's fresh figures, unless another report replaced them meanwhile."""
    db.session.execute(
        sa.update(EvaluationFigures)
        .where(EvaluationFigures.id == row.id, EvaluationFigures.created_at == row.created_at)
        .values(figures=figures, created_at=at)
        .execution_options(synchronize_session=False)
    )


def _still_live(period: Period) -> list[bool]:
    """Whether each month's weeks are all still kept (none gone with retention)."""
    kept_from = retention.cutoff(utcnow(), current_app.config["RETENTION_MONTHS"]).date()
    first_weeks = {}
    for week, month in sorted(period.weeks().items(), reverse=True):
        first_weeks[month] = week
    return [first_weeks[m] >= kept_from - timedelta(days=7) for m in range(len(period.months))]


def months(period: Period, k: int) -> list[StoredMonth]:
    """Each month's figures as they may be shown, oldest first (see the module docstring)."""
    started = utcnow()  # before the figures are read: a change after it counts as one
    stored = _stored(MONTH, 1, period.months)
    now = evaluation_sources.months(period)
    live = _still_live(period)
    weeks = list(period.weeks().values())
    for index, month in enumerate(period.months):
        row = stored.get(month)
        # The noise is drawn only when the figures are (re)made, and kept with them.
        if row is None:
            figures = now[index] | noise.month(now[index], weeks.count(index))
            _store(MONTH, 1, month, month, figures, started)
        elif live[index] and abs(now[index]["people"] - row.figures["people"]) >= k:
            _replace(row, now[index] | noise.month(now[index], weeks.count(index)), started)
    db.session.commit()
    stored = _stored(MONTH, 1, period.months)
    rows = [stored[month] for month in period.months]
    unchanged = evaluation_sources.unchanged_weeks(period, [row.created_at for row in rows])
    return [
        StoredMonth(row, live[m] and unchanged[m] < row.figures["weeks"])
        for m, row in enumerate(rows)
    ]


def period_stored(period: Period) -> bool:
    """Whether a report has covered this period before."""
    last = period.months[-1]
    return last in _stored(PERIOD, len(period.months), [last])


def period(period: Period, month_rows: list[StoredMonth]) -> EvaluationFigures:
    """The period's stored figures, worked out now if this period was never reported on.

    Each resource's opens over the period are the sum of the months' stored opens at that
    moment (the report shows them beside the months; opens are never withheld).
    """
    size, last = len(period.months), period.months[-1]
    row = _stored(PERIOD, size, [last]).get(last)
    if row is None:
        started = utcnow()
        figures = evaluation_sources.period_figures(period)
        opens: dict[str, int] = {}
        for month in month_rows:
            for resource, count in month.figures["opens"].items():
                opens[resource] = opens.get(resource, 0) + count
        figures["opens"] = dict(sorted(opens.items()))
        figures |= noise.period(figures, [month.noise for month in month_rows])
        _store(PERIOD, size, period.months[0], last, figures, started)
        db.session.commit()
        row = _stored(PERIOD, size, [last])[last]
    return row


def once(kind: str, period: Period, make) -> dict:
    """A section's figures for a period (e.g. "champion"): `make()` the first time a report
    covers the period, stored, and shown again unchanged on every later report."""
    size, last = len(period.months), period.months[-1]
    row = _stored(kind, size, [last]).get(last)
    if row is None:
        _store(kind, size, period.months[0], last, make(), utcnow())
        db.session.commit()
        row = _stored(kind, size, [last])[last]
    return row.figures
