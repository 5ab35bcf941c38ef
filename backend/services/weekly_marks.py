"""Weekly marks that stand for a person without naming them: a keyed hash of (person, week).

Take-up (releases/take_up_marks.py) and the champion network (champions/marks.py) both
keep such marks until their week is counted; this is the one way to make and forget them.
"""

import sqlalchemy as sa

from ..extensions import db
from . import crypto


def person_of(purpose: str, user_id: int, week) -> str:
    """The keyed hash that stands for one person within one week, for one purpose."""
    return crypto.keyed_digest(purpose, f"{user_id}:{week.isoformat()}")


def forget(model, purpose: str, user_id: int) -> None:
    """Delete the person's marks in `model` of the weeks not counted yet (erasure, withdrawal)."""
    weeks = db.session.scalars(sa.select(model.week).distinct()).all()
    people = [person_of(purpose, user_id, week) for week in weeks]
    if people:
        db.session.execute(sa.delete(model).where(model.person.in_(people)))
