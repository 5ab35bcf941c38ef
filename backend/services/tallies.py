"""Cell tallies: the exact running totals of each cell of the open weeks.

The queue of contribution changes (contributions.py) is folded in by `apply_changes`, summed
by the database itself per week and cell in one GROUP BY of integer sums over the queued
rows: the needs and factors are counted from their bit masks, one sum per code. When some
queued row's masks do not match the taxonomy's code lists (a code outside them, or lists
changed since the row was queued), that fold counts the needs and factors from the JSON
arrays instead, unnested by json_each or json_array_elements_text. So a publication costs
one small query over the changed person-weeks and one bulk update of the touched cells
(`save`). `from_scratch` recomputes the same totals from the person-week rollup; the
property tests compare the two, and `rebuild` uses it after a bulk load or a repair.

The ONS4 items are tallied like the scales, each on its own (the sum of the 0..10 answers
and how many answered), never added together; their sums stay whole numbers.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from ..models.insights import CellTally, ContributionChange, PersonWeek
from .contributions import choice_codes, open_weeks
from .privacy import ONS4, SCALES

CHOICES = ("needs", "factors")
SNAPSHOT_COLUMNS = ("area", "region", "role_group", "setting")
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


def _levels(table):
    """(level, key, parent) column expressions for each level of cell."""
    none = sa.literal("")
    area, region = sa.func.coalesce(table.c.area, none), sa.func.coalesce(table.c.region, none)
    return [
        ("all", none, none),
        ("region", region, none),
        ("area", area, region),
        ("role_group", sa.func.coalesce(table.c.role_group, none), none),
        ("setting", sa.func.coalesce(table.c.setting, none), none),
    ]


def _where(table):
    return sa.and_(
        table.c.id <= sa.bindparam("last"),
        table.c.week.in_(sa.bindparam("weeks", expanding=True)),
    )


def _bits(mask, count: int, kind: str, sign) -> list:
    """One sum per code: the queued rows (with their signs) that have that code's bit set."""
    one = sa.literal_column("1")
    return [
        sa.func.sum(sign * mask.op(">>")(sa.literal_column(str(bit))).op("&")(one)).label(
            f"{kind}_{bit}"
        )
        for bit in range(count)
    ]


def _sum_columns(needs: int, factors: int) -> list:
    """The sums of one cell over its queued changes, needs and factors from their masks."""
    table = ContributionChange.__table__
    sign = table.c.sign
    sums = [
        sa.func.sum(sign).label("n"),
        sa.func.sum(sa.case((sa.and_(sign < 0, table.c.departs), 1), else_=0)).label("leaves"),
        sa.func.sum(sign * table.c.mood).label("mood"),
        sa.func.sum(sa.case((table.c.mood <= 2, sign), else_=0)).label("tough"),
        sa.func.sum(sa.case((table.c.choice_map == sa.bindparam("choice_map"), 0), else_=1)).label(
            "odd"
        ),
    ]
    for name in (*SCALES, *ONS4):
        column = table.c[name]
        zero = 0 if name in ONS4 else 0.0
        sums.append(sa.func.sum(sa.case((column.is_not(None), sign), else_=0)).label(f"{name}_n"))
        sums.append(sa.func.sum(sign * sa.func.coalesce(column, zero)).label(name))
    sums += _bits(table.c.needs_mask, needs, "needs", sign)
    sums += _bits(table.c.factors_mask, factors, "factors", sign)
    return sums


@cache
def _sums(needs: int, factors: int, dialect: str) -> sa.Select | sa.CompoundSelect:
    """Sums per week and cell (level, key, parent) over the queued changes.

    Built once per size of the code lists (it is costly to build). `odd` counts the rows
    whose masks cannot be read with the code lists in force; when there are any, the needs
    and factors of the whole fold are counted from the JSON instead (`_choice_sums`).
    PostgreSQL makes the five levels in one pass (grouping sets); SQLite, which has none,
    in five GROUP BYs joined by UNION ALL.
    """
    table = ContributionChange.__table__
    sums = _sum_columns(needs, factors)
    if dialect == "postgresql":
        return _grouping_sets(table, sums)
    parts = [
        sa.select(sa.literal(level).label("level"), table.c.week, key.label("key"),
                  sa.func.max(parent).label("parent"), *sums)
        .where(_where(table)).group_by(table.c.week, key)
        for level, key, parent in _levels(table)
    ]  # fmt: skip
    return sa.union_all(*parts)


# GROUPING(area, region, role_group, setting) of each set: a bit is 1 where it is summed over.
GROUPED = {"all": 15, "region": 11, "area": 7, "role_group": 13, "setting": 14}


def _grouping_sets(table, sums: list) -> sa.Select:
    none = sa.literal("")
    area, region, role_group, setting = (
        sa.func.coalesce(table.c[name], none) for name in SNAPSHOT_COLUMNS
    )
    inner = (
        sa.select(
            table.c.week, area.label("area"), region.label("region"),
            role_group.label("role_group"), setting.label("setting"),
            sa.func.max(region).label("parent"),
            sa.func.grouping(area, region, role_group, setting).label("grouped"), *sums,
        )
        .where(_where(table))
        .group_by(table.c.week, sa.func.grouping_sets(
            sa.tuple_(), sa.tuple_(region), sa.tuple_(area), sa.tuple_(role_group),
            sa.tuple_(setting),
        ))
    ).subquery()  # fmt: skip
    grouped = inner.c.grouped
    level = sa.case(*((grouped == bits, level) for level, bits in GROUPED.items()))
    key = sa.case(
        *((grouped == GROUPED[name], inner.c[name]) for name in SNAPSHOT_COLUMNS), else_=none
    )
    parent = sa.case((grouped == GROUPED["area"], inner.c.parent), else_=none)
    values = [inner.c[column.name] for column in sums]
    return sa.select(
        level.label("level"), inner.c.week, key.label("key"), parent.label("parent"), *values
    )


@cache
def _choice_sums(kind: str, dialect: str) -> sa.CompoundSelect:
    """Counts per week, cell and code of one kind of choice (needs or factors), from JSON."""
    table = ContributionChange.__table__
    if dialect == "postgresql":
        element = sa.func.json_array_elements_text(table.c[kind]).table_valued("value")
    else:
        element = sa.func.json_each(table.c[kind]).table_valued("value")
    parts = [
        sa.select(sa.literal(level).label("level"), table.c.week, key.label("key"),
                  element.c.value.label("code"), sa.func.sum(table.c.sign).label("n"))
        .select_from(table).join(element, sa.true())
        .where(_where(table)).group_by(table.c.week, key, element.c.value)
        for level, key, _parent in _levels(table)
    ]  # fmt: skip
    return sa.union_all(*parts)


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
    query = _sums(*(len(codes[kind]) for kind in CHOICES), db.engine.dialect.name)
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
        for row in db.session.execute(_choice_sums(kind, db.engine.dialect.name), params):
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
        .where(PersonWeek.week == week, User.research_consent.is_(True))
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
