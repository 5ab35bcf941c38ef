"""Signposting: the support catalogue, and how many people open each resource."""

from flask import current_app
from flask_login import current_user

from ..extensions import limiter
from ..schemas.resources import ResourceListSchema
from ..services import champions, releases, resources
from .access import staff_only
from .blueprint import Blueprint
from .throttle import private_key

blp = Blueprint("resources", __name__, url_prefix="/api/v1/resources", description="Support")


@blp.record_once
def _load_catalogue(state) -> None:
    # At start-up, so a mistake in the hub's file stops the app rather than a later request.
    resources.install(state.app)


def _open_limit() -> str:
    return current_app.config["RESOURCE_OPEN_LIMIT"]


def _person_key() -> str:
    """Throttle each person, so no one can inflate the counts."""
    return private_key("resource-opens", current_user.id)


@blp.view("GET", "", returns=ResourceListSchema)
def list_():
    """Where to find support, urgent help first."""
    return {"resources": resources.catalogue()}


@blp.view(
    "POST",
    "/<string(maxlength=64):resource_id>/open",
    staff_only,
    limiter.limit(_open_limit, key_func=_person_key),
    status=204,
)
def opened(resource_id: str):
    """Count this person once among those who opened this resource this week."""
    releases.count_resource_open(current_user, resource_id)
    champions.count_open(current_user)  # take-up among champions' colleagues and the rest
