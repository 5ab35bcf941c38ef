"""Publishing releases: fold queued contributions into tallies, decide each cell, write.

What a release is: an immutable set of cells for every week still open (the current week
and RELEASE_OPEN_WEEKS - 1 before it), each cell fresh, standing (its previous publication
shown again, value for value) or suppressed. For each week, the researcher sees the latest
release holding it; once a week closes its last release is final. A release is written
only when something a researcher could see has changed, so most runs publish nothing.

Cost: the queued changes (the person-weeks changed since the last run) plus the cells of
the open weeks; never a scan of the check-ins. The rules themselves are in privacy.py.
Called the same way by the scheduled job, `flask --app backend releases publish` and tests.
"""

import logging
from datetime import date, datetime

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm.attributes import flag_modified

from ..extensions import db
from ..models import User
from ..models.insights import CellTally, ContributionChange, PersonWeek, Release, ReleaseCell
from ..models.types import utcnow
from . import dp, privacy, taxonomy
from .contributions import open_weeks
from .privacy import ROUNDING, SCALES, Cell

log = logging.getLogger(__name__)
LOCK_KEY = 4_242_001  # pg_advisory_xact_lock: one publisher at a time
LISTS = (("regions", "region"), ("role_groups", "role_group"), ("settings", "setting"))
VALUE_FIELDS = ("contributors", "mood", "tough_share", *SCALES, "needs", "factors")


def _empty_totals() -> dict:
    totals = {"tough": 0, "mood": 0.0, "needs": {}, "factors": {}}
    for scale in SCALES:
        totals[f"{scale}_n"], totals[scale] = 0, 0.0
    return totals


def placements(row) -> list[tuple[str, str, str]]:
    """The (level, key, parent) cells one contribution belongs to."""
    region = row.region or ""
    return [
        ("all", "", ""),
        ("region", region, ""),
        ("area", row.area or "", region),
        ("role_group", row.role_group or "", ""),
        ("setting", row.setting or "", ""),
    ]


def add_to(totals: dict, row, sign: int) -> None:
    """Add (sign=+1) or take away (-1) one person-week's contribution."""
    totals["mood"] += sign * row.mood
    totals["tough"] += sign * (1 if row.mood <= 2 else 0)
    for scale in SCALES:
        value = getattr(row, scale)
        if value is not None:
            totals[f"{scale}_n"] += sign
            totals[scale] += sign * value
    for kind in ("needs", "factors"):
        counts = totals[kind]
        for code in getattr(row, kind) or []:
            counts[code] = counts.get(code, 0) + sign
            if counts[code] == 0:
                del counts[code]


def _lock() -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    else:
        # A write first takes SQLite's write lock, so two publishers queue rather than race.
        db.session.execute(sa.update(CellTally).where(sa.false()).values(leaves_since=0))


def _load_tallies(weeks: list[date]) -> dict[tuple, CellTally]:
    rows = db.session.scalars(sa.select(CellTally).where(CellTally.week.in_(weeks)))
    return {(tally.week, tally.level, tally.key): tally for tally in rows}


def _tally(tallies: dict, week: date, level: str, key: str, parent: str) -> CellTally:
    found = tallies.get((week, level, key))
    if found is None:
        found = CellTally(
            week=week, level=level, key=key, parent=parent, contributors=0,
            totals=_empty_totals(), leaves_since=0, published=None,
        )  # fmt: skip
        db.session.add(found)
        tallies[(week, level, key)] = found
    return found


def _merge(totals: dict, delta: dict) -> None:
    for name, value in delta.items():
        if isinstance(value, dict):
            counts = totals.setdefault(name, {})
            for code, count in value.items():
                counts[code] = counts.get(code, 0) + count
                if counts[code] == 0:
                    del counts[code]
        else:
            totals[name] = totals.get(name, 0) + value


