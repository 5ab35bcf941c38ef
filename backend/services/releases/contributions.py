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
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.session import Session

from ...extensions import db
from ...models import Entry, User
from ...models.insights import ContributionChange, PersonWeek
from ...models.types import utcnow
from ...models.wellbeing import ONS4_ITEMS, Ons4Answer
from .. import retention, taxonomy
from . import membership

WEEK_ZONE = ZoneInfo("Europe/London")
SCALES = ("energy", "sleep", "stress")
SNAPSHOT = ("area", "region", "role_group", "setting")
PENDING = "contribution_weeks"
ADDED = "contribution_additions"
PREPARED = "contribution_prepared"
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


def prepare_addition(user_id: int, entry: dict) -> None:
    """Call before a new check-in (its stored values, profile snapshot included) is written.

    Reads its person-week and works the check-in into the week's running sums before the
    transaction writes anything: SQLite lets one connection write at a time, and a worker
    that held the lock while it worked this out kept the other waiting (at 64 clients, half
    the check-ins a second were lost to that). At commit, the row is written only if it has
    not changed since it was read; if it has, the week is read again, under the lock.
    """
    week, user = week_of(entry["occurred_at"]), db.session.get(User, user_id)
    row = db.session.connection().execute(_PERSON_WEEK, {"user_id": user_id, "week": week}).first()
    prepared = db.session.info.setdefault(PREPARED, {})
    prepared[(user_id, week)] = (row, _added(row, [entry], week, user))


def entry_added(user_id: int, entry: dict) -> None:
    """A new check-in was written: its person-week is brought up to date at commit, from
    what `prepare_addition` worked out when it can be, else by reading the week again."""
    additions = db.session.info.setdefault(ADDED, {})
    additions.setdefault((user_id, week_of(entry["occurred_at"])), []).append(entry)


def answers_changed(user_id: int, week: date) -> None:
    """Refresh this person's contribution to a week whose ONS4 answers changed (at commit).

    Call it when an answer is given, changed or deleted. Without a check-in that week there
    is no person-week, and the answers wait for one (see the module's docstring).
    """
    db.session.info.setdefault(PENDING, set()).add((user_id, week))


def _refresh_pending(session) -> None:
    pending = session.info.pop(PENDING, None) or set()
    added = session.info.pop(ADDED, None) or {}
    prepared = session.info.pop(PREPARED, None) or {}
    if not pending and not added:
        return
    session.flush()
    for user_id in sorted({user_id for user_id, _week in pending | added.keys()}):
        user = db.session.get(User, user_id)
        if user is not None and membership.is_due(user):
            establish(user)
    for key in sorted(pending | added.keys()):
        user_id, week = key
        if key in pending:  # a replacement, a deletion, an answer: the week is read again
            refresh_person_week(user_id, week)
        elif len(added[key]) == 1 and prepared.get(key, (None, None))[1] is not None:
            row, new = prepared[key]
            if not _write(user_id, week, row, new, unchanged_since_read=True):
                refresh_person_week(user_id, week)
        else:
            refresh_person_week(user_id, week, added[key])


