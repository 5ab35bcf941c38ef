"""Check-ins: write, read and delete one person's own entries."""

import base64
import binascii
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Entry, User
from ..models.types import utcnow
from . import contributions, taxonomy
from .crypto import open_note, seal_note
from .problems import Forbidden, Invalid, NotFound

SCALES = ("energy", "sleep", "stress")
ENTRY_COLUMNS = (
    "id", "occurred_at", "mood", "energy", "sleep", "stress",
    "factors", "needs", "note", "area", "role_group", "setting", "created_at", "updated_at",
)  # fmt: skip
MAX_PAGE = 100


def _own_entry(user: User, entry_id: uuid.UUID) -> Entry:
    entry = db.session.get(Entry, entry_id)
    # Another person's id looks exactly like one that does not exist.
    if entry is None or entry.user_id != user.id:
        raise NotFound("There is no check-in with that id.")
    return entry


def _check_choices(data: dict) -> None:
    for field, kind in (("factors", "factors"), ("needs", "needs")):
        unknown = sorted(set(data.get(field) or []) - taxonomy.codes(kind))
        if unknown:
            raise Invalid(f"Not one of the listed options: {', '.join(unknown)}.", field)
    if data["occurred_at"] > utcnow():
        raise Invalid("A check-in cannot be in the future.", "occurred_at")


def _require_staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("Only staff accounts keep a diary.")


def put_entry(user: User, entry_id: uuid.UUID, data: dict) -> tuple[Entry, bool]:
    """Create or replace the person's check-in with this id; returns (entry, created)."""
    _require_staff(user)
    _check_choices(data)
    entry = db.session.get(Entry, entry_id)
    if entry is not None and entry.user_id != user.id:
        raise NotFound("There is no check-in with that id.")
    created = entry is None
    moments = [data["occurred_at"]]
    if created:
        entry = Entry(
            id=entry_id,
            user_id=user.id,
            area=user.area,
            role_group=user.role_group,
            setting=user.setting,
        )
        db.session.add(entry)
    else:
        moments.append(entry.occurred_at)
    changed = _assign(user, entry, data)
    if changed and not created:
        entry.updated_at = utcnow()
    contributions.entries_changed(user.id, moments)
    try:
        db.session.commit()
    except IntegrityError:
        # Two first writes of one id raced: the other won, so this one is a replace.
        db.session.rollback()
        existing = db.session.get(Entry, entry_id)
        if existing is None or existing.user_id != user.id:
            raise NotFound("There is no check-in with that id.") from None
        return put_entry(user, entry_id, data)
    return entry, created


def _assign(user: User, entry: Entry, data: dict) -> bool:
    """Copy the writable fields onto the entry; True when anything differs."""
    changed = False
    values = {
        "occurred_at": data["occurred_at"],
        "mood": data["mood"],
        "factors": sorted(set(data.get("factors") or [])),
        "needs": sorted(set(data.get("needs") or [])),
        **{scale: data.get(scale) for scale in SCALES},
    }
    for field, value in values.items():
        if getattr(entry, field) != value:
            setattr(entry, field, value)
            changed = True
    note = data.get("note") or None
    if note_of(entry) != note:
        entry.note_sealed = seal_note(user.id, entry.id, note)
        changed = True
    return changed


def note_of(entry: Entry) -> str | None:
    """The plain note of a check-in, for its owner's eyes only."""
    return open_note(entry.user_id, entry.id, entry.note_sealed)


def entry_record(entry: Entry) -> dict:
    """One check-in as its owner sees it, note opened."""
    record = {c: getattr(entry, c) for c in ENTRY_COLUMNS if c != "note"}
    record["note"] = note_of(entry)
    return record


def get_entry(user: User, entry_id: uuid.UUID) -> Entry:
    _require_staff(user)
    return _own_entry(user, entry_id)


def delete_entry(user: User, entry_id: uuid.UUID) -> None:
    _require_staff(user)
    entry = _own_entry(user, entry_id)
    contributions.entries_changed(user.id, [entry.occurred_at])
    db.session.delete(entry)
    db.session.commit()


def encode_cursor(entry: Entry) -> str:
    raw = f"{entry.occurred_at.isoformat()}|{entry.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, entry_id = raw.split("|")
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError
        return moment, uuid.UUID(entry_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise Invalid("That page marker is not valid.", "cursor", "query") from None


def list_entries(
    user: User,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> tuple[list[Entry], str | None]:
    """The person's check-ins, newest first, from `start` (inclusive) to `end` (exclusive)."""
    _require_staff(user)
    query = sa.select(Entry).where(Entry.user_id == user.id)
    if start is not None:
        query = query.where(Entry.occurred_at >= start)
    if end is not None:
        query = query.where(Entry.occurred_at < end)
    if cursor:
        at, entry_id = _decode_cursor(cursor)
        query = query.where(
            sa.or_(
                Entry.occurred_at < at,
                sa.and_(Entry.occurred_at == at, Entry.id < entry_id),
            )
        )
    limit = max(1, min(limit, MAX_PAGE))
    query = query.order_by(Entry.occurred_at.desc(), Entry.id.desc()).limit(limit + 1)
    rows = list(db.session.scalars(query))
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def all_entries(user: User) -> list[Entry]:
    """Every check-in of the person, oldest first (for export and summaries)."""
    query = sa.select(Entry).where(Entry.user_id == user.id).order_by(Entry.occurred_at)
    return list(db.session.scalars(query))
