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
MEANS = ("mood", *SCALES, *ONS4)


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
    codes = taxonomy_codes()
    noise = dp.settings(config)
    refreshes = noise["refreshes"] if noise else None
    may_refresh = dp.can_spend(now.year, config, *map(len, codes.values()), len(weeks))
    decided = {}
    for week in weeks:
        cells = _cells(week, tallied)
        for cell in cells.values():
            privacy.decide(cell, k, may_refresh, refreshes, hold_total=True)
        privacy.protect(cells, k)
        before = _latest_signatures(week)
        # A week whose every cell shows as before stays in the release that last held it.
        if any(before.get(key, ("missing",)) != _signature(c) for key, c in cells.items()):
            decided[week] = cells
    if not decided:
        tallies.save(tallied)
        db.session.commit()
        return None
    release = _write(decided, tallied, now, k)
    tallies.save(tallied)
    db.session.commit()
    log.info("release %d published: %d fresh cells", release.id, release.fresh_cells)
    return release


def dp_budget(year: int, config) -> dict | None:
    """The year's privacy budget as the hub sees it, for this taxonomy and these open weeks."""
    codes = taxonomy_codes()
    weeks = config.get("RELEASE_OPEN_WEEKS", 2)
    return dp.budget(year, config, len(codes["needs"]), len(codes["factors"]), weeks)


def taxonomy_codes() -> dict[str, list[str]]:
    """Every need and factor code, in the taxonomy's order."""
    tax = taxonomy.get_taxonomy()
    return {kind: [item["code"] for item in tax[kind]] for kind in ("needs", "factors")}


def _write(decided: dict, tallied: dict, now: datetime, k: int) -> Release:
    noise = dp.settings(current_app.config)
    fresh = sum(cell.fresh for cells in decided.values() for cell in cells.values())
    release = Release(
        published_at=now, k=k, rounding=ROUNDING, weeks=[w.isoformat() for w in decided],
        epsilon=None, fresh_cells=fresh,
    )  # fmt: skip
    db.session.add(release)
    db.session.flush()
    codes = taxonomy_codes()
    drawn = _draw(decided, noise, codes)
    rows, spent = [], 0.0
    for week, cells in decided.items():
        for cell in cells.values():
            if cell.fresh:
                shown = _compute(cell, k, noise, codes, drawn.get(id(cell)))
                shown.update(exact=cell.n, computed_in=release.id)
                tally = tallies.tally_for(tallied, week, cell.level, cell.key, cell.parent)
                tally.published, tally.leaves_since, tally.changed = shown, 0, True
                cell.shown = shown
            rows.append(_release_cell(release.id, week, cell))
        spent += _looks_spent(cells)
    # Bulk inserts of rows with the same columns (published, suppressed), so the driver
    # batches them; a suppressed cell's values are left NULL.
    for status in ("published", "suppressed"):
        if same := [row for row in rows if row["status"] == status]:
            db.session.execute(sa.insert(ReleaseCell.__table__), same)
    if noise:
        per_look = dp.per_look(current_app.config, *map(len, codes.values()))
        release.epsilon = round(spent * per_look, 6)
        if release.epsilon:
            dp.spend(now.year, release.epsilon)
    return release


def _look(cell: Cell, noise: dict) -> tuple[int, float]:
    """(which look at this cell-week this is, the share of the full epsilon it gets)."""
    before = cell.published or {}
    look = before.get("looks", 1 if before else 0) + 1
    return look, dp.look_weight(look, noise["refreshes"])


def _draw(decided: dict, noise: dict | None, codes: dict) -> dict[int, tuple]:
    """The noise of every fresh cell of the release, drawn at once: id(cell) -> (totals, n)."""
    if noise is None:
        return {}
    fresh = [c for cells in decided.values() for c in cells.values() if c.fresh]
    looks = []
    for cell in fresh:
        weight = _look(cell, noise)[1]
        epsilon, share = noise["epsilon"] * weight, noise["share_epsilon"] * weight
        looks.append((cell.totals, cell.n, epsilon, share))
    drawn = dp.noisy_many(looks, codes["needs"], codes["factors"])
    return {id(cell): result for cell, result in zip(fresh, drawn, strict=True)}


def _compute(cell: Cell, k: int, noise: dict | None, codes: dict, drawn: tuple | None) -> dict:
    """A fresh look at a cell: its values (noised when DP is on) and their margins."""
    if noise is None:
        shown = privacy.values(cell.totals, cell.n, k, codes=codes)
        privacy.hold_items(shown, cell.published, cell.totals, cell.leaves > 0, k)
        return shown | {"margins": None}
    before = cell.published or {}
    look, weight = _look(cell, noise)
    epsilon, share = noise["epsilon"] * weight, noise["share_epsilon"] * weight
    totals, n = drawn
    shown = privacy.values(totals, n, k, exact=cell.totals, codes=codes)
    margins = dp.margins(n, epsilon, share, {name: shown[name] for name in MEANS})
    computed = {name: shown[name] for name in MEANS}
    privacy.hold_items(shown, cell.published, cell.totals, cell.leaves > 0, k)
    standing = before.get("margins") or {}
    for name in MEANS:
        if shown[name] is None:
            margins.pop(name, None)
        elif shown[name] != computed[name]:  # a standing value shown again keeps its margin
            margins[name] = standing.get(name)
    spent = before.get("spent", 1.0 if before else 0.0) + weight
    return shown | {"margins": margins, "looks": look, "spent": spent}


def _looks_spent(cells: dict[tuple[str, str], Cell]) -> float:
    """How many full looks this release adds to the worst-off person of one week.

    A person is in at most one cell per level, so per level it is the rise of the
    most-looked-at cell's looks (weighted: a look past the cap counts its share).
    """
    total = 0.0
    for level in privacy.LEVELS:
        of_level = [c for c in cells.values() if c.level == level]
        before = max((_spent(c.published) for c in of_level), default=0.0)
        after = max((_spent(c.shown if c.fresh else c.published) for c in of_level), default=0.0)
        total += max(0.0, after - before)
    return total


def _spent(publication: dict | None) -> float:
    if not publication:
        return 0.0
    return publication.get("spent", 1.0)


def _release_cell(release_id: int, week: date, cell: Cell) -> dict:
    row = {
        "release_id": release_id, "week": week, "level": cell.level, "key": cell.key,
        "parent": cell.parent if cell.level == "area" else "",
    }  # fmt: skip
    if not cell.visible:
        return row | {"status": "suppressed", "reason": cell.reason}
    row.update(status="published", exact=cell.shown["exact"])
    row["computed_in"] = cell.shown["computed_in"]
    for name in (*VALUE_FIELDS, "margins"):
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
