"""SQL that both databases spell the same way but SQLAlchemy builds per dialect."""

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

# INSERT ... ON CONFLICT, by dialect name.
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert(table):
    """An INSERT that can take ON CONFLICT clauses, for the database of the session."""
    return INSERTS[db.session.get_bind().dialect.name](table)
