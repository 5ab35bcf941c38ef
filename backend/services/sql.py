"""SQL that both databases spell the same way but SQLAlchemy builds per dialect."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

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
