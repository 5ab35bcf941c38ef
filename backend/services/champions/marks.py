"""Who opened support this week, as keyed hashes, for the champion network's take-up.

One mark per person per open week (a keyed hash of person and week, under its own
purpose so it cannot be linked to take-up's marks), with whether they joined through a
champion's code and where they count (the area only when vouched for, the region either
way). Only people who count in releases leave one (membership.counts). The marks are
counted and deleted when the week closes (network.freeze_closed).
"""

from ...extensions import db
from ...models import User
from ...models.champions import ChampionMark
from .. import sql, taxonomy, weekly_marks
from ..releases import counts_in_releases, current_week, vouched_area
from .naming import joined_through_champion


def person_of(user_id: int, week) -> str:
    """The keyed hash that stands for one person within one week."""
    return weekly_marks.person_of("champion-take-up", user_id, week)


def count_open(user: User) -> None:
    """Mark that this person opened support this week (once, whatever they opened).

    The caller has checked the resource exists; this commits with it.
    """
    if not counts_in_releases(user):
        return
    week = current_week()
    statement = sql.insert(ChampionMark).values(
        week=week,
        person=person_of(user.id, week),
        joined=joined_through_champion(user),
        area=vouched_area(user) or "",
        region=taxonomy.region_of(user.area) or "",
    )
    db.session.execute(statement.on_conflict_do_nothing())
    db.session.commit()


def forget(user: User) -> None:
    """Delete the person's marks of weeks not counted yet (erasure, withdrawal)."""
    weekly_marks.forget(ChampionMark, "champion-take-up", user.id)