def apply_changes(weeks: list[date], tallies: dict) -> int:
    """Fold the queue into the tallies of open weeks; changes to closed weeks are dropped.

    The changes are read as plain rows and summed per profile, then per cell, so the ORM
    touches each tally once however many changes there were.
    """
    table = ContributionChange.__table__
    changes = db.session.execute(sa.select(table).order_by(table.c.id)).all()
    profiles: dict[tuple, dict] = {}
    for change in changes:
        if change.week not in weeks:
            continue
        profile = (change.week, change.area, change.region, change.role_group, change.setting)
        delta = profiles.setdefault(profile, {"n": 0, "leaves": 0, "totals": _empty_totals()})
        delta["n"] += change.sign
        add_to(delta["totals"], change, change.sign)
        if change.sign < 0 and change.departs:
            delta["leaves"] += 1
        delta["row"] = change
    deltas: dict[tuple, dict] = {}
    for (week, *_profile), profile_delta in profiles.items():
        for level, key, parent in placements(profile_delta["row"]):
            delta = deltas.setdefault(
                (week, level, key), {"n": 0, "leaves": 0, "parent": parent, "totals": {}}
            )
            delta["n"] += profile_delta["n"]
            delta["leaves"] += profile_delta["leaves"]
            _merge(delta["totals"], profile_delta["totals"])
    for (week, level, key), delta in deltas.items():
        tally = _tally(tallies, week, level, key, delta["parent"])
        tally.contributors += delta["n"]
        tally.leaves_since += delta["leaves"]
        tally.parent = delta["parent"] if level == "area" else ""
        _merge(tally.totals, delta["totals"])
        # Changed in place: an autoflush may already have snapshot the same dict.
        flag_modified(tally, "totals")
    if changes:
        db.session.execute(
            sa.delete(table).where(table.c.id <= changes[-1].id),
            execution_options={"synchronize_session": False},
        )
    return len(changes)


def _cells(week: date, tallies: dict) -> dict[tuple[str, str], Cell]:
    """Every fixed cell of a week: the taxonomy's and any the tallies hold."""
    tax = taxonomy.get_taxonomy()
    cells = {("all", ""): Cell("all", "")}
    for area in tax["areas"]:
        cells[("area", area["code"])] = Cell("area", area["code"], area["region"])
    for kind, level in (
        ("regions", "region"),
        ("role_groups", "role_group"),
        ("settings", "setting"),
    ):
        for item in tax[kind]:
            cells[(level, item["code"])] = Cell(level, item["code"])
    for (tally_week, level, key), tally in tallies.items():
        if tally_week != week:
            continue
        cell = cells.setdefault((level, key), Cell(level, key, tally.parent))
        cell.parent = tally.parent if level == "area" else ""
        cell.n, cell.totals = tally.contributors, tally.totals
        cell.leaves, cell.published = tally.leaves_since, tally.published
    return cells


def _latest_signatures(week: date) -> dict[tuple[str, str], tuple]:
    latest = sa.select(sa.func.max(ReleaseCell.release_id)).where(ReleaseCell.week == week)
    rows = db.session.execute(
        sa.select(
            ReleaseCell.level, ReleaseCell.key, ReleaseCell.status, ReleaseCell.computed_in
        ).where(ReleaseCell.week == week, ReleaseCell.release_id == latest.scalar_subquery())
    )
    return {(r.level, r.key): (r.status, r.computed_in) for r in rows}


def _signature(cell: Cell) -> tuple:
    if cell.fresh:
        return ("fresh", None)
    if cell.visible:
        return ("published", cell.shown["computed_in"])
    return ("suppressed", None)


def publish(now: datetime | None = None) -> Release | None:
    """Publish a release of the open weeks if anything visible changed; returns it or None."""
    config = current_app.config
    k, now = config["PRIVACY_K"], now or utcnow()
    _lock()
    weeks = open_weeks(now)
    tallies = _load_tallies(weeks)
    apply_changes(weeks, tallies)
    db.session.execute(sa.delete(CellTally).where(CellTally.week.not_in(weeks)))
    may_refresh = dp.can_spend(now.year, config)
    decided, changed = {}, False
    for week in weeks:
        cells = _cells(week, tallies)
        for cell in cells.values():
            privacy.decide(cell, k, may_refresh)
        privacy.protect(cells, k)
        decided[week] = cells
        before = _latest_signatures(week)
        changed = changed or any(
            before.get(key, ("missing",)) != _signature(c) for key, c in cells.items()
        )
    if not changed:
        db.session.commit()
        return None
    release = _write(decided, tallies, weeks, now, k)
    db.session.commit()
    log.info("release %d published: %d fresh cells", release.id, release.fresh_cells)
    return release


