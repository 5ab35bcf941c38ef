"""The bare baseline for benchmarks/api_load.py: Flask and the sqlite3 module, nothing else.

One insert endpoint and one "a person's last 20 rows" endpoint over a table shaped like a
check-in, on SQLite in WAL mode with synchronous=NORMAL. No ORM, no sign-in, no validation,
no note sealing: the floor the real app is measured against. Serve it with
`gunicorn baseline_app:app` (from benchmarks/) and BASELINE_DB set to a file that
`create_schema` has prepared.
"""

import json
import os
import sqlite3
from datetime import UTC, datetime

from flask import Flask, abort, request

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    id TEXT PRIMARY KEY,
    person INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    mood INTEGER NOT NULL,
    energy INTEGER,
    sleep INTEGER,
    stress INTEGER,
    factors TEXT NOT NULL,
    needs TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rows_person_time ON rows (person, occurred_at DESC, id DESC);
"""
COLUMNS = (
    "id", "person", "occurred_at", "mood", "energy", "sleep", "stress",
    "factors", "needs", "note", "created_at",
)  # fmt: skip

app = Flask(__name__)
_connection: sqlite3.Connection | None = None


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=5.0)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def create_schema(path: str) -> None:
    """Make the table and index, before the server's workers start."""
    with connect(path) as connection:
        connection.executescript(SCHEMA)
    connection.close()


def database() -> sqlite3.Connection:
    """One connection per worker process, opened after the fork."""
    global _connection
    if _connection is None:
        _connection = connect(os.environ["BASELINE_DB"])
    return _connection


@app.put("/rows/<uuid:row_id>")
def insert(row_id):
    body = request.get_json()
    row = (
        str(row_id),
        int(body["person"]),
        body["occurred_at"],
        body["mood"],
        body.get("energy"),
        body.get("sleep"),
        body.get("stress"),
        json.dumps(body.get("factors") or []),
        json.dumps(body.get("needs") or []),
        body.get("note"),
        datetime.now(UTC).isoformat(),
    )
    connection = database()
    with connection:
        connection.execute("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    return dict(zip(COLUMNS, row, strict=True)), 201


@app.get("/rows")
def last_rows():
    person = request.args.get("person", type=int)
    if person is None:
        abort(400)
    limit = min(request.args.get("limit", 20, type=int), 100)
    cursor = database().execute(
        "SELECT * FROM rows WHERE person = ? ORDER BY occurred_at DESC, id DESC LIMIT ?",
        (person, limit),
    )
    return {"items": [dict(zip(COLUMNS, row, strict=True)) for row in cursor]}
