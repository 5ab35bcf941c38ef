"""Take-up as people: who opened what this week, as keyed hashes, frozen into counts.

When a person opens a resource, one mark is kept for (week, resource, person): the person
as a keyed hash of their id and the week (crypto.keyed_digest, key from instance/), so the
same person opening it nine times is one mark, and marks of different weeks cannot be
linked. Only people who said yes to research and whose account is established leave a mark
(membership.py), under their area only when a hub vouched for it ("" otherwise: they count
from region level up), with their region either way.

When a week has closed, its marks are counted (`freeze_closed`: on the first read of
take-up or the evaluation report after it closes, and by the daily job) into cells of
distinct people per resource in all, in each region and in each vouched area, and the marks
are deleted in the same transaction: who opened what is not kept after the week closes.
Laplace noise (OpenDP, dp.noisy_count) is drawn once then, so reading again cannot average
it away. A person counts in at most TAKE_UP_RESOURCES_PER_WEEK resources a week (3 by
default: the first ones they opened; opening more is fine, it just is not counted), and a
person-week adds at most one to each of the three levels of each, so the sensitivity is
3 x that number (9); TAKE_UP_EPSILON (10 a week by default; 0 turns the noise off) is spent
once per closed week. Each cell keeps the 90% margin of its shown count beside it.

Erasure and a withdrawal of consent delete the person's marks of the weeks not yet frozen.
"""

from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import User
from ...models.signposting import TakeUpCell, TakeUpMark
from .. import resources, sql, taxonomy, weekly_marks
from . import dp, membership
from .contributions import current_week

LEVELS = 3  # all, region, area


def person_of(user_id: int, week) -> str:
    """The keyed hash that stands for one person within one week."""
    return weekly_marks.person_of("take-up", user_id, week)


def per_week(config) -> int:
    """How many resources one person counts in each week."""
    return max(1, int(config["TAKE_UP_RESOURCES_PER_WEEK"]))


def count_open(user: User, resource_id: str) -> None:
    """Mark that this person opened this resource this week (once, however often), unless
    they already count in as many other resources this week as one person may."""
    resources.find(resource_id)
    if not membership.counts(user):
        return
    week = current_week()
    person = person_of(user.id, week)
    marks = TakeUpMark.__table__.c
    counted = db.session.scalars(
        sa.select(marks.resource).where(marks.week == week, marks.person == person)
    ).all()
    if resource_id not in counted and len(counted) >= per_week(current_app.config):
        return
    statement = sql.insert(TakeUpMark).values(
        week=week,
        resource=resource_id,
        person=person,
        area=membership.vouched_area(user) or "",
        region=taxonomy.region_of(user.area) or "",
    )
    db.session.execute(statement.on_conflict_do_nothing())
    db.session.commit()


def forget(user: User) -> None:
    """Delete the person's marks of the weeks not frozen yet (erasure, withdrawal)."""
    weekly_marks.forget(TakeUpMark, "take-up", user.id)


def _noise(config) -> tuple[float, float] | None:
    """(sensitivity, epsilon) of a week's counts, or None with the noise turned off."""
    epsilon = float(config.get("TAKE_UP_EPSILON") or 0)
    if epsilon <= 0:
        return None
    return LEVELS * min(per_week(config), max(1, len(resources.catalogue()))), epsilon


def _cells_of(week: date, cap: int) -> list[dict]:
    """Distinct people per resource and cell of one week's marks, each person in at most
    `cap` resources (count_open keeps to it; two opens at the same moment could pass it, so
    the count holds to it too, keeping a person's first resources by id)."""
    ranked = (
        sa.select(
            TakeUpMark.__table__,
            sa.func.row_number()
            .over(partition_by=TakeUpMark.person, order_by=TakeUpMark.resource)
            .label("nth"),
        )
        .where(TakeUpMark.week == week)
        .subquery()
    )
    marks = ranked.c
    people = sa.func.count(sa.distinct(marks.person))
    levels = [
        ("all", sa.literal(""), sa.literal("")),
        ("region", marks.region, sa.literal("")),
        ("area", marks.area, sa.func.max(marks.region)),
    ]
    found = []
    for level, key, parent in levels:
        query = (
            sa.select(marks.resource, key.label("key"), parent.label("parent"), people)
            .where(marks.nth <= cap)
            .group_by(marks.resource, key)
        )
        for resource, key_value, parent_value, n in db.session.execute(query):
            parent_value = parent_value if level == "area" and key_value else ""
            found.append(
                {"week": week, "resource": resource, "level": level, "key": key_value,
                 "parent": parent_value, "people": int(n)}
            )  # fmt: skip
    return found


def freeze_closed(now=None) -> int:
    """Count every closed week's marks into take-up cells and delete them; returns weeks."""
    this = current_week(now)
    weeks = db.session.scalars(
        sa.select(TakeUpMark.week).where(TakeUpMark.week < this).distinct()
    ).all()
    noise = _noise(current_app.config)
    frozen = set(
        db.session.scalars(sa.select(TakeUpCell.week).where(TakeUpCell.week.in_(weeks)).distinct())
    )
    for week in sorted(weeks):
        if week in frozen:
            # A mark that arrived as its week closed, after the freeze: the counts stand.
            db.session.execute(sa.delete(TakeUpMark).where(TakeUpMark.week == week))
            db.session.commit()
            continue
        cells = _cells_of(week, per_week(current_app.config))
        margin = None if noise is None else dp.shown_count_margin(*noise)
        for cell in cells:
            cell["noisy"] = dp.noisy_count(cell["people"], *noise) if noise else None
            cell["margin"] = margin
        try:
            db.session.execute(sa.insert(TakeUpCell), cells)
            db.session.execute(sa.delete(TakeUpMark).where(TakeUpMark.week == week))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another worker froze this week first: theirs stands
    return len(weeks)
