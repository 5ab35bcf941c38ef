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

How they are shown: published.py.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import User
from ...models.champions import Champion, ChampionCell, ChampionMark
from ...models.membership import JoinCode
from .. import taxonomy
from ..releases import (
    Cell,
    current_week,
    decide,
    noisy_count,
    privacy_k,
    shown_count_margin,
)

STOCKS = ("champions", "services", "joined", "rest")
FLOWS = ("joined_took_up", "rest_took_up")
MEASURES = STOCKS + FLOWS
# What one person can move in one week: as a champion 4 cells (all, region, area, setting)
# and 3 of services; as a colleague 3 of joined or rest, and 3 of their take-up.
SENSITIVITY = 13
# The row an empty week leaves, so that it is known to be frozen.
EMPTY = {"measure": "champions", "level": "all", "key": "", "parent": "", "people": 0,
         "basis": None, "noisy": None, "margin": None}  # fmt: skip


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
    """(measure, level, key) -> (basis, noisy, margin) of the last publication before a week."""
    query = (
        sa.select(ChampionCell)
        .where(ChampionCell.week < before, ChampionCell.measure.in_(STOCKS))
        .where(ChampionCell.basis.is_not(None))
        .order_by(ChampionCell.week)
    )
    return {
        (r.measure, r.level, r.key): (r.basis, r.noisy, r.margin) for r in db.session.scalars(query)
    }


def _frozen_rows(week: date, found: dict, standing: dict) -> list[dict]:
    k = privacy_k()
    epsilon = float(current_app.config.get("CHAMPION_EPSILON") or 0)
    fresh_margin = shown_count_margin(SENSITIVITY, epsilon) if epsilon > 0 else None
    rows = []
    for measure, level, key in sorted(set(found) | set(standing)):
        parent, n = found.get((measure, level, key), ["", 0])
        basis, noisy, margin = standing.get((measure, level, key), (None, None, None))
        cell = Cell(level, key, parent, n=n)
        if basis is not None:
            cell.published = {"exact": basis, "noisy": noisy}
        decide(cell, k)
        if cell.fresh:
            basis = n
            noisy = noisy_count(n, SENSITIVITY, epsilon) if epsilon > 0 else None
            margin = fresh_margin
        elif not cell.visible:
            basis = noisy = margin = None
        rows.append({"week": week, "measure": measure, "level": level, "key": key,
                     "parent": parent, "people": n, "basis": basis, "noisy": noisy,
                     "margin": margin})  # fmt: skip
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


def daily_job(app) -> None:
    """The scheduled job (runs inside an app context): freeze the week that closed."""
    freeze_closed()
