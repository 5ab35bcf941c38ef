"""Wellbeing champions: naming them, their card and join code, and the network's figures.

Only the verbs others call are exported; the rest stays inside the package.
"""

from .marks import count_open, forget
from .naming import card_for, champion_of, current_code, listed, name, new_code, remove, update
from .network import STOCKS, daily_job, freeze_closed
from .published import area_figures, figures, week_cells

__all__ = [
    "STOCKS",
    "area_figures",
    "card_for",
    "champion_of",
    "count_open",
    "current_code",
    "daily_job",
    "figures",
    "forget",
    "freeze_closed",
    "listed",
    "name",
    "new_code",
    "remove",
    "update",
    "week_cells",
]
