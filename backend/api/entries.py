"""Check-ins: the person's own diary entries, by the id their device made."""

import uuid

from flask_login import current_user

from ..schemas.entries import EntryInSchema, EntryListQuerySchema, EntryPageSchema, EntrySchema
from ..services import entries
from .access import staff_only
from .blueprint import Blueprint

blp = Blueprint("entries", __name__, url_prefix="/api/v1/entries", description="Check-ins")


@blp.view("PUT", "/<uuid:entry_id>", staff_only, body=EntryInSchema, returns=EntrySchema)
@blp.alt_response(201, schema=EntrySchema, description="Created")
def put(data, entry_id: uuid.UUID):
    """Create or replace my check-in with this id (201 the first time, 200 after)."""
    record, created = entries.put_entry(current_user, entry_id, data)
    return record, 201 if created else 200


@blp.view("GET", "", staff_only, query=EntryListQuerySchema, returns=EntryPageSchema)
def list_(query):
    """My check-ins, newest first, a page at a time."""
    rows, next_cursor = entries.list_entries(
        current_user,
        start=query.get("from_"),
        end=query.get("to"),
        limit=query["limit"],
        cursor=query.get("cursor"),
    )
    return {"items": [entries.entry_record(e) for e in rows], "next_cursor": next_cursor}


@blp.view("GET", "/<uuid:entry_id>", staff_only, returns=EntrySchema)
def get(entry_id: uuid.UUID):
    """One of my check-ins."""
    return entries.entry_record(entries.get_entry(current_user, entry_id))


@blp.view("DELETE", "/<uuid:entry_id>", staff_only, status=204)
def delete(entry_id: uuid.UUID):
    """Delete one of my check-ins."""
    entries.delete_entry(current_user, entry_id)
