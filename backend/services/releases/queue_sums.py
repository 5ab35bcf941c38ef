"""The queries that fold the queue of contribution changes: sums per week and cell.

Used by tallies.apply_changes. Each level of cell (all, region, area, role group, setting)
is one grouping of the queued rows; the needs and factors are summed from the rows' bit
masks, one sum per code, or (`choice_sums`) unnested from their JSON arrays when the masks
cannot be read with the code lists in force. The queries are built once (it is costly).
"""

from functools import cache

import sqlalchemy as sa

from ...models.insights import ContributionChange
from .. import sql
from .privacy import ONS4, SCALES

SNAPSHOT_COLUMNS = ("area", "region", "role_group", "setting")


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
    columns = [
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
        columns.append(
            sa.func.sum(sa.case((column.is_not(None), sign), else_=0)).label(f"{name}_n")
        )
        columns.append(sa.func.sum(sign * sa.func.coalesce(column, zero)).label(name))
    columns += _bits(table.c.needs_mask, needs, "needs", sign)
    columns += _bits(table.c.factors_mask, factors, "factors", sign)
    return columns


@cache
def sums(needs: int, factors: int, dialect: str) -> sa.Select | sa.CompoundSelect:
    """Sums per week and cell (level, key, parent) over the queued changes.

    Built once per size of the code lists (it is costly to build). `odd` counts the rows
    whose masks cannot be read with the code lists in force; when there are any, the needs
    and factors of the whole fold are counted from the JSON instead (`choice_sums`).
    PostgreSQL makes the five levels in one pass (grouping sets); SQLite, which has none,
    in five GROUP BYs joined by UNION ALL.
    """
    table = ContributionChange.__table__
    columns = _sum_columns(needs, factors)
    if dialect == "postgresql":
        return _grouping_sets(table, columns)
    parts = [
        sa.select(sa.literal(level).label("level"), table.c.week, key.label("key"),
                  sa.func.max(parent).label("parent"), *columns)
        .where(_where(table)).group_by(table.c.week, key)
        for level, key, parent in _levels(table)
    ]  # fmt: skip
    return sa.union_all(*parts)


# GROUPING(area, region, role_group, setting) of each set: a bit is 1 where it is summed over.
GROUPED = {"all": 15, "region": 11, "area": 7, "role_group": 13, "setting": 14}


def _grouping_sets(table, columns: list) -> sa.Select:
    none = sa.literal("")
    area, region, role_group, setting = (
        sa.func.coalesce(table.c[name], none) for name in SNAPSHOT_COLUMNS
    )
    inner = (
        sa.select(
            table.c.week, area.label("area"), region.label("region"),
            role_group.label("role_group"), setting.label("setting"),
            sa.func.max(region).label("parent"),
            sa.func.grouping(area, region, role_group, setting).label("grouped"), *columns,
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
    values = [inner.c[column.name] for column in columns]
    return sa.select(
        level.label("level"), inner.c.week, key.label("key"), parent.label("parent"), *values
    )


@cache
def choice_sums(kind: str, dialect: str) -> sa.CompoundSelect:
    """Counts per week, cell and code of one kind of choice (needs or factors), from JSON."""
    table = ContributionChange.__table__
    element = sql.JSON_ELEMENTS[dialect](table.c[kind]).table_valued("value")
    parts = [
        sa.select(sa.literal(level).label("level"), table.c.week, key.label("key"),
                  element.c.value.label("code"), sa.func.sum(table.c.sign).label("n"))
        .select_from(table).join(element, sa.true())
        .where(_where(table)).group_by(table.c.week, key, element.c.value)
        for level, key, _parent in _levels(table)
    ]  # fmt: skip
    return sa.union_all(*parts)
