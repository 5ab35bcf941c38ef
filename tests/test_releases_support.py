"""Helpers shared by the insights tests: a population written through the real services.

People are made as rows (argon2 would dominate the run time); their check-ins go through
the entries service, so the person-week rollup and its queue are the real ones.
"""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.insights import ReleaseCell
from backend.models.membership import JoinCode
from backend.models.wellbeing import ONS4_ITEMS, Ons4Answer
from backend.services import entries
from backend.services.releases import contributions

SOUTH_WEST = ["QT6", "QJK", "QVV", "QSL", "QUY", "QOX", "QR1"]
SW_REGION = "E40000006"


def vouching_code(area: str) -> int | None:
    """The id of a join code of the hub's for this area (a row: no code is handed out)."""
    if area is None:
        return None
    row = JoinCode(code_hash=uuid.uuid4().hex, hint="TEST", area=area)
    db.session.add(row)
    db.session.flush()
    return row.id


def add_people(
    count,
    area="QT6",
    role_group="care_worker",
    setting="home_care",
    consent=True,
    established=True,
    vouched=True,
):
    """Staff accounts with this profile; returns their ids.

    By default they count at once: made 30 days ago, established, and their area vouched
    for by a join code. `established=False` makes fresh accounts (made now, waiting);
    `vouched=False` leaves the area self-declared.
    """
    code_id = vouching_code(area) if vouched else None
    made = now_minus(days=30) if established else datetime.now(UTC)
    users = [
        User(
            username=f"p{uuid.uuid4().hex[:12]}",
            password_hash="not-a-real-hash",
            role="staff",
            area=area,
            role_group=role_group,
            setting=setting,
            research_consent=consent,
            created_at=made,
            established_at=now_minus(days=16) if established else None,
            join_code_id=code_id,
        )
        for _ in range(count)
    ]
    db.session.add_all(users)
    db.session.commit()
    return [u.id for u in users]


def now_minus(**delta) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def check_in(user_id, mood=3, when=None, needs=(), factors=(), entry_id=None, **scales):
    """One check-in through the entries service; returns its id."""
    entry_id = entry_id or uuid.uuid4()
    data = {
        "occurred_at": when or this_week_moment(),
        "mood": mood,
        "needs": list(needs),
        "factors": list(factors),
        **{s: scales.get(s) for s in ("energy", "sleep", "stress")},
    }
    entries.put_entry(db.session.get(User, user_id), entry_id, data)
    return entry_id


def this_week_moment() -> datetime:
    """A moment safely inside the current week and in the past."""
    start, _ = contributions.week_bounds(contributions.current_week())
    now = datetime.now(UTC)
    return max(start + timedelta(minutes=1), now - timedelta(minutes=5))


def answer_ons4(user_id, scores=(7, 8, 7, 3), week=None):
    """Give, change or (scores=None) delete a person's ONS4 answers for a week, committed.

    Written as the ONS4 service writes them: the row, then `answers_changed` before commit.
    """
    week = week or contributions.current_week()
    row = db.session.scalar(
        sa.select(Ons4Answer).where(Ons4Answer.user_id == user_id, Ons4Answer.week == week)
    )
    if scores is None:
        if row is not None:
            db.session.delete(row)
    else:
        if row is None:
            row = Ons4Answer(user_id=user_id, week=week)
            db.session.add(row)
        for item, score in zip(ONS4_ITEMS, scores, strict=True):
            setattr(row, item, score)
    contributions.answers_changed(user_id, week)
    db.session.commit()


def check_ins(user_ids, mood=3, **kwargs):
    for user_id in user_ids:
        check_in(user_id, mood, **kwargs)


def latest(week=None) -> dict[tuple[str, str], ReleaseCell]:
    """The cells a researcher sees now for a week (the latest release holding it)."""
    week = week or contributions.current_week()
    release_id = db.session.scalar(
        sa.select(sa.func.max(ReleaseCell.release_id)).where(ReleaseCell.week == week)
    )
    rows = db.session.scalars(
        sa.select(ReleaseCell).where(ReleaseCell.week == week, ReleaseCell.release_id == release_id)
    )
    return {(r.level, r.key): r for r in rows}


def cells_of(release_id, week=None) -> dict[tuple[str, str], ReleaseCell]:
    week = week or contributions.current_week()
    rows = db.session.scalars(
        sa.select(ReleaseCell).where(ReleaseCell.week == week, ReleaseCell.release_id == release_id)
    )
    return {(r.level, r.key): r for r in rows}


def test_check_in_helper_moment_is_in_this_week(app):
    with app.app_context():
        assert contributions.week_of(this_week_moment()) == contributions.current_week()
