"""Wellbeing champions: a colleague's card, the champion's own settings, the hub's figures."""

from flask_login import current_user

from ..schemas.champions import (
    ChampionSchema,
    ChampionUpdateSchema,
    MyChampionSchema,
    NetworkQuerySchema,
    NetworkSchema,
    NewCodeSchema,
)
from ..services import champions
from .access import role_required, staff_only
from .blueprint import Blueprint

blp = Blueprint("champions", __name__, url_prefix="/api/v1", description="Wellbeing champions")


def _mine() -> dict:
    champion = champions.champion_of(current_user)
    code = champions.current_code(champion)
    return {
        "display_name": champion.display_name,
        "reach": champion.reach,
        "area": champion.area,
        "setting": champion.setting,
        "code": None if code is None else {"hint": code.hint, "created_at": code.created_at},
        "figures": champions.area_figures(champion.area),
    }


@blp.view("GET", "/me/wellbeing-champion", staff_only, returns=MyChampionSchema)
def my_champion():
    """The champion of the code I joined with (None when I did not join through one)."""
    return {"champion": champions.card_for(current_user)}


@blp.view("GET", "/me/champion", staff_only, returns=ChampionSchema)
def champion():
    """A champion's own card, code state and their area's figures as researchers see them."""
    return _mine()


@blp.view("PATCH", "/me/champion", staff_only, body=ChampionUpdateSchema, returns=ChampionSchema)
def update(data):
    """A champion changes their display name or how colleagues may reach them."""
    champions.update(current_user, data)
    return _mine()


@blp.view("POST", "/me/champion/code", staff_only, status=201, returns=NewCodeSchema)
def new_code():
    """Make the champion's join code (shown once); the old one stops working for new joins."""
    return {"join_code": champions.new_code(current_user)}


@blp.view(
    "GET",
    "/insights/champions",
    role_required("researcher"),
    query=NetworkQuerySchema,
    returns=NetworkSchema,
)
def network(query):
    """The champion network's figures, week by week, under the release rules."""
    return champions.figures(query["weeks"])
