"""Cell tallies: the exact running totals of each cell of the open weeks.

The queue of contribution changes (contributions.py) is folded in by `apply_changes`, summed
by the database itself per week and cell in one GROUP BY of integer sums over the queued
rows: the needs and factors are counted from their bit masks, one sum per code. When some
queued row's masks do not match the taxonomy's code lists (a code outside them, or lists
changed since the row was queued), that fold counts the needs and factors from the JSON
arrays instead, unnested by json_each or json_array_elements_text. So a publication costs
one small query over the changed person-weeks and one bulk update of the touched cells
(`save`); the queries are in queue_sums.py. `from_scratch` recomputes the same totals
from the person-week rollup; the property tests compare the two, and `rebuild` uses it
after a bulk load or a repair.

The ONS4 items are tallied like the scales, each on its own (the sum of the 0..10 answers
and how many answered), never added together; their sums stay whole numbers.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa

from ...extensions import db
from ...models import User
from ...models.insights import CellTally, ContributionChange, PersonWeek
from .contributions import CHOICES, choice_codes, open_weeks
from .privacy import ONS4, SCALES
from .queue_sums import choice_sums, sums

SUMMED = ("mood", "tough", *SCALES, *ONS4, *(f"{name}_n" for name in (*SCALES, *ONS4)))


def empty_totals() -> dict:
    totals = {"tough": 0, "mood": 0.0, "needs": {}, "factors": {}}
    for scale in SCALES:
        totals[f"{scale}_n"], totals[scale] = 0, 0.0
    for item in ONS4:
        totals[f"{item}_n"], totals[item] = 0, 0  # whole answers: exact integer sums
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
    for name in (*SCALES, *ONS4):
        value = getattr(row, name)
        if value is not None:
            totals[f"{name}_n"] = totals.get(f"{name}_n", 0) + sign
            totals[name] = totals.get(name, 0) + sign * value
    for kind in CHOICES:
        counts = totals[kind]
        for code in getattr(row, kind) or []:
            counts[code] = counts.get(code, 0) + sign
            if counts[code] == 0:
                del counts[code]


@dataclass(eq=False)
class Tally:
    """A cell tally as publication works on it (a plain object: `save` writes the changed)."""

    week: date
    level: str
    key: str
    parent: str = ""
    contributors: int = 0
    totals: dict = field(default_factory=empty_totals)
    leaves_since: int = 0
    published: dict | None = None
    stored: bool = False
    changed: bool = True


STORED = ("week", "level", "key", "parent", "contributors", "totals", "leaves_since", "published")
KEY = ("week", "level", "key")


def load(weeks: list[date]) -> dict[tuple, Tally]:
    table = CellTally.__table__
    rows = db.session.execute(
        sa.select(*(table.c[name] for name in STORED)).where(table.c.week.in_(weeks))
    )
    return {tuple(row[:3]): Tally(*row, stored=True, changed=False) for row in rows}


def tally_for(tallies: dict, week: date, level: str, key: str, parent: str = "") -> Tally:
    """The tally of a cell, made (empty) when the cell has none yet."""
    found = tallies.get((week, level, key))
    if found is None:
        found = tallies[(week, level, key)] = Tally(week, level, key, parent)
    return found


@cache
def _update() -> sa.Update:
    table = CellTally.__table__
    match = (table.c[name] == sa.bindparam(f"k_{name}", type_=table.c[name].type) for name in KEY)
    values = {name: sa.bindparam(f"v_{name}", type_=table.c[name].type) for name in STORED[3:]}
    return sa.update(table).where(*match).values(values)


def save(tallies: dict) -> None:
    """Write the tallies made or changed since `load`: one bulk insert, one bulk update."""
    table = CellTally.__table__
    changed = [tally for tally in tallies.values() if tally.changed]
    made = [{name: getattr(t, name) for name in STORED} for t in changed if not t.stored]
    if made:
        db.session.execute(sa.insert(table), made)
    kept = [
        {**{f"k_{n}": getattr(t, n) for n in KEY}, **{f"v_{n}": getattr(t, n) for n in STORED[3:]}}
        for t in changed
        if t.stored
    ]
    if kept:
        db.session.execute(_update(), kept)
    for tally in changed:
        tally.stored, tally.changed = True, False


def _count(counts: dict, code: str, change: int) -> None:
    counts[code] = counts.get(code, 0) + change
    if counts[code] == 0:
        del counts[code]


def apply_changes(weeks: list[date], tallies: dict) -> int:
    """Fold the queue into the tallies of open weeks; changes to closed weeks are dropped.

    The caller writes the changed tallies (`save`).
    """
    table = ContributionChange.__table__
    last = db.session.scalar(sa.select(sa.func.max(table.c.id)))
    if last is None:
        return 0
    fingerprint, codes, _bit_of = choice_codes()
    params = {"last": last, "weeks": weeks, "choice_map": fingerprint}
    query = sums(*(len(codes[kind]) for kind in CHOICES), db.engine.dialect.name)
    rows = db.session.execute(query, params).all()
    from_masks = not any(row.odd for row in rows)
    for row in rows:
        values = row._mapping
        tally = tally_for(tallies, row.week, row.level, row.key, row.parent)
        tally.contributors += int(row.n)
        tally.leaves_since += int(row.leaves)
        tally.changed = True
        if row.level == "area" and row.parent:
            tally.parent = row.parent
        totals = tally.totals
        for name in SUMMED:
            totals[name] = totals.get(name, 0) + (values[name] or 0)
        for kind in CHOICES if from_masks else ():
            counts = totals.setdefault(kind, {})
            for bit, code in enumerate(codes[kind]):
                if change := values[f"{kind}_{bit}"]:
                    _count(counts, code, int(change))
    for kind in () if from_masks else CHOICES:
        for row in db.session.execute(choice_sums(kind, db.engine.dialect.name), params):
            tally = tally_for(tallies, row.week, row.level, row.key)
            _count(tally.totals.setdefault(kind, {}), row.code, int(row.n))
            tally.changed = True
    db.session.execute(
        sa.delete(table).where(table.c.id <= last),
        execution_options={"synchronize_session": False},
    )
    return last


def from_scratch(week: date) -> dict[tuple[str, str], tuple[int, dict]]:
    """Exact (contributors, totals) of every cell of a week, recomputed from person-weeks."""
    rows = db.session.scalars(
        sa.select(PersonWeek)
        .join(User, User.id == PersonWeek.user_id)
        .where(
            PersonWeek.week == week,
            User.research_consent.is_(True),
            User.established_at.is_not(None),
        )
    )
    found: dict[tuple[str, str], tuple[int, dict]] = {}
    for row in rows:
        for level, key, _parent in placements(row):
            n, totals = found.get((level, key), (0, empty_totals()))
            add_to(totals, row, +1)
            found[(level, key)] = (n + 1, totals)
    return found


def rebuild(now: datetime | None = None) -> None:
    """Recompute the open weeks' totals from person-weeks; publications and departures stay.

    The caller holds the publisher's lock and commits.
    """
    weeks = open_weeks(now)
    db.session.execute(sa.delete(ContributionChange))
    tallies = load(weeks)
    for week in weeks:
        fresh = from_scratch(week)
        for (level, key), (n, totals) in fresh.items():
            tally = tally_for(tallies, week, level, key)
            tally.contributors, tally.totals = n, totals
        for (tally_week, level, key), tally in tallies.items():
            if tally_week == week and (level, key) not in fresh:
                tally.contributors, tally.totals = 0, empty_totals()
    rows = db.session.execute(
        sa.select(PersonWeek.area, PersonWeek.region).where(PersonWeek.week.in_(weeks)).distinct()
    )
    parents = {area or "": region or "" for area, region in rows}
    for (_week, level, key), tally in tallies.items():
        if level == "area":
            tally.parent = parents.get(key, tally.parent)
        tally.changed = True
    save(tallies)
