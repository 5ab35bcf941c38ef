"""Check-ins: write, read and delete one person's own entries."""

import base64
import binascii
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa

from ..extensions import db
from ..models import Entry, User
from ..models.types import utcnow
from . import dates, releases, sql, taxonomy
from .crypto import open_note, seal_note
from .problems import Forbidden, Invalid, NotFound

SCALES = ("energy", "sleep", "stress")
ENTRY_COLUMNS = (
    "id", "occurred_at", "mood", "energy", "sleep", "stress",
    "factors", "needs", "note", "area", "role_group", "setting", "created_at", "updated_at",
)  # fmt: skip
MAX_PAGE = 100
# A phone's clock may run a little ahead of the server's: a check-in stamped up to this far
# ahead is the phone's "now", and is kept as made now (so it never lands in a week that has
# not begun); further ahead, it is in the future and refused.
CLOCK_SKEW = timedelta(minutes=5)
# The hot paths (a check-in, a page of history) use the table with plain statements, built
# once: no entities, no unit of work, nothing the answer does not need.
ENTRIES = Entry.__table__
_STORED = tuple(ENTRIES.c[c] for c in ("user_id", "note_sealed", *ENTRY_COLUMNS) if c != "note")
# A new id is written and returned; an id already taken (by anyone) is left alone, never
# overwritten, and nothing is returned.
_INSERT_IF_NEW = {
    name: insert(ENTRIES).on_conflict_do_nothing(index_elements=["id"]).returning(ENTRIES.c.id)
    for name, insert in sql.INSERTS.items()
}


def _own_entry(user: User, entry_id: uuid.UUID) -> Entry:
    entry = db.session.get(Entry, entry_id)
    # Another person's id looks exactly like one that does not exist.
    if entry is None or entry.user_id != user.id:
        raise NotFound("There is no check-in with that id.")
    return entry


def _check_choices(data: dict, now: datetime) -> None:
    for field, kind in (("factors", "factors"), ("needs", "needs")):
        unknown = sorted(set(data.get(field) or []) - taxonomy.codes(kind))
        if unknown:
            raise Invalid(f"Not one of the listed options: {', '.join(unknown)}.", field)
    if data["occurred_at"] > now + CLOCK_SKEW:
        raise Invalid("A check-in cannot be in the future.", "occurred_at")


def _require_staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("Only staff accounts keep a diary.")


def put_entry(user: User, entry_id: uuid.UUID, data: dict) -> tuple[dict, bool]:
    """Create or replace the person's check-in with this id; returns (its record, created).

    Plain statements rather than the ORM's unit of work, on the hot path of the app: a new
    check-in is one INSERT, a replacement one SELECT and at most one UPDATE, and the record
    answered is built from what was written instead of being read back after the commit.
    """
    _require_staff(user)
    now = utcnow()
    _check_choices(data, now)
    values = _writable(data, now)
    note = data.get("note") or None
    sealed = seal_note(user.id, entry_id, note)
    snapshot = {"area": user.area, "role_group": user.role_group, "setting": user.setting}
    row = {"id": entry_id, "user_id": user.id, **values, "note_sealed": sealed, **snapshot}
    row |= {"created_at": now, "updated_at": now}
    connection = db.session.connection()  # the session's own transaction, Core statements
    releases.prepare_addition(user.id, row)
    # Two first writes of one id racing: the second finds the first's row (PostgreSQL waits
    # for its commit) and goes on as a replacement.
    inserted = connection.execute(_INSERT_IF_NEW[connection.dialect.name], row).first()
    created = inserted is not None
    if created:
        releases.entry_added(user.id, row)
        db.session.commit()
        return _record(row, note), True
    old = connection.execute(sa.select(*_STORED).where(ENTRIES.c.id == entry_id)).one_or_none()
    if old is None or old.user_id != user.id:
        db.session.rollback()
        raise NotFound("There is no check-in with that id.")
    changes = {field: value for field, value in values.items() if getattr(old, field) != value}
    if note_of(old) != note:
        changes["note_sealed"] = sealed
    if changes:
        changes["updated_at"] = now
        connection.execute(sa.update(ENTRIES).where(ENTRIES.c.id == entry_id).values(changes))
    releases.entries_changed(user.id, [values["occurred_at"], old.occurred_at])
    db.session.commit()
    return _record({**old._asdict(), **changes}, note), False


