"""What researchers read: the published cells of releases, never the check-ins.

For each week the latest release holding it is the one shown. Cells carry no user id, no
free text and no individual time; the exact counts and reasons kept for the privacy checks
are left out here, so nothing downstream can serve them by mistake.
"""

import csv
import io
from datetime import date, timedelta

import sqlalchemy as sa

from ...extensions import db
from ...models.insights import Release, ReleaseCell
from .. import taxonomy
from ..problems import Invalid
from .contributions import current_week
from .privacy import ONS4

LEVEL_LISTS = {"area": "areas", "region": "regions", "role_group": "role_groups"}
LEVEL_LISTS["setting"] = "settings"
# The ONS4 items are means on 0..10, one column each (never a summed score).
PUBLIC_FIELDS = ("contributors", "mood", "tough_share", "energy", "sleep", "stress", *ONS4)
# The CSV's give-or-take columns: 90% half-widths ("shares" applies to every share).
MARGIN_FIELDS = ("contributors", "shares", "mood", "energy", "sleep", "stress", *ONS4)
DEFAULT_WEEKS = 12
MAX_WEEKS = 156


def latest_release_for(week: date) -> int | None:
    """The id of the latest release holding this week (an index lookup)."""
    return db.session.scalar(
        sa.select(sa.func.max(ReleaseCell.release_id)).where(ReleaseCell.week == week)
    )


def released_weeks(limit: int | None = None) -> list[date]:
    """Weeks that have a release, newest first (every one of them unless limited).

    One index probe a week (the latest week below the one before), not a DISTINCT over
    every cell ever published: release cells grow by thousands a day, weeks by one a week.
    """
    cells = ReleaseCell.__table__
    found = sa.select(sa.func.max(cells.c.week).label("week")).cte("weeks", recursive=True)
    before = found.alias("before")
    below = sa.select(sa.func.max(cells.c.week)).where(cells.c.week < before.c.week)
    found = found.union_all(
        sa.select(below.scalar_subquery().label("week")).where(before.c.week.is_not(None))
    )
    query = sa.select(found.c.week).where(found.c.week.is_not(None))
    query = query.order_by(found.c.week.desc())
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def label_of(level: str, key: str) -> str:
    if level == "all":
        return "Everyone"
    return taxonomy.labels(LEVEL_LISTS[level]).get(key, key)


def public_cell(cell: ReleaseCell) -> dict:
    """A cell as a researcher may see it: values only when published."""
    shown = cell.status == "published"
    record = {
        "week": cell.week.isoformat(),
        "level": cell.level,
        "key": cell.key,
        "label": label_of(cell.level, cell.key),
        "status": cell.status,
        **{name: getattr(cell, name) if shown else None for name in PUBLIC_FIELDS},
        "needs": (cell.needs or {}) if shown else {},
        "factors": (cell.factors or {}) if shown else {},
        "margins": _margins(cell.margins) if shown else None,
    }
    if cell.level == "area":
        record["region"] = cell.parent
    return record


def _margins(margins: dict | None) -> dict | None:
    """The margins as served: only figures that have one (a held item may not)."""
    if margins is None:
        return None
    return {name: value for name, value in margins.items() if value is not None}


def week_cells(week: date, levels: tuple[str, ...] | None = None) -> tuple[int | None, list]:
    """(release id, cells) of one week as currently published; "not given" cells left out."""
    release_id = latest_release_for(week)
    if release_id is None:
        return None, []
    query = sa.select(ReleaseCell).where(
        ReleaseCell.release_id == release_id,
        ReleaseCell.week == week,
        sa.or_(ReleaseCell.key != "", ReleaseCell.level == "all"),
    )
    if levels:
        query = query.where(ReleaseCell.level.in_(levels))
    cells = db.session.scalars(query.order_by(ReleaseCell.level, ReleaseCell.key))
    return release_id, list(cells)