def _write(decided: dict, tallies: dict, weeks: list[date], now: datetime, k: int) -> Release:
    config = current_app.config
    noise = dp.settings(config)
    release = Release(
        published_at=now, k=k, rounding=ROUNDING, weeks=[w.isoformat() for w in weeks],
        epsilon=noise["epsilon"] if noise else None, fresh_cells=0,
    )  # fmt: skip
    db.session.add(release)
    db.session.flush()
    tax = taxonomy.get_taxonomy()
    need_codes = [n["code"] for n in tax["needs"]]
    factor_codes = [f["code"] for f in tax["factors"]]
    for week, cells in decided.items():
        for cell in cells.values():
            if cell.fresh:
                totals, n = cell.totals, cell.n
                if noise:
                    totals, n = dp.noisy(
                        totals, n, noise["epsilon"], len(weeks), need_codes, factor_codes
                    )
                shown = privacy.values(totals, n, k)
                shown.update(exact=cell.n, computed_in=release.id)
                tally = _tally(tallies, week, cell.level, cell.key, cell.parent)
                tally.published, tally.leaves_since = shown, 0
                cell.shown = shown
                release.fresh_cells += 1
            db.session.add(_release_cell(release.id, week, cell))
    if noise and release.fresh_cells:
        dp.spend(now.year, noise["epsilon"])
    return release


def _release_cell(release_id: int, week: date, cell: Cell) -> ReleaseCell:
    row = ReleaseCell(
        release_id=release_id, week=week, level=cell.level, key=cell.key,
        parent=cell.parent if cell.level == "area" else "",
    )  # fmt: skip
    if cell.visible:
        row.status, row.exact = "published", cell.shown["exact"]
        row.computed_in = cell.shown["computed_in"]
        for name in VALUE_FIELDS:
            setattr(row, name, cell.shown.get(name))
    else:
        row.status, row.reason = "suppressed", cell.reason
    return row


def tallies_from_scratch(week: date) -> dict[tuple[str, str], tuple[int, dict]]:
    """Exact (contributors, totals) of every cell of a week, recomputed from person-weeks."""
    rows = db.session.scalars(
        sa.select(PersonWeek)
        .join(User, User.id == PersonWeek.user_id)
        .where(PersonWeek.week == week, User.research_consent.is_(True))
    )
    found: dict[tuple[str, str], tuple[int, dict]] = {}
    for row in rows:
        for level, key, _parent in placements(row):
            n, totals = found.get((level, key), (0, _empty_totals()))
            add_to(totals, row, +1)
            found[(level, key)] = (n + 1, totals)
    return found


def rebuild_tallies(now: datetime | None = None) -> None:
    """Recompute the open weeks' tallies from person-weeks (after a bulk load or a repair).

    Standing publications and departures are kept; only the running totals are replaced.
    """
    _lock()
    weeks = open_weeks(now)
    db.session.execute(sa.delete(ContributionChange))
    tallies = _load_tallies(weeks)
    for week in weeks:
        fresh = tallies_from_scratch(week)
        for (level, key), (n, totals) in fresh.items():
            parent = ""
            tally = _tally(tallies, week, level, key, parent)
            tally.contributors, tally.totals = n, totals
        for (tally_week, level, key), tally in tallies.items():
            if tally_week == week and (level, key) not in fresh:
                tally.contributors, tally.totals = 0, _empty_totals()
    _fix_parents(weeks)
    db.session.commit()


def _fix_parents(weeks: list[date]) -> None:
    rows = db.session.execute(
        sa.select(PersonWeek.area, PersonWeek.region).where(PersonWeek.week.in_(weeks)).distinct()
    )
    parents = {area or "": region or "" for area, region in rows}
    for tally in db.session.scalars(
        sa.select(CellTally).where(CellTally.week.in_(weeks), CellTally.level == "area")
    ):
        tally.parent = parents.get(tally.key, tally.parent)


def publish_job(app: Flask) -> None:
    """The scheduled job (runs inside an app context)."""
    publish()
