"""The champion network's figures as a researcher (or a champion) sees them.

When shown (`figures`): a figure needs at least k people behind it (exact counts decide),
is rounded to 5 from its noisy value, and complementary suppression (privacy.protect) runs
over all > regions > areas (and all > settings) within each measure. Across measures, per
cell: "joined" and "the rest" are shown together or not at all, so neither can be worked
out from a total known elsewhere (the same for their take-up); and a take-up figure is
hidden when its people would leave 1..k-1 of its group who did not take it up.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from ...extensions import db
from ...models.champions import ChampionCell
from .. import taxonomy
from ..releases import ROUNDING, Cell, current_week, privacy_k, protect, shown_count, shown_share
from .network import MEASURES, freeze_closed

PAIRS = (("joined", "rest"), ("joined_took_up", "rest_took_up"))
TAKE_UP_OF = {"joined_took_up": "joined", "rest_took_up": "rest"}
DEFAULT_WEEKS = 8


def _skeleton(measure: str) -> dict[tuple[str, str], Cell]:
    tax = taxonomy.get_taxonomy()
    cells = {("all", ""): Cell("all", ""), ("region", ""): Cell("region", "")}
    for region in tax["regions"]:
        cells[("region", region["code"])] = Cell("region", region["code"])
    for area in tax["areas"]:
        cells[("area", area["code"])] = Cell("area", area["code"], area["region"])
    cells[("area", "")] = Cell("area", "", "")
    if measure == "champions":
        for setting in tax["settings"]:
            cells[("setting", setting["code"])] = Cell("setting", setting["code"])
    return cells


def week_cells(week: date) -> dict[str, dict[tuple[str, str], Cell]]:
    """Every measure's cells of one frozen week, decided and protected."""
    k = privacy_k()
    areas = taxonomy.codes("areas")
    measures = {measure: _skeleton(measure) for measure in MEASURES}
    for row in db.session.scalars(sa.select(ChampionCell).where(ChampionCell.week == week)):
        key = "" if row.level == "area" and row.key not in areas else row.key
        cells = measures[row.measure]
        cell = cells.setdefault((row.level, key), Cell(row.level, key, row.parent))
        cell.n += row.people
        if row.basis is not None and (key or row.level == "all"):
            noisy = row.noisy if row.noisy is not None else row.basis
            cell.shown = {"exact": row.basis, "noisy": noisy, "margin": row.margin}
    for cells in measures.values():
        for cell in cells.values():
            cell.reason = None if cell.visible else "small"
    _protect_all(measures, k)
    return measures


def _hide(cell: Cell) -> bool:
    cell.shown, cell.reason = None, "complementary"
    return True


def _protect_all(measures: dict, k: int) -> None:
    """Complementary suppression within each measure, then across the pairs, until stable."""
    changed = True
    while changed:
        changed = False
        for cells in measures.values():
            protect(cells, k)
        for first, second in PAIRS:
            for place, one in measures[first].items():
                other = measures[second].get(place)
                if other is None or one.visible == other.visible:
                    continue
                changed = _hide(one if one.visible else other)
        for took_up, group in TAKE_UP_OF.items():
            for place, cell in measures[took_up].items():
                whole = measures[group].get(place)
                left = whole.shown_exact - cell.shown_exact if whole is not None else 0
                if cell.visible and whole is not None and whole.visible and 0 < left < k:
                    changed = _hide(cell)


def _shown(cell: Cell, whole: Cell | None = None) -> dict:
    if not cell.visible:
        return {"status": "suppressed", "people": None, "margin": None}
    people = shown_count(cell.shown["noisy"])
    shown = {"status": "published", "people": people, "margin": cell.shown.get("margin")}
    if whole is not None:
        # Take-up as a share of its group: a rounded count over a rounded count.
        shown["share"] = (
            shown_share(cell.shown["noisy"], whole.shown["noisy"]) if whole.visible else None
        )
    return shown


def _measure(measure: str, cells: dict, measures: dict) -> dict:
    group = measures.get(TAKE_UP_OF.get(measure, ""), {})
    out = {}
    for level, name in (("all", "all"), ("region", "regions"), ("area", "areas"),
                        ("setting", "settings")):  # fmt: skip
        shown = {key: _shown(c, group.get((level, key)))
                 for (lvl, key), c in sorted(cells.items()) if lvl == level}  # fmt: skip
        if level == "all":
            out["all"] = shown[""]
        elif level != "setting" or measure == "champions":
            out[name] = {key: value for key, value in shown.items() if key}
    return out


def closed_weeks(count: int) -> list[date]:
    this = current_week()
    return [this - timedelta(weeks=n) for n in range(count, 0, -1)]


def figures(weeks: int = DEFAULT_WEEKS) -> dict:
    """The network's figures for the last `weeks` closed weeks, as a researcher sees them."""
    freeze_closed()
    asked = closed_weeks(weeks)
    out = []
    for week in asked:
        measures = week_cells(week)
        out.append({"week": week.isoformat(),
                    "measures": {m: _measure(m, cells, measures)
                                 for m, cells in measures.items()}})  # fmt: skip
    return {
        "from": asked[0].isoformat(),
        "to": asked[-1].isoformat(),
        "k": privacy_k(),
        "rounding": ROUNDING,
        "weeks": out,
    }


def area_figures(area: str) -> dict:
    """The last closed week's figures for one area, exactly as a researcher sees them."""
    latest = figures(1)["weeks"][0]
    suppressed = {"status": "suppressed", "people": None, "margin": None}
    return {
        "week": latest["week"],
        "area": area,
        "measures": {m: v["areas"].get(area, suppressed) for m, v in latest["measures"].items()},
    }