def week_range(start: date | None, end: date | None) -> list[date]:
    """Mondays from start to end (inclusive), by default the last twelve weeks."""
    end = monday(end or current_week())
    start = monday(start or end - timedelta(weeks=DEFAULT_WEEKS - 1))
    if start > end:
        raise Invalid("'from' must not be after 'to'.", "from", "query")
    if (end - start).days // 7 >= MAX_WEEKS:
        raise Invalid(f"Please ask for at most {MAX_WEEKS} weeks at once.", "from", "query")
    return [start + timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]


def monday(day: date) -> date:
    """The Monday that names the week holding this day."""
    return day - timedelta(days=day.weekday())


def needs_map(week: date | None = None) -> dict:
    """Every area, region and the total for one week (default: the latest released)."""
    if week is None:
        weeks = released_weeks(1)
        week = weeks[0] if weeks else current_week()
    week = monday(week)
    release_id, cells = week_cells(week)
    release = db.session.get(Release, release_id) if release_id else None
    by_level: dict[str, list] = {}
    for cell in cells:
        by_level.setdefault(cell.level, []).append(public_cell(cell))
    return {
        "week": week.isoformat(),
        "release": release_summary(release) if release else None,
        "weeks": [w.isoformat() for w in released_weeks()],
        "areas": by_level.get("area", []),
        "regions": by_level.get("region", []),
        "all": (by_level.get("all") or [None])[0],
    }


def trends(level: str, start: date | None, end: date | None, key: str | None = None) -> dict:
    """Week-by-week published values of every cell of one level (or one key)."""
    weeks = week_range(start, end)
    series: dict[str, dict] = {}
    for week in weeks:
        _release_id, cells = week_cells(week, (level,))
        for cell in cells:
            if key is not None and cell.key != key:
                continue
            entry = series.setdefault(
                cell.key, {"key": cell.key, "label": label_of(level, cell.key), "points": []}
            )
            entry["points"].append(public_cell(cell))
    return {
        "level": level,
        "from": weeks[0].isoformat(),
        "to": weeks[-1].isoformat(),
        "series": sorted(series.values(), key=lambda s: s["label"]),
    }


def release_summary(release: Release) -> dict:
    return {
        "id": release.id,
        "published_at": release.published_at,
        "k": release.k,
        "rounding": release.rounding,
        "epsilon": release.epsilon,
        "weeks": release.weeks,
        "fresh_cells": release.fresh_cells,
    }


def recent_releases(limit: int = 20) -> list[Release]:
    query = sa.select(Release).order_by(Release.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def releases_after(release_id: int) -> list[Release]:
    query = sa.select(Release).where(Release.id > release_id).order_by(Release.id).limit(50)
    return list(db.session.scalars(query))


def export_csv(start: date | None, end: date | None) -> str:
    """Every published cell of the weeks asked for, one row per cell, as CSV."""
    tax = taxonomy.get_taxonomy()
    needs = [n["code"] for n in tax["needs"]]
    factors = [f["code"] for f in tax["factors"]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["week", "level", "key", "label", "status", *PUBLIC_FIELDS]
        + [f"need:{c}" for c in needs]
        + [f"factor:{c}" for c in factors]
        + [f"give_or_take:{f}" for f in MARGIN_FIELDS]
    )
    for week in week_range(start, end):
        for cell in week_cells(week)[1]:
            record = public_cell(cell)
            absent = 0.0 if cell.status == "published" else None
            writer.writerow(
                [record[f] for f in ("week", "level", "key", "label", "status")]
                + [_csv_value(record[f]) for f in PUBLIC_FIELDS]
                + [_csv_value(record["needs"].get(c, absent)) for c in needs]
                + [_csv_value(record["factors"].get(c, absent)) for c in factors]
                + [_csv_value((record["margins"] or {}).get(f)) for f in MARGIN_FIELDS]
            )
    return out.getvalue()


def _csv_value(value) -> str:
    return "" if value is None else str(value)
