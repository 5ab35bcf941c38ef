"""The signed-in person: profile and consent, export, erasure and their own trends."""

from flask import current_app
from flask_login import current_user, logout_user

from ..extensions import limiter
from ..schemas.accounts import (
    ExportQuerySchema,
    ExportSchema,
    JoinCodeSchema,
    PasswordSchema,
    ProfileUpdateSchema,
    UserSchema,
)
from ..schemas.entries import SummaryQuerySchema, SummarySchema
from ..services import accounts, export, join_codes, summary
from .access import signed_in, staff_only
from .blueprint import Blueprint
from .downloads import also_csv, attachment
from .throttle import private_key

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The signed-in person")


@blp.view("PATCH", "", signed_in, body=ProfileUpdateSchema, returns=UserSchema)
def update(data):
    """Change area, role group, setting or research consent."""
    return accounts.update_profile(current_user, data)


def _join_code_limit() -> str:
    return current_app.config["JOIN_CODE_LIMIT"]


def _person_key() -> str:
    return private_key("join-code", current_user.id)


@blp.view(
    "PUT",
    "/team",
    staff_only,
    limiter.limit(_join_code_limit, key_func=_person_key),
    limiter.limit(_join_code_limit),
    body=JoinCodeSchema,
    returns=UserSchema,
)
def join_team(data):
    """Join a team with the hub's code: the area (and setting) become the code's, vouched."""
    return join_codes.join(current_user, data["join_code"])


@blp.view("DELETE", "/team", staff_only, returns=UserSchema)
def leave_team():
    """Leave the team: the area stays, as the person's own word."""
    return join_codes.leave(current_user)


@blp.view("DELETE", "", signed_in, body=PasswordSchema, status=204)
def erase(data):
    """Erase the account and everything in it (needs the password)."""
    accounts.erase(current_user, data["password"])
    logout_user()


@blp.view("GET", "/export", signed_in, query=ExportQuerySchema, returns=ExportSchema)
@blp.doc(**also_csv("Everything held about me, or my check-ins as CSV", ExportSchema))
def download(query):
    """Everything held about me (JSON), or my check-ins as CSV."""
    if query["format"] == "csv":
        return attachment(export.entries_csv(current_user), "my-wellbeing-diary.csv")
    return export.export_person(current_user)


@blp.view("GET", "/summary", staff_only, query=SummaryQuerySchema, returns=SummarySchema)
def trends(query):
    """My own trends over the last week, month or year."""
    return summary.summarise(current_user, query["period"], query["tz"])
