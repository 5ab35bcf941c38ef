"""Take-up of the support catalogue for researchers: opens per resource, area and week.

These are counts of opens, not of people: a resource opened twice by one person counts
twice (the count keeps no user id, so it cannot tell), which is why the open endpoint is
throttled. They are reported under the same rules as every cell of a release:
- closed weeks only (the weeks before the current one): this week's counts still move, and
  publishing them live would let two reads differ by one open. A closed week's counts no
  longer change, so working the cells out on each read gives the same answer every time,
  as a release written once would;
- a (resource, cell) count is shown only when it is at least k (PRIVACY_K), rounded to the
  nearest 5; a hidden one is shown as such, never as zero;
- complementary suppression over all > regions > areas, per resource and week (privacy.py's
  decide and protect), so a hidden area cannot be worked out from its region and siblings,
  nor a hidden region from the total. Opens from people who gave no area (or an area the
  hub's map no longer lists) are the hidden "not given" child, as in releases.

The resources listed are every id in the catalogue (GET /api/v1/resources gives titles)
plus any id with opens in the weeks asked for, in every week: a resource is listed whether
or not anyone opened it, so its presence says nothing. Differential privacy does not apply
here: opens are not bounded per person, so no per-person budget could account for them.
"""

import csv
import io
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models.signposting import ResourceOpen
from . import published, resources, taxonomy
from .contributions import current_week
from .privacy import ROUNDING, Cell, decide, protect, shown_count

DEFAULT_WEEKS = 8
CSV_COLUMNS = ("week", "resource", "level", "key", "label", "region", "status", "opens")


def closed_weeks(count: int = DEFAULT_WEEKS) -> list[date]:
    """The `count` weeks before the current one, oldest first."""
    this = current_week()
    return [this - timedelta(weeks=n) for n in range(count, 0, -1)]


def _counts(weeks: list[date]) -> dict[tuple[date, str], dict[str, int]]:
    """(week, resource) -> area -> opens, with unlisted areas folded into "" (not given)."""
    areas = taxonomy.codes("areas")
    rows = db.session.execute(
        sa.select(ResourceOpen.week, ResourceOpen.resource, ResourceOpen.area, ResourceOpen.opens)
        .where(ResourceOpen.week.in_(weeks))
    )  # fmt: skip
    found: dict[tuple[date, str], dict[str, int]] = {}
    for week, resource, area, opens in rows:
        area = area if area in areas else ""
        by_area = found.setdefault((week, resource), {})
        by_area[area] = by_area.get(area, 0) + opens
    return found


def _cells(by_area: dict[str, int], k: int) -> dict[tuple[str, str], Cell]:
    """The decided and protected cells of one resource in one week."""
    tax = taxonomy.get_taxonomy()
    regions = {a["code"]: a["region"] for a in tax["areas"]}
    cells = {("all", ""): Cell("all", "", n=sum(by_area.values()))}
    for region in tax["regions"]:
        cells[("region", region["code"])] = Cell("region", region["code"])
    cells[("region", "")] = Cell("region", "")
    for area, region in regions.items():
        cells[("area", area)] = Cell("area", area, region, n=by_area.get(area, 0))
        cells[("region", region)].n += by_area.get(area, 0)
    cells[("area", "")] = Cell("area", "", "", n=by_area.get("", 0))
    cells[("region", "")].n = by_area.get("", 0)
    for cell in cells.values():
        decide(cell, k)
    protect(cells, k)
    return cells


def _shown(cell: Cell) -> dict:
    if not cell.visible:
        return {"status": "suppressed", "opens": None}
    return {"status": "published", "opens": shown_count(cell.shown_exact)}


def take_up(weeks: int = DEFAULT_WEEKS) -> dict:
    """Opens per resource in all, by region and by area, for the last `weeks` closed weeks."""
    asked = closed_weeks(weeks)
    k = current_app.config["PRIVACY_K"]
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
                opens = "" if shown["opens"] is None else shown["opens"]
                writer.writerow(
                    [week["week"], item["resource"], level, key, labels[level].get(key, key),
                     regions.get(key, "") if level == "area" else "", shown["status"], opens]
                )  # fmt: skip
    return out.getvalue()
