"""Take-up of the support catalogue for researchers: people per resource, area and week.

These are counts of people, not opens (take_up_marks.py): a resource opened nine times by
one person counts once, and only established accounts of people who said yes to research
count, under their area only when a hub vouched for it. They are reported under the same
rules as every cell of a release:
- closed weeks only (the weeks before the current one), frozen once when the week closes,
  with noise drawn then: working the cells out on each read gives the same answer;
- a (resource, cell) count is shown only when its exact count is at least k (privacy_k()),
  rounded to the nearest 5 (from the noisy count); a hidden one is shown as such, never as
  zero;
- complementary suppression over all > regions > areas, per resource and week (privacy.py's
  decide and protect), so a hidden area cannot be worked out from its region and siblings,
  nor a hidden region from the total. People who gave no area, an area the hub did not
  vouch for, or one the hub's map no longer lists are the hidden "not given" child.

The resources listed are every id in the catalogue (GET /api/v1/resources gives titles)
plus any id with counts in the weeks asked for, in every week: a resource is listed whether
or not anyone opened it, so its presence says nothing.
"""

import csv
import io
import math
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...models.signposting import TakeUpCell
from .. import resources, taxonomy
from . import published
from .contributions import current_week
from .privacy import ROUNDING, Cell, decide, privacy_k, protect, shown_count
from .take_up_marks import freeze_closed, per_week

DEFAULT_WEEKS = 8
CSV_COLUMNS = (
    "week", "resource", "level", "key", "label", "region", "status", "people", "give_or_take"
)  # fmt: skip


def closed_weeks(count: int = DEFAULT_WEEKS) -> list[date]:
    """The `count` weeks before the current one, oldest first."""
    this = current_week()
    return [this - timedelta(weeks=n) for n in range(count, 0, -1)]


def _counts(weeks: list[date]) -> dict[tuple[date, str], dict[tuple[str, str], TakeUpCell]]:
    """(week, resource) -> (level, key) -> its frozen cell; unlisted areas become ""."""
    areas = taxonomy.codes("areas")
    rows = db.session.scalars(sa.select(TakeUpCell).where(TakeUpCell.week.in_(weeks)))
    found: dict[tuple[date, str], dict[tuple[str, str], TakeUpCell]] = {}
    for row in rows:
        key = "" if row.level == "area" and row.key not in areas else row.key
        cells = found.setdefault((row.week, row.resource), {})
        if (row.level, key) in cells:  # two unlisted areas: one hidden child
            cells[(row.level, key)] = _merged(cells[(row.level, key)], row)
        else:
            cells[(row.level, key)] = row
    return found


def _merged(first: TakeUpCell, second: TakeUpCell) -> TakeUpCell:
    noisy = None if first.noisy is None else first.noisy + (second.noisy or 0)
    margins = [m for m in (first.margin, second.margin) if m is not None]
    margin = round(math.hypot(*margins)) if margins else None  # independent draws add so
    people = first.people + second.people
    return TakeUpCell(level=first.level, key="", people=people, noisy=noisy, margin=margin)


def _cells(frozen: dict[tuple[str, str], TakeUpCell], k: int) -> dict[tuple[str, str], Cell]:
    """The decided and protected cells of one resource in one week."""
    tax = taxonomy.get_taxonomy()
    cells = {("all", ""): Cell("all", "")}
    for region in tax["regions"]:
        cells[("region", region["code"])] = Cell("region", region["code"])
    cells[("region", "")] = Cell("region", "")
    for area in tax["areas"]:
        cells[("area", area["code"])] = Cell("area", area["code"], area["region"])
    cells[("area", "")] = Cell("area", "", "")
    shown, margins = {}, {}
    for (level, key), row in frozen.items():
        cell = cells.setdefault((level, key), Cell(level, key))
        cell.n = row.people
        shown[(level, key)] = row.noisy if row.noisy is not None else row.people
        margins[(level, key)] = row.margin
    for cell in cells.values():
        decide(cell, k)
        if cell.visible:
            cell.shown["noisy"] = shown.get((cell.level, cell.key), cell.n)
            cell.shown["margin"] = margins.get((cell.level, cell.key))
    protect(cells, k)
    return cells


def _shown(cell: Cell) -> dict:
    if not cell.visible:
        return {"status": "suppressed", "people": None, "margin": None}
    people = shown_count(cell.shown["noisy"])
    return {"status": "published", "people": people, "margin": cell.shown.get("margin")}


def take_up(weeks: int = DEFAULT_WEEKS) -> dict:
    """People per resource in all, by region and by area, for the last `weeks` closed weeks."""
    freeze_closed()
    asked = closed_weeks(weeks)
    k = privacy_k()
    counts = _counts(asked)
    listed = [r["id"] for r in resources.catalogue()]
    listed += sorted({r for _week, r in counts} - set(listed))
    out = []
    for week in asked:
        items = []
        for resource in listed:
            cells = _cells(counts.get((week, resource), {}), k)
            items.append(
                {
                    "resource": resource,
                    "all": _shown(cells[("all", "")]),
                    "regions": {c.key: _shown(c) for c in _listed(cells, "region")},
                    "areas": {c.key: _shown(c) for c in _listed(cells, "area")},
                }
            )
        out.append({"week": week.isoformat(), "resources": items})
    return {
        "from": asked[0].isoformat(),
        "to": asked[-1].isoformat(),
        "k": k,
        "rounding": ROUNDING,
        "resources_per_week": per_week(current_app.config),
        "weeks": out,
    }


def _listed(cells: dict, level: str) -> list[Cell]:
    """The cells a researcher sees at one level: the "not given" one is left out."""
    return [c for (lvl, key), c in sorted(cells.items()) if lvl == level and key]


def take_up_csv(weeks: int = DEFAULT_WEEKS) -> str:
    """The same cells, one row per resource, week and cell."""
    data = take_up(weeks)
    regions = {a["code"]: a["region"] for a in taxonomy.get_taxonomy()["areas"]}
    labels = {level: taxonomy.labels(f"{level}s") for level in ("region", "area")}
    labels["all"] = {"": published.label_of("all", "")}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for week in data["weeks"]:
        for item in week["resources"]:
            rows = [("all", "", item["all"])]
            rows += [("region", key, shown) for key, shown in item["regions"].items()]
            rows += [("area", key, shown) for key, shown in item["areas"].items()]
            for level, key, shown in rows:
                people = "" if shown["people"] is None else shown["people"]
                margin = "" if shown["margin"] is None else shown["margin"]
                writer.writerow(
                    [week["week"], item["resource"], level, key, labels[level].get(key, key),
                     regions.get(key, "") if level == "area" else "", shown["status"], people,
                     margin]
                )  # fmt: skip
    return out.getvalue()
