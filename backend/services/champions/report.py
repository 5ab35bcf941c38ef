"""The evaluation report's champion-network section: what it is worked out from.

Champions, services and people reached (people who count in releases and joined through
a champion's code) are the network's published figures at the "all" level for the last
frozen week of the period (network.py: k, rounding, noise drawn once, the live rule), and
the hub's take-up is the "talk to someone at the hub" requests counted per month. Both are
taken the first time a report covers the period and then stand (evaluation_store.once);
services/evaluation.py shows them under the report's rules.
"""

from datetime import date

import sqlalchemy as sa

from ...extensions import db
from ...models.champions import ChampionCell
from .. import evaluation_store
from ..evaluation_period import Period
from .network import STOCKS, freeze_closed
from .published import week_cells

KIND = "champion"


def requests_per_month(first_month: date, last_month: date) -> dict[date, int]:
    """The seam to the hub's requests (issue 13, part 1: backend/services/hub/): the exact
    number of "talk to someone" requests made in each month from `first_month` to
    `last_month` (first days of months) -> count. Until that part is merged there are none.
    """
    return {}


def _network(period: Period) -> dict:
    """Each standing measure's published figure (its noisy value), or None when hidden."""
    freeze_closed()
    week = db.session.scalar(
        sa.select(sa.func.max(ChampionCell.week)).where(
            ChampionCell.week.between(period.first_week, period.last_week)
        )
    )
    if week is None:
        return dict.fromkeys(STOCKS)
    cells = week_cells(week)
    shown = {}
    for measure in STOCKS:
        cell = cells[measure][("all", "")]
        shown[measure] = cell.shown["noisy"] if cell.visible else None
    return shown


def _make(period: Period) -> dict:
    counts = requests_per_month(period.months[0], period.months[-1])
    return {
        "network": _network(period),
        "requests": [int(counts.get(month, 0)) for month in period.months],
    }


def section(period: Period) -> dict:
    """The section's stored figures for the period (worked out now the first time)."""
    return evaluation_store.once(KIND, period, lambda: _make(period))
