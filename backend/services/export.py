"""Everything held about a person, for them to take away (JSON, and CSV of check-ins)."""

import csv
import io
import uuid
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from .accounts import tables_holding_people
from .entries import ENTRY_COLUMNS, all_entries, entry_record
from .hub import records_of
from .passkeys import listed

# Tables shown through their own readable form rather than raw rows; a passkey's key
# material and an unanswered challenge mean nothing to the person and stay out.
SHOWN_ELSEWHERE = {"entries", "hub_requests", "passkeys", "passkey_challenges"}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def export_person(user: User) -> dict:
    """The account, every check-in and every other row that carries the person's id."""
    profile = {
        "username": user.username,
        "role": user.role,
        "area": user.area,
        "role_group": user.role_group,
        "setting": user.setting,
        "research_consent": user.research_consent,
        "research_consent_changed_at": user.research_consent_changed_at,
        "created_at": user.created_at,
        "recovery_key_made_at": user.recovery_key_made_at,
        "area_vouched": user.area_vouched,
        "established_at": user.established_at,
        "signup_burst": user.signup_burst,
    }
    other = {}
    for table in tables_holding_people():
        if table.name in SHOWN_ELSEWHERE:
            continue
        rows = db.session.execute(sa.select(table).where(table.c.user_id == user.id)).mappings()
        other[table.name] = [
            {k: _plain(v) for k, v in row.items() if k not in {"user_id", "id"}} for row in rows
        ]
    return {
        "user": profile,
        "entries": [entry_record(e) for e in all_entries(user)],
        "passkeys": [
            {
                "name": p.name,
                "created_at": _plain(p.created_at),
                "last_used_at": _plain(p.last_used_at),
                "backed_up": p.backed_up,
            }
            for p in listed(user)
        ],
        # Their requests to the hub, as they sent them (never the practitioner's note).
        "hub_requests": [{k: _plain(v) for k, v in r.items()} for r in records_of(user)],
        "other": other,
    }


def entries_csv(user: User) -> str:
    """The person's check-ins as CSV, factors and needs joined with semicolons."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ENTRY_COLUMNS)
    writer.writeheader()
    for entry in all_entries(user):
        record = entry_record(entry)
        record["factors"] = ";".join(record["factors"])
        record["needs"] = ";".join(record["needs"])
        writer.writerow({k: _csv_safe(_plain(v)) for k, v in record.items()})
    return buffer.getvalue()


def _csv_safe(value):
    """Stop a spreadsheet from running a note that starts with = + - @ as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
