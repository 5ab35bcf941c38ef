"""The evaluation report's champion-network section: what it is worked out from.

Champions, services and people reached (people who count in releases and joined through
a champion's code) are the network's published figures at the "all" level for the last
frozen week of the period (champions/network.py: k, rounding, noise drawn once, the live rule), and
the hub's take-up is the people who asked to talk to someone at the hub, counted once a
month each (noised once, as the report's other counts are). Both are
taken the first time a report covers the period and then stand (evaluation_store.once);
evaluation/report.py shows them under the report's rules.
"""

from datetime import date

import sqlalchemy as sa

from ...extensions import db
from ...models.champions import ChampionCell
from .. import hub
from ..champions import STOCKS, freeze_closed, week_cells
from . import noise
from . import store as evaluation_store
from .period import Period

KIND = "champion"


def requests_per_month(first_month: date, last_month: date) -> dict[date, int]:
    """The exact number of "talk to someone" requests made in each month from `first_month`
    to `last_month` (first days of months) -> count, from the hub's monthly tally (which
    holds counts only); the report applies k, rounding and protection to them."""
    return {row["month"]: row["requests"] for row in hub.monthly_counts(first_month, last_month)}


def _network(period: Period) -> tuple[dict, dict]:
    """Each standing measure's published figure (its noisy value), or None when hidden, and
    its give-or-take (None without noise)."""
    freeze_closed()
    week = db.session.scalar(
        sa.select(sa.func.max(ChampionCell.week)).where(
            ChampionCell.week.between(period.first_week, period.last_week)
        )
    )
    if week is None:
        return dict.fromkeys(STOCKS), dict.fromkeys(STOCKS)
    cells = week_cells(week)
    shown, margins = {}, {}
    for measure in STOCKS:
        cell = cells[measure][("all", "")]
        shown[measure] = cell.shown["noisy"] if cell.visible else None
        margins[measure] = cell.shown.get("margin") if cell.visible else None
    return shown, margins


def _make(period: Period) -> dict:
    counts = requests_per_month(period.months[0], period.months[-1])
    requests = [int(counts.get(month, 0)) for month in period.months]
    network, margins = _network(period)
    return {
        "network": network,
        "network_margins": margins,
        "requests": requests,
        **noise.requests(requests),
    }


def section(period: Period) -> dict:
    """The section's stored figures for the period (worked out now the first time)."""
    return evaluation_store.once(KIND, period, lambda: _make(period))
