"""The champion network's figures for the hub, under the release rules.

Each closed week is frozen once, the first time the figures are read after it closes (or by
the daily job), into cells of exact counts with noise drawn then (OpenDP, dp.noisy_count),
so reading again gives the same answer and cannot average the noise away. The measures:

- champions: wellbeing champions by area, region, all and setting (the service's);
- services: services (a setting in an area) that have a champion, by area, region, all;
- joined / rest: people who count in releases (established, said yes to research) who
  joined through a champion's code, and everyone else, by vouched area, region and all;
- joined_took_up / rest_took_up: how many of each opened support in the week (people, once
  each, from the week's marks; marks.py).

The first four are standing numbers, so consecutive weeks are consecutive releases of them:
the live rule holds (privacy.decide): a week's figure is worked out afresh only when its
count has moved by at least k since its last publication, otherwise the last publication is
shown again, value and noise alike. So two weeks never differ by one person. The take-up
measures are each week's own people, frozen with their week, as take-up's are.

When shown (`figures`): a figure needs at least k people behind it (exact counts decide),
is rounded to 5 from its noisy value, and complementary suppression (privacy.protect) runs
over all > regions > areas (and all > settings) within each measure. Across measures, per
cell: "joined" and "the rest" are shown together or not at all, so neither can be worked
out from a total known elsewhere (the same for their take-up); and a take-up figure is
hidden when its people would leave 1..k-1 of its group who did not take it up.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import User
from ...models.champions import Champion, ChampionCell, ChampionMark
from ...models.membership import JoinCode
from .. import dp, taxonomy
from ..contributions import current_week
from ..privacy import ROUNDING, Cell, decide, protect, shown_count, shown_share

STOCKS = ("champions", "services", "joined", "rest")
FLOWS = ("joined_took_up", "rest_took_up")
MEASURES = STOCKS + FLOWS
PAIRS = (("joined", "rest"), ("joined_took_up", "rest_took_up"))
TAKE_UP_OF = {"joined_took_up": "joined", "rest_took_up": "rest"}
# What one person can move in one week: as a champion 4 cells (all, region, area, setting)
# and 3 of services; as a colleague 3 of joined or rest, and 3 of their take-up.
SENSITIVITY = 13
DEFAULT_WEEKS = 8
# The row an empty week leaves, so that it is known to be frozen.
EMPTY = {"measure": "champions", "level": "all", "key": "", "parent": "", "people": 0,
         "basis": None, "noisy": None}  # fmt: skip


def _add(found: dict, measure: str, area: str, region: str, setting: str | None = None):
    cells = [("all", "", ""), ("region", region, ""), ("area", area, region if area else "")]
    if setting is not None:
        cells.append(("setting", setting, ""))
    for level, key, parent in cells:
        entry = found.setdefault((measure, level, key), [parent, 0])
        entry[1] += 1


def _stocks() -> dict:
    """(measure, level, key) -> [parent, people] for the standing numbers, as of now."""
    found: dict = {}
    services = set()
    for champion in db.session.scalars(sa.select(Champion)):
        region = taxonomy.region_of(champion.area) or ""
        _add(found, "champions", champion.area, region, champion.setting)
        services.add((champion.area, champion.setting))
    for area, _setting in services:
        _add(found, "services", area, taxonomy.region_of(area) or "")
    # Only the columns the counts need: never a username or anything else of a person.
    query = (
        sa.select(User.area, User.join_code_id, JoinCode.champion_id)
        .outerjoin(JoinCode, JoinCode.id == User.join_code_id)
        .where(User.role == "staff", User.research_consent.is_(True))
        .where(User.established_at.is_not(None))
    )
    for area, join_code_id, champion_id in db.session.execute(query):
        # The area counts at area level only when a join code vouched for it (membership.py).
        vouched = area if join_code_id is not None and area else ""
        measure = "joined" if champion_id is not None else "rest"
        _add(found, measure, vouched, taxonomy.region_of(area) or "")
    return found


def _flows(week: date) -> dict:
    found: dict = {}
    for mark in db.session.scalars(sa.select(ChampionMark).where(ChampionMark.week == week)):
        measure = "joined_took_up" if mark.joined else "rest_took_up"
        _add(found, measure, mark.area, mark.region)
    return found


def _standing(before: date) -> dict:
    """(measure, level, key) -> (basis, noisy) of the last publication before a week."""
    query = (
        sa.select(ChampionCell)
        .where(ChampionCell.week < before, ChampionCell.measure.in_(STOCKS))
        .where(ChampionCell.basis.is_not(None))
        .order_by(ChampionCell.week)
    )
    return {(r.measure, r.level, r.key): (r.basis, r.noisy) for r in db.session.scalars(query)}


def _frozen_rows(week: date, found: dict, standing: dict) -> list[dict]:
    k = current_app.config["PRIVACY_K"]
    epsilon = float(current_app.config.get("CHAMPION_EPSILON") or 0)
    rows = []
    for measure, level, key in sorted(set(found) | set(standing)):
        parent, n = found.get((measure, level, key), ["", 0])
        basis, noisy = standing.get((measure, level, key), (None, None))
        cell = Cell(level, key, parent, n=n)
        if basis is not None:
            cell.published = {"exact": basis, "noisy": noisy}
        decide(cell, k)
        if cell.fresh:
            basis = n
            noisy = dp.noisy_count(n, SENSITIVITY, epsilon) if epsilon > 0 else None
        elif not cell.visible:
            basis = noisy = None
        rows.append({"week": week, "measure": measure, "level": level, "key": key,
                     "parent": parent, "people": n, "basis": basis, "noisy": noisy})  # fmt: skip
    return rows


def freeze_closed(now=None) -> int:
    """Freeze every closed week not frozen yet; returns how many weeks were frozen.

    The standing numbers are counted as they are now, for the week that closed last; the
    take-up of each closed week comes from its marks, which are then deleted.
    """
    this = current_week(now)
    last = this - timedelta(weeks=1)
    weeks = set(
        db.session.scalars(sa.select(ChampionMark.week).where(ChampionMark.week < this))
    ) | {last}
    frozen = set(
        db.session.scalars(
            sa.select(ChampionCell.week).where(ChampionCell.week.in_(weeks)).distinct()
        )
    )
    made = 0
    for week in sorted(weeks):
        if week not in frozen:
            found = _flows(week)
            standing = {}
            if week == last:
                found |= _stocks()
                standing = _standing(week)
            try:
                rows = _frozen_rows(week, found, standing)
                rows = rows or [EMPTY | {"week": week}]
                db.session.execute(sa.insert(ChampionCell), rows)
                made += 1
            except IntegrityError:
                db.session.rollback()  # another worker froze this week first: theirs stands
                continue
        db.session.execute(sa.delete(ChampionMark).where(ChampionMark.week == week))
        db.session.commit()
    return made


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


def _week_cells(week: date) -> dict[str, dict[tuple[str, str], Cell]]:
    """Every measure's cells of one frozen week, decided and protected."""
    k = current_app.config["PRIVACY_K"]
    areas = taxonomy.codes("areas")
    measures = {measure: _skeleton(measure) for measure in MEASURES}
    for row in db.session.scalars(sa.select(ChampionCell).where(ChampionCell.week == week)):
        key = "" if row.level == "area" and row.key not in areas else row.key
        cells = measures[row.measure]
        cell = cells.setdefault((row.level, key), Cell(row.level, key, row.parent))
        cell.n += row.people
        if row.basis is not None and (key or row.level == "all"):
            noisy = row.noisy if row.noisy is not None else row.basis
            cell.shown = {"exact": row.basis, "noisy": noisy}
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
        return {"status": "suppressed", "people": None}
    shown = {"status": "published", "people": shown_count(cell.shown["noisy"])}
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
        measures = _week_cells(week)
        out.append({"week": week.isoformat(),
                    "measures": {m: _measure(m, cells, measures)
                                 for m, cells in measures.items()}})  # fmt: skip
    return {
        "from": asked[0].isoformat(),
        "to": asked[-1].isoformat(),
        "k": current_app.config["PRIVACY_K"],
        "rounding": ROUNDING,
        "weeks": out,
    }


def area_figures(area: str) -> dict:
    """The last closed week's figures for one area, exactly as a researcher sees them."""
    latest = figures(1)["weeks"][0]
    suppressed = {"status": "suppressed", "people": None}
    return {
        "week": latest["week"],
        "area": area,
        "measures": {m: v["areas"].get(area, suppressed) for m, v in latest["measures"].items()},
    }