def _writable(data: dict, now: datetime) -> dict:
    """The fields a person writes, as stored: UTC time (never after `now`, see CLOCK_SKEW),
    choices sorted and without repeats."""
    return {
        "occurred_at": min(data["occurred_at"].astimezone(UTC), now),
        "mood": data["mood"],
        "factors": sorted(set(data.get("factors") or [])),
        "needs": sorted(set(data.get("needs") or [])),
        **{scale: data.get(scale) for scale in SCALES},
    }


def _record(row: dict, note: str | None) -> dict:
    """The record of a check-in just written, as entry_record would read it back."""
    return {c: row[c] for c in ENTRY_COLUMNS if c != "note"} | {"note": note}


def note_of(entry: Entry | sa.Row) -> str | None:
    """The plain note of a check-in, for its owner's eyes only."""
    return open_note(entry.user_id, entry.id, entry.note_sealed)


def entry_record(entry: Entry | sa.Row) -> dict:
    """One check-in (an entity, or a row of the stored columns) as its owner sees it."""
    record = {c: getattr(entry, c) for c in ENTRY_COLUMNS if c != "note"}
    record["note"] = note_of(entry)
    return record


def get_entry(user: User, entry_id: uuid.UUID) -> Entry:
    _require_staff(user)
    return _own_entry(user, entry_id)


def delete_entry(user: User, entry_id: uuid.UUID) -> None:
    _require_staff(user)
    entry = _own_entry(user, entry_id)
    releases.entries_changed(user.id, [entry.occurred_at])
    db.session.delete(entry)
    db.session.commit()


def encode_cursor(entry: Entry | sa.Row) -> str:
    raw = f"{entry.occurred_at.isoformat()}|{entry.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, entry_id = raw.split("|")
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None or dates.problem(moment, dates.YEAR_AHEAD):
            raise ValueError
        return moment, uuid.UUID(entry_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise Invalid("That page marker is not valid.", "cursor", "query") from None


@cache
def _page_query(start: bool, end: bool, cursor: bool) -> sa.Select:
    """A page of history, built once for each combination of bounds (it is read often)."""
    column = ENTRIES.c
    query = sa.select(*_STORED).where(column.user_id == sa.bindparam("user_id"))
    if start:
        query = query.where(column.occurred_at >= sa.bindparam("start"))
    if end:
        query = query.where(column.occurred_at < sa.bindparam("end"))
    if cursor:
        at, after_id = sa.bindparam("at"), sa.bindparam("after_id")
        query = query.where(
            sa.or_(column.occurred_at < at, sa.and_(column.occurred_at == at, column.id < after_id))
        )
    order = (column.occurred_at.desc(), column.id.desc())
    return query.order_by(*order).limit(sa.bindparam("limit", type_=sa.Integer))


def list_entries(
    user: User,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> tuple[list[sa.Row], str | None]:
    """The person's check-ins, newest first, from `start` (inclusive) to `end` (exclusive).

    Plain rows of the stored columns, not entities: a page is read, never changed.
    """
    _require_staff(user)
    limit = max(1, min(limit, MAX_PAGE))
    params = {"user_id": user.id, "start": start, "end": end, "limit": limit + 1}
    if cursor:
        params["at"], params["after_id"] = _decode_cursor(cursor)
    query = _page_query(start is not None, end is not None, bool(cursor))
    rows = db.session.connection().execute(query, params).all()
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def all_entries(user: User) -> list[Entry]:
    """Every check-in of the person, oldest first (for export and summaries)."""
    query = sa.select(Entry).where(Entry.user_id == user.id).order_by(Entry.occurred_at)
    return list(db.session.scalars(query))
