"""Publishing releases: fold queued contributions into tallies, decide each cell, write.

What a release is: an immutable set of all the cells of each open week (the current week
and RELEASE_OPEN_WEEKS - 1 before it) in which something a researcher could see changed;
each cell fresh, standing (its previous publication shown again, value for value) or
suppressed. For each week, the researcher sees the latest release holding it; once a week
closes its last release is final. Nothing visible changed: no release, the usual case.

Cost: the queued changes (the person-weeks changed since the last run) plus the cells of
the open weeks; never a scan of the check-ins. The rules themselves are in privacy.py.
Called the same way by the scheduled job, `flask --app backend releases publish` and tests.
"""

import logging
from datetime import date, datetime

import sqlalchemy as sa
from flask import Flask, current_app

from ...extensions import db
from ...models.insights import CellTally, ContributionChange, Release, ReleaseCell
from ...models.types import utcnow
from .. import taxonomy
from . import dp, privacy, tallies
from .contributions import open_weeks
from .privacy import ONS4, ROUNDING, SCALES, Cell

log = logging.getLogger(__name__)
LOCK_KEY = 4_242_001  # pg_advisory_xact_lock: one publisher at a time
QUEUE = ContributionChange.__tablename__
LISTS = (("regions", "region"), ("role_groups", "role_group"), ("settings", "setting"))
VALUE_FIELDS = ("contributors", "mood", "tough_share", *SCALES, "needs", "factors", *ONS4)


def _lock() -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        # Wait for check-ins still queueing changes and hold new ones back until this commits:
        # else a change committed between the fold and the queue's deletion (a lower id than
        # one already committed) would be deleted without being folded.
        db.session.execute(sa.text(f"LOCK TABLE {QUEUE} IN SHARE ROW EXCLUSIVE MODE"))
    else:
        # A write first takes SQLite's write lock, so two publishers queue rather than race.
        db.session.execute(sa.update(CellTally).where(sa.false()).values(leaves_since=0))


def _cells(week: date, tallied: dict) -> dict[tuple[str, str], Cell]:
    """Every fixed cell of a week: the taxonomy's and any that has a tally."""
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
    for (tally_week, level, key), tally in tallied.items():
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
    k, now = privacy.privacy_k(), now or utcnow()
    _lock()
    weeks = open_weeks(now)
    tallied = tallies.load(weeks)
    tallies.apply_changes(weeks, tallied)
    db.session.execute(sa.delete(CellTally).where(CellTally.week.not_in(weeks)))
    may_refresh = dp.can_spend(now.year, config)
    decided = {}
    for week in weeks:
        cells = _cells(week, tallied)
        for cell in cells.values():
            privacy.decide(cell, k, may_refresh)
        privacy.protect(cells, k)
        before = _latest_signatures(week)
        # A week whose every cell shows as before stays in the release that last held it.
        if any(before.get(key, ("missing",)) != _signature(c) for key, c in cells.items()):
            decided[week] = cells
    if not decided:
        tallies.save(tallied)
        db.session.commit()
        return None
    release = _write(decided, tallied, len(weeks), now, k)
    tallies.save(tallied)
    db.session.commit()
    log.info("release %d published: %d fresh cells", release.id, release.fresh_cells)
    return release


def _write(decided: dict, tallied: dict, open_count: int, now: datetime, k: int) -> Release:
    config = current_app.config
    noise = dp.settings(config)
    fresh = sum(cell.fresh for cells in decided.values() for cell in cells.values())
    release = Release(
        published_at=now, k=k, rounding=ROUNDING, weeks=[w.isoformat() for w in decided],
        epsilon=noise["epsilon"] if noise else None, fresh_cells=fresh,
    )  # fmt: skip
    db.session.add(release)
    db.session.flush()
    tax = taxonomy.get_taxonomy()
    need_codes = [n["code"] for n in tax["needs"]]
    factor_codes = [f["code"] for f in tax["factors"]]
    rows = []
    for week, cells in decided.items():
        for cell in cells.values():
            if cell.fresh:
                totals, n = cell.totals, cell.n
                if noise:
                    totals, n = dp.noisy(
                        totals, n, noise["epsilon"], open_count, need_codes, factor_codes
                    )
                shown = privacy.values(totals, n, k, exact=cell.totals)
                privacy.hold_items(shown, cell.published, cell.totals, cell.leaves > 0, k)
                shown.update(exact=cell.n, computed_in=release.id)
                tally = tallies.tally_for(tallied, week, cell.level, cell.key, cell.parent)
                tally.published, tally.leaves_since, tally.changed = shown, 0, True
                cell.shown = shown
            rows.append(_release_cell(release.id, week, cell))
    # Bulk inserts of rows with the same columns (published, suppressed), so the driver
    # batches them; a suppressed cell's values are left NULL.
    for status in ("published", "suppressed"):
        if same := [row for row in rows if row["status"] == status]:
            db.session.execute(sa.insert(ReleaseCell.__table__), same)
    if noise and fresh:
        dp.spend(now.year, noise["epsilon"])
    return release


def _release_cell(release_id: int, week: date, cell: Cell) -> dict:
    row = {
        "release_id": release_id, "week": week, "level": cell.level, "key": cell.key,
        "parent": cell.parent if cell.level == "area" else "",
    }  # fmt: skip
    if not cell.visible:
        return row | {"status": "suppressed", "reason": cell.reason}
    row.update(status="published", exact=cell.shown["exact"])
    row["computed_in"] = cell.shown["computed_in"]
    for name in VALUE_FIELDS:
        row[name] = cell.shown.get(name)
    return row


def tallies_from_scratch(week: date) -> dict[tuple[str, str], tuple[int, dict]]:
    """Exact totals of every cell of a week, from the person-week rollup (see tallies.py)."""
    return tallies.from_scratch(week)


def rebuild_tallies(now: datetime | None = None) -> None:
    """Recompute the open weeks' tallies from person-weeks (after a bulk load or a repair)."""
    _lock()
    tallies.rebuild(now)
    db.session.commit()


def publish_job(app: Flask) -> None:
    """The scheduled job (runs inside an app context)."""
    publish()
