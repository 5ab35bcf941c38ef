"""Backups: SQLite's online backup API (safe while the app runs), pg_dump for PostgreSQL.

A backup without instance/note_key cannot open a single note: keep the key with it,
apart from the database, and just as safe.
"""

import sqlite3
import subprocess
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from ..extensions import db
from .problems import Invalid


def _database():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(target: Path) -> str:
    """Copy the live database to `target`; returns what kind of backup was made."""
    url = _database()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)],
            check=True,
        )
        return "pg_dump"
    raise Invalid(f"Backups of {url.get_backend_name()} are not supported.")


def restore(source: Path) -> str:
    """Replace the live database's contents with a backup made by `backup`."""
    if not source.exists():
        raise Invalid(f"There is no backup at {source}.")
    url = _database()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(url.database)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise Invalid(f"The backup at {source} is damaged.")
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={_libpq_url(url)}", str(source)],
            check=True,
        )  # fmt: skip
        return "pg_restore"
    raise Invalid(f"Restores of {url.get_backend_name()} are not supported.")
