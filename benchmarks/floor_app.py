"""The required stack's floor for benchmarks/api_load.py: its libraries, none of the product.

The issue asks for the app to be built on Flask, Flask-Login (a signed session cookie),
Flask-SQLAlchemy with SQLAlchemy 2 typed models, and flask-smorest with marshmallow. This
server uses exactly those, the cheapest way each allows, for the same two endpoints as the
bare baseline (benchmarks/baseline_app.py): a signed-in person's check-in is validated by a
marshmallow schema, written with one Core INSERT on the session's connection and answered
through the response schema; a history page is one Core SELECT dumped the same way. The
person is loaded for the session by primary key through the ORM (Flask-Login needs an
object; it is the check any signed-in request makes). No
Origin guard, no throttle, no note sealing, no session version, no recompute of the week:
nothing the product adds. So its throughput against the bare baseline's says how much of the
target the required stack leaves for the product's own work.

Serve it with `gunicorn floor_app:app` (from benchmarks/) with FLOOR_DB set to a file that
`create_schema` has prepared and FLOOR_SECRET to a key shared by the workers. People sign
in with `POST /login/<n>` (made on first use), which sets the session cookie.
"""

import os
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_smorest import Api, Blueprint
from flask_sqlalchemy import SQLAlchemy
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
login_manager.session_protection = None  # the cheapest setting: the floor, not the product


class Person(UserMixin, db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)


class CheckIn(db.Model):
    __tablename__ = "check_ins"
    __table_args__ = (sa.Index("ix_check_ins_person_time", "person_id", "occurred_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    mood: Mapped[int]
    energy: Mapped[int | None]
    sleep: Mapped[int | None]
    stress: Mapped[int | None]
    factors: Mapped[list[str]] = mapped_column(sa.JSON)
    needs: Mapped[list[str]] = mapped_column(sa.JSON)
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


SCALE = validate.Range(1, 5)


class CheckInIn(Schema):
    occurred_at = fields.AwareDateTime(required=True)
    mood = fields.Integer(required=True, validate=SCALE)
    energy = fields.Integer(allow_none=True, validate=SCALE)
    sleep = fields.Integer(allow_none=True, validate=SCALE)
    stress = fields.Integer(allow_none=True, validate=SCALE)
    factors = fields.List(fields.String(), load_default=list)
    needs = fields.List(fields.String(), load_default=list)
    note = fields.String(allow_none=True, validate=validate.Length(max=5000))


class CheckInOut(CheckInIn):
    id = fields.UUID()
    created_at = fields.AwareDateTime()


class PageQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class Page(Schema):
    items = fields.List(fields.Nested(CheckInOut))


COLUMNS = [CheckIn.__table__.c[name] for name in CheckInOut().fields]
blp = Blueprint("floor", __name__)


@login_manager.user_loader
def load_person(person_id: str) -> Person | None:
    return db.session.get(Person, int(person_id))


@blp.route("/login/<int:person_id>", methods=["POST"])
@blp.response(204)
def login(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None:
        person = Person(id=person_id)
        db.session.add(person)
        db.session.commit()
    login_user(person)


@blp.route("/api/v1/entries/<uuid:entry_id>", methods=["PUT"])
@login_required
@blp.arguments(CheckInIn)
@blp.response(201, CheckInOut)
def put(data, entry_id: uuid.UUID):
    row = {"id": entry_id, "person_id": current_user.id, "created_at": datetime.now(UTC)}
    row |= data
    db.session.connection().execute(sa.insert(CheckIn.__table__), row)
    db.session.commit()
    return row


@blp.route("/api/v1/entries", methods=["GET"])
@login_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, Page)
def history(query):
    table = CheckIn.__table__
    rows = (
        db.session.connection()
        .execute(
            sa.select(*COLUMNS)
            .where(table.c.person_id == current_user.id)
            .order_by(table.c.occurred_at.desc(), table.c.id.desc())
            .limit(query["limit"])
        )
        .all()
    )
    return {"items": rows}


def _sqlite_pragmas(connection, _record) -> None:
    """The app's connection settings (backend/__init__.py), so the same durability class."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_app(path: str, secret: str) -> Flask:
    flask_app = Flask(__name__)
    flask_app.config.update(
        SECRET_KEY=secret,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
        API_TITLE="floor",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
    )
    db.init_app(flask_app)
    login_manager.init_app(flask_app)
    Api(flask_app).register_blueprint(blp)
    with flask_app.app_context():
        sa.event.listen(db.engine, "connect", _sqlite_pragmas)
    return flask_app


def create_schema(path: str) -> None:
    """Make the tables, before the server's workers start."""
    with create_app(path, "unused").app_context():
        db.create_all()
        db.engine.dispose()


app = (
    create_app(os.environ["FLOOR_DB"], os.environ["FLOOR_SECRET"])
    if "FLOOR_DB" in os.environ
    else None
)