def _forget_pending(session, *_args) -> None:
    for name in (PENDING, ADDED, PREPARED):
        session.info.pop(name, None)


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
SUMS = ("mood_sum", *(f"{scale}_{part}" for scale in SCALES for part in ("sum", "n")))
_WEEK_CHECK_INS = (
    sa.select(
        *(ENTRIES.c[c] for c in ("mood", *SCALES, *CHOICES, "area", "role_group", "setting")),
        ENTRIES.c.occurred_at,
    )
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
_PERSON_WEEK_COLUMNS = tuple(
    PERSON_WEEKS.c[name]
    for name in ("id", "week", "check_ins", "updated_at", *FIELDS, *SUMS, "latest_at")
)
_PERSON_WEEK = sa.select(*_PERSON_WEEK_COLUMNS).where(
    PERSON_WEEKS.c.user_id == sa.bindparam("user_id"),
    PERSON_WEEKS.c.week == sa.bindparam("week"),
)
# The columns set are the parameters' keys (bar row_id).
_UPDATE_PERSON_WEEK = sa.update(PERSON_WEEKS).where(PERSON_WEEKS.c.id == sa.bindparam("row_id"))
_UPDATE_IF_AS_READ = _UPDATE_PERSON_WEEK.where(
    PERSON_WEEKS.c.check_ins == sa.bindparam("seen_check_ins"),
    PERSON_WEEKS.c.updated_at == sa.bindparam("seen_at"),
)


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
    values = {
        "check_ins": len(rows),
        "mood_sum": sum(e.mood for e in rows),
        "needs": sorted({n for e in rows for n in e.needs or ()}),
        "factors": sorted({f for e in rows for f in e.factors or ()}),
        **_snapshot(rows[-1], user),
    }
    for scale in SCALES:
        given = [getattr(e, scale) for e in rows if getattr(e, scale) is not None]
        values[f"{scale}_sum"], values[f"{scale}_n"] = sum(given), len(given)
    answers = connection.execute(_WEEK_ANSWERS, {"user_id": user_id, "week": week}).first()
    for item in ONS4_ITEMS:
        values[item] = getattr(answers, item) if answers is not None else None
    return _with_means(values)


def _snapshot(latest, user: User) -> dict:
    """The profile snapshot of the week's latest check-in, which the person-week carries.

    The area is kept only when a hub vouched for it (and it is still the person's area);
    otherwise None, so it counts from region level up.
    """
    get = latest.get if isinstance(latest, dict) else lambda name: getattr(latest, name)
    area = get("area")
    return {
        "area": area if area == membership.vouched_area(user) else None,
        "region": taxonomy.region_of(area),
        "role_group": get("role_group"),
        "setting": get("setting"),
        "latest_at": get("occurred_at"),
    }


def _with_means(values: dict) -> dict:
    """The means from the sums, as the mean of the answers themselves would be (the sums of
    whole numbers are exact, so sum / n is fmean's own result)."""
    values["mood"] = values["mood_sum"] / values["check_ins"]
    for scale in SCALES:
        n = values[f"{scale}_n"]
        values[scale] = values[f"{scale}_sum"] / n if n else None
    return values


def _retention_limit() -> date:
    months = current_app.config["RETENTION_MONTHS"]
    return retention.cutoff(utcnow(), months).date()


def _added(row, entries: list[dict], week: date, user: User) -> dict | None:
    """The person-week with these new check-ins added to its running sums, or None when the
    week must be read again: no row yet, a row from before the sums were kept, a new
    check-in at the very moment of the latest (its order is the database's to say), or a
    week reaching back to the retention limit (the retention job may have deleted some of
    its check-ins and kept the row)."""
    if row is None or row.mood_sum is None or row.latest_at is None:
        return None
    if any(e["occurred_at"] == row.latest_at for e in entries) or week <= _retention_limit():
        return None
    values = {
        "check_ins": row.check_ins + len(entries),
        "mood_sum": row.mood_sum + sum(e["mood"] for e in entries),
        **{item: getattr(row, item) for item in ONS4_ITEMS},
    }
    for kind in CHOICES:
        values[kind] = sorted({*getattr(row, kind), *(c for e in entries for c in e[kind])})
    for scale in SCALES:
        given = [e[scale] for e in entries if e[scale] is not None]
        values[f"{scale}_sum"] = getattr(row, f"{scale}_sum") + sum(given)
        values[f"{scale}_n"] = getattr(row, f"{scale}_n") + len(given)
    latest = max(entries, key=lambda e: e["occurred_at"])
    if latest["occurred_at"] > row.latest_at:
        values |= _snapshot(latest, user)
    else:
        values |= {name: getattr(row, name) for name in (*SNAPSHOT, "latest_at")}
    return _with_means(values)


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


def refresh_person_week(user_id: int, week: date, added: list[dict] | None = None) -> None:
    """Recompute one person-week and queue the difference it makes.

    `added`: the new check-ins, when nothing else of the week changed; they are added to the
    week's running sums when it has them, else the week is read again.
    """
    user = db.session.get(User, user_id)
    if user is None:
        return
    connection = db.session.connection()
    row = connection.execute(_PERSON_WEEK, {"user_id": user_id, "week": week}).first()
    new = _added(row, added, week, user) if added else None
    if new is None:
        new = _contribution(user, week)
    _write(user_id, week, row, new)


def _write(user_id: int, week: date, row, new: dict | None, unchanged_since_read=False) -> bool:
    """Write the person-week `row` now is (`new`, None: gone) and queue the difference.

    With `unchanged_since_read`, `row` was read before this transaction took the write lock:
    nothing is written unless the stored row is still that one (returns False).
    """
    if row is not None and new is not None and all(new[f] == getattr(row, f) for f in new):
        return True
    connection = db.session.connection()
    if new is None:
        if row is not None:
            connection.execute(sa.delete(PERSON_WEEKS).where(PERSON_WEEKS.c.id == row.id))
    elif row is None:
        connection.execute(
            sa.insert(PERSON_WEEKS),
            {"user_id": user_id, "week": week, **new, "updated_at": utcnow()},
        )
    elif unchanged_since_read:
        seen = {"row_id": row.id, "seen_check_ins": row.check_ins, "seen_at": row.updated_at}
        written = connection.execute(_UPDATE_IF_AS_READ, {**seen, **new, "updated_at": utcnow()})
        if written.rowcount != 1:
            return False
    else:
        connection.execute(_UPDATE_PERSON_WEEK, {"row_id": row.id, **new, "updated_at": utcnow()})
    user = db.session.get(User, user_id)
    if membership.counts(user) and week in open_weeks():
        changes = []
        if row is not None:
            moved = new is None or any(new[f] != getattr(row, f) for f in SNAPSHOT)
            changes.append(change(row, -1, moved, week))
        if new is not None:
            changes.append(change(new, +1, False, week))
        queue(changes)
    return True


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
