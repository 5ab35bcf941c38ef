"""Person-week contributions to the anonymised releases, kept up to date on every write.

A week is an ISO week in Europe/London (Monday 00:00 to Monday 00:00 local time), named by
its Monday: the hub and its staff live by that clock, and a late-night shift on Sunday at
23:30 belongs to the week it was worked in, whatever the UTC offset.

Each person has at most one row per week (`person_weeks`): their mean mood, energy, sleep
and stress that week, the set of needs and factors they chose, the profile snapshot of
their latest check-in that week, and their ONS4 answers for that week (one answer a week,
so carried as given, 0 to 10 each).

When a row of a consenting person changes in a week that is still open for releases (see
releases.open_weeks), the change is queued as a delta with no user id
(`contribution_changes`: minus the old contribution, plus the new one), which the next
publication folds into the cell tallies. So publishing costs the person-weeks that changed,
never a scan of the check-ins.

A person-week exists only when the person checked in that week. ONS4 answers given in a
week without a check-in count towards no release (they stay the person's own); they count
as soon as the person checks in that week, since the check-in's refresh reads them. That
keeps one meaning for a contributor (someone who checked in) and for every count, mean and
share built on it; an ONS4 mean is over the cell's contributors who answered.

Each queued change also carries its needs and factors as bit masks over the taxonomy's code
lists (`choice_codes`), so a publication folds the queue with one GROUP BY of integer sums;
a change whose codes the lists do not hold (or whose lists have changed since) is folded
from its JSON instead.

`entries_changed` is called by the entries service before it deletes or flushes the entry,
so the recomputation itself runs when the session commits (a `before_commit` hook), inside
the same transaction, once per person-week however many calls were made.
"""

import json
import zlib
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from statistics import fmean
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.session import Session

from ..extensions import db
from ..models import Entry, User
from ..models.insights import ContributionChange, PersonWeek
from ..models.types import utcnow
from ..models.wellbeing import ONS4_ITEMS, Ons4Answer
from . import taxonomy

WEEK_ZONE = ZoneInfo("Europe/London")
SCALES = ("energy", "sleep", "stress")
SNAPSHOT = ("area", "region", "role_group", "setting")
PENDING = "contribution_weeks"
CHOICES = ("needs", "factors")
MASK_BITS = 63  # a signed 64-bit integer


def week_of(moment: datetime) -> date:
    """The Monday (Europe/London) of the ISO week holding this moment."""
    local = moment.astimezone(WEEK_ZONE).date()
    return local - timedelta(days=local.weekday())


def week_bounds(week: date) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of a week."""
    start = datetime.combine(week, time(), WEEK_ZONE)
    end = datetime.combine(week + timedelta(days=7), time(), WEEK_ZONE)
    return start.astimezone(UTC), end.astimezone(UTC)


def today(now: datetime | None = None) -> date:
    """Today's date in Europe/London, the clock weeks and months are counted by."""
    return (now or utcnow()).astimezone(WEEK_ZONE).date()


def current_week(now: datetime | None = None) -> date:
    return week_of(now or utcnow())


def open_weeks(now: datetime | None = None) -> list[date]:
    """The weeks releases still recompute: this week and the few before it, newest first.

    Older weeks are closed: their last publication is final, and later changes to them (a
    check-in backdated further than that, a withdrawal) no longer reach any release.
    """
    count = max(1, int(current_app.config.get("RELEASE_OPEN_WEEKS", 2)))
    this = current_week(now)
    return [this - timedelta(weeks=n) for n in range(count)]


def entries_changed(user_id: int, moments: list[datetime]) -> None:
    """Refresh this person's contributions for the weeks that hold these moments (at commit)."""
    pending = db.session.info.setdefault(PENDING, set())
    pending.update((user_id, week_of(m)) for m in moments)


def answers_changed(user_id: int, week: date) -> None:
    """Refresh this person's contribution to a week whose ONS4 answers changed (at commit).

    Call it when an answer is given, changed or deleted. Without a check-in that week there
    is no person-week, and the answers wait for one (see the module's docstring).
    """
    db.session.info.setdefault(PENDING, set()).add((user_id, week))


