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
from . import membership, taxonomy

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
    for user_id in sorted({user_id for user_id, _week in pending}):
        user = db.session.get(User, user_id)
        if user is not None and membership.is_due(user):
            establish(user)
    for user_id, week in sorted(pending):
        refresh_person_week(user_id, week)


def _forget_pending(session, *_args) -> None:
    session.info.pop(PENDING, None)


sa.event.listen(Session, "before_commit", _refresh_pending)
sa.event.listen(Session, "after_soft_rollback", _forget_pending)


# The recompute runs inside every check-in's commit, so it uses the tables with plain
# statements built once (no entities, nothing for the unit of work to flush): a SELECT of
# the person-week, of the week's check-ins and of the ONS4 answers, then at most one write
# of the person-week and one INSERT of the queued changes. Only the columns that count are
# read, never the sealed note.
ENTRIES = Entry.__table__
PERSON_WEEKS = PersonWeek.__table__
CHANGES = ContributionChange.__table__
ANSWERS = Ons4Answer.__table__
FIELDS = (*SNAPSHOT, "mood", *SCALES, *CHOICES, *ONS4_ITEMS)
_WEEK_CHECK_INS = (
    sa.select(*(ENTRIES.c[c] for c in ("mood", *SCALES, *CHOICES, "area", "role_group", "setting")))
    .where(
        ENTRIES.c.user_id == sa.bindparam("user_id"),
        ENTRIES.c.occurred_at >= sa.bindparam("start"),
        ENTRIES.c.occurred_at < sa.bindparam("end"),
    )
    .order_by(ENTRIES.c.occurred_at, ENTRIES.c.id)
)
_WEEK_ANSWERS = sa.select(*(ANSWERS.c[item] for item in ONS4_ITEMS)).where(
    ANSWERS.c.user_id == sa.bindparam("user_id"), ANSWERS.c.week == sa.bindparam("week")
)
_PERSON_WEEK_COLUMNS = (PERSON_WEEKS.c.id, PERSON_WEEKS.c.week, PERSON_WEEKS.c.check_ins) + tuple(
    PERSON_WEEKS.c[f] for f in FIELDS
)
_PERSON_WEEK = sa.select(*_PERSON_WEEK_COLUMNS).where(
    PERSON_WEEKS.c.user_id == sa.bindparam("user_id"),
    PERSON_WEEKS.c.week == sa.bindparam("week"),
)
# The columns set are the parameters' keys (bar row_id).
_UPDATE_PERSON_WEEK = sa.update(PERSON_WEEKS).where(PERSON_WEEKS.c.id == sa.bindparam("row_id"))


def _contribution(user: User, week: date) -> dict | None:
    """What this person-week counts as now, from its check-ins and ONS4 answers (or None).

    The area is the one of the latest check-in only when a hub vouched for it (and it is
    still the person's area); otherwise None, so it counts from region level up.
    """
    user_id = user.id
    start, end = week_bounds(week)
    connection = db.session.connection()
    rows = connection.execute(
        _WEEK_CHECK_INS, {"user_id": user_id, "start": start, "end": end}
    ).all()
    if not rows:
        return None
    latest = rows[-1]
    values = {
        "check_ins": len(rows),
        "mood": fmean(e.mood for e in rows),
        "needs": sorted({n for e in rows for n in e.needs or ()}),
        "factors": sorted({f for e in rows for f in e.factors or ()}),
        "area": latest.area if latest.area == membership.vouched_area(user) else None,
        "region": taxonomy.region_of(latest.area),
        "role_group": latest.role_group,
        "setting": latest.setting,
    }
    for scale in SCALES:
        given = [getattr(e, scale) for e in rows if getattr(e, scale) is not None]
        values[scale] = fmean(given) if given else None
    answers = connection.execute(_WEEK_ANSWERS, {"user_id": user_id, "week": week}).first()
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


def change(row, sign: int, departs: bool, week: date) -> dict:
    """One queued change (a person-week row, entity or dict, counted in or out), as values."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    values = {f: get(f) for f in FIELDS} | _masks(get)
    return {"week": week, "sign": sign, "departs": departs, **values}


def queue(changes: list[dict]) -> None:
    """Write queued changes on the session's transaction (they carry no user id)."""
    if changes:
        db.session.connection().execute(sa.insert(CHANGES), changes)


def refresh_person_week(user_id: int, week: date) -> None:
    """Recompute one person-week from the check-ins and queue the difference it makes."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    connection = db.session.connection()
    row = connection.execute(_PERSON_WEEK, {"user_id": user_id, "week": week}).first()
    new = _contribution(user, week)
    if row is not None and new is not None and all(new[f] == getattr(row, f) for f in new):
        return
    counted = membership.counts(user) and week in open_weeks()
    changes = []
    if row is not None and counted:
        moved = new is None or any(new[f] != getattr(row, f) for f in SNAPSHOT)
        changes.append(change(row, -1, moved, week))
    if new is not None and counted:
        changes.append(change(new, +1, False, week))
    queue(changes)
    if new is None:
        if row is not None:
            connection.execute(sa.delete(PERSON_WEEKS).where(PERSON_WEEKS.c.id == row.id))
    elif row is None:
        connection.execute(
            sa.insert(PERSON_WEEKS),
            {"user_id": user_id, "week": week, **new, "updated_at": utcnow()},
        )
    else:
        connection.execute(_UPDATE_PERSON_WEEK, {"row_id": row.id, **new, "updated_at": utcnow()})


def _open_rows(user_id: int) -> list[sa.Row]:
    query = sa.select(*_PERSON_WEEK_COLUMNS).where(
        PERSON_WEEKS.c.user_id == user_id, PERSON_WEEKS.c.week.in_(open_weeks())
    )
    return db.session.connection().execute(query).all()


def consent_changed(user: User, consenting: bool) -> None:
    """Add or take away the person's open-week contributions (call before committing).

    An account that is not established yet has nothing in the tallies to add or take away.
    """
    if user.established_at is None:
        return
    sign = +1 if consenting else -1
    queue([change(row, sign, not consenting, row.week) for row in _open_rows(user.id)])


def person_leaving(user: User) -> None:
    """The account is being erased: take its contributions out of the next release."""
    if user.research_consent:
        consent_changed(user, False)


def establish(user: User, now: datetime | None = None) -> None:
    """The account now counts: mark it, and queue its open weeks for the next release.

    Its person-weeks were kept while it waited but counted nowhere, so they are added now
    (when the person said yes to research). The caller commits.
    """
    user.established_at = now or utcnow()
    if user.research_consent:
        queue([change(row, +1, False, row.week) for row in _open_rows(user.id)])


def membership_changed(user: User) -> None:
    """The person's vouched area changed: recompute their open weeks at commit.

    A week whose area now counts (or no longer does) moves between the area cell and the
    hidden "not given" child of the region, as a change of area does.
    """
    pending = db.session.info.setdefault(PENDING, set())
    pending.update((user.id, row.week) for row in _open_rows(user.id))
