"""SQL that both databases spell the same way but SQLAlchemy builds per dialect."""

import logging

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

log = logging.getLogger(__name__)

# INSERT ... ON CONFLICT, by dialect name.
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# Each element of a JSON array as a row of its own (a table-valued function), by dialect name.
JSON_ELEMENTS = {"sqlite": sa.func.json_each, "postgresql": sa.func.json_array_elements_text}


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def insert(table):
    """An INSERT that can take ON CONFLICT clauses, for the database of the session."""
    return INSERTS[_dialect()](table)


def json_elements(column):
    """The elements of a JSON array column as rows, with their text in `.c.value`."""
    return JSON_ELEMENTS[_dialect()](column).table_valued("value")


def leave_no_copy() -> bool:
    """After a deletion has committed, keep no copy of what it deleted in the database files.

    SQLite: its connections overwrite deleted content with zeros (`secure_delete`), but the
    pages as they were before stay in the write-ahead log (the -wal file) until it is
    checkpointed and truncated, which this does now. False if a reader held the log past the
    busy timeout (the copy then stays until the next full checkpoint). PostgreSQL has no
    such switch: dead rows stay until VACUUM, WAL segments until recycled (see the README).
    """
    if db.engine.dialect.name != "sqlite":
        return True
    with db.engine.connect() as connection:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        log.warning("the write-ahead log could not be emptied after an erasure; it will be later")
    return not busy