def _refresh_pending(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    session.flush()
    for user_id, week in sorted(pending):
        refresh_person_week(user_id, week)


def _forget_pending(session, *_args) -> None:
    session.info.pop(PENDING, None)


sa.event.listen(Session, "before_commit", _refresh_pending)
sa.event.listen(Session, "after_soft_rollback", _forget_pending)


def _contribution(user_id: int, week: date) -> dict | None:
    start, end = week_bounds(week)
    # Only the columns that count (never the sealed note), as plain rows, not entities.
    columns = (Entry.mood, *(getattr(Entry, f) for f in (*SCALES, "needs", "factors")))
    snapshot = (Entry.area, Entry.role_group, Entry.setting)
    rows = db.session.execute(
        sa.select(*columns, *snapshot)
        .where(Entry.user_id == user_id, Entry.occurred_at >= start, Entry.occurred_at < end)
        .order_by(Entry.occurred_at, Entry.id)
    ).all()
    if not rows:
        return None
    latest = rows[-1]
    values = {
        "check_ins": len(rows),
        "mood": fmean(e.mood for e in rows),
        "needs": sorted({n for e in rows for n in e.needs or []}),
        "factors": sorted({f for e in rows for f in e.factors or []}),
        "area": latest.area,
        "region": taxonomy.region_of(latest.area),
        "role_group": latest.role_group,
        "setting": latest.setting,
    }
    for scale in SCALES:
        given = [getattr(e, scale) for e in rows if getattr(e, scale) is not None]
        values[scale] = fmean(given) if given else None
    answers = db.session.execute(
        sa.select(*(getattr(Ons4Answer, item) for item in ONS4_ITEMS)).where(
            Ons4Answer.user_id == user_id, Ons4Answer.week == week
        )
    ).first()
    for item in ONS4_ITEMS:
        values[item] = getattr(answers, item) if answers is not None else None
    return values


def choice_codes() -> tuple[int, dict[str, tuple[str, ...]], dict[str, dict[str, int]]]:
    """(fingerprint, codes by kind, bit of each code) for the queue's needs and factors masks."""
    tax = taxonomy.get_taxonomy()
    return _choice_codes(*(tuple(item["code"] for item in tax[kind]) for kind in CHOICES))


@lru_cache(maxsize=8)
def _choice_codes(*lists: tuple[str, ...]):
    codes = dict(zip(CHOICES, lists, strict=True))
    fingerprint = zlib.crc32(json.dumps(codes).encode()) & 0x7FFFFFFF
    bits = {kind: {code: bit for bit, code in enumerate(codes[kind])} for kind in CHOICES}
    return fingerprint, codes, bits


def _masks(get) -> dict:
    fingerprint, codes, bits = choice_codes()
    masks: dict = {"choice_map": fingerprint}
    for kind in CHOICES:
        chosen, bit = set(get(kind) or ()), bits[kind]
        if len(codes[kind]) > MASK_BITS or not chosen <= bit.keys():
            return {"choice_map": None, "needs_mask": None, "factors_mask": None}
        masks[f"{kind}_mask"] = sum(1 << bit[code] for code in chosen)
    return masks


def _queue(row: PersonWeek | dict, sign: int, departs: bool, week: date) -> None:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    fields = (*SNAPSHOT, "mood", *SCALES, *CHOICES, *ONS4_ITEMS)
    values = {f: get(f) for f in fields} | _masks(get)
    db.session.add(ContributionChange(week=week, sign=sign, departs=departs, **values))


def refresh_person_week(user_id: int, week: date) -> None:
    """Recompute one person-week from the check-ins and queue the difference it makes."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    row = db.session.scalar(
        sa.select(PersonWeek).where(PersonWeek.user_id == user_id, PersonWeek.week == week)
    )
    new = _contribution(user_id, week)
    if row is not None and new is not None and all(new[f] == getattr(row, f) for f in new):
        return
    counted = user.research_consent and week in open_weeks()
    if row is not None and counted:
        moved = new is None or any(new[f] != getattr(row, f) for f in SNAPSHOT)
        _queue(row, -1, moved, week)
    if new is None:
        if row is not None:
            db.session.delete(row)
        return
    if counted:
        _queue(new, +1, False, week)
    if row is None:
        row = PersonWeek(user_id=user_id, week=week)
        db.session.add(row)
    for field, value in new.items():
        setattr(row, field, value)
    row.updated_at = utcnow()


def _open_rows(user_id: int) -> list[PersonWeek]:
    return list(
        db.session.scalars(
            sa.select(PersonWeek).where(
                PersonWeek.user_id == user_id, PersonWeek.week.in_(open_weeks())
            )
        )
    )


def consent_changed(user: User, consenting: bool) -> None:
    """Add or take away the person's open-week contributions (call before committing)."""
    for row in _open_rows(user.id):
        _queue(row, +1 if consenting else -1, not consenting, row.week)


def person_leaving(user: User) -> None:
    """The account is being erased: take its contributions out of the next release."""
    if user.research_consent:
        consent_changed(user, False)
