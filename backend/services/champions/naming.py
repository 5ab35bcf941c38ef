"""Champions: who is one (named by an admin), their own card, and their join code.

An admin names a staff account a champion for one service, a setting in an area (`flask
--app backend champions name USERNAME --area QT6 --setting home_care`), with a first display
name and way to be reached; both are the champion's to change in Settings. The champion
makes their service's join code themselves, in Settings: it is shown to them once (only a
keyed hash is kept, services/join_codes.py) and making a new one stops the old one for new
joins. People who join with it are vouched for the service's area and setting like any
join code's, and see the champion's card at the top of Support.

A champion sees their own card and code, and the network's figures for their area only
as a researcher sees them (network.py): never who joined with their code, nor how many.
"""

import sqlalchemy as sa

from ...extensions import db
from ...models import User
from ...models.champions import DISPLAY_NAME_MAX, REACH_MAX, Champion
from ...models.membership import JoinCode
from ...models.types import utcnow
from .. import accounts, join_codes, taxonomy
from ..problems import Invalid, NotFound

NOT_A_CHAMPION = "This account is not a wellbeing champion."


def _checked_text(value, field: str, most: int) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise Invalid("Please write something here.", field)
    if len(text) > most:
        raise Invalid(f"Please use at most {most} characters.", field)
    return text


def name(username: str, area: str, setting: str, display_name: str, reach: str) -> Champion:
    """Name a staff account champion for a service (or move them to another service)."""
    user = accounts.find(username)
    if user is None:
        raise NotFound(f"There is no account '{username}'.")
    if user.role != "staff":
        raise Invalid("Only a staff account can be a wellbeing champion.", "username")
    if area not in taxonomy.codes("areas"):
        raise Invalid("That area is not on the hub's map.", "area")
    if setting not in taxonomy.codes("settings"):
        raise Invalid("That setting is not in the taxonomy.", "setting")
    display_name = _checked_text(display_name, "display_name", DISPLAY_NAME_MAX)
    reach = _checked_text(reach, "reach", REACH_MAX)
    champion = db.session.scalar(sa.select(Champion).where(Champion.user_id == user.id))
    if champion is None:
        champion = Champion(user_id=user.id, area=area, setting=setting)
        db.session.add(champion)
    elif (champion.area, champion.setting) != (area, setting):
        _stop_codes(champion)  # a code for the old service must not vouch for the new
    champion.area, champion.setting = area, setting
    champion.display_name, champion.reach = display_name, reach
    db.session.commit()
    return champion


def remove(username: str) -> None:
    """Stop an account being a champion: their codes stop; colleagues keep their vouching."""
    user = accounts.find(username)
    champion = None if user is None else champion_of(user, required=False)
    if champion is None:
        raise NotFound(f"'{username}' is not a wellbeing champion.")
    _stop_codes(champion)
    db.session.delete(champion)  # the codes' champion_id goes with it (SET NULL)
    db.session.commit()


def listed() -> list[tuple[Champion, str]]:
    """Every champion with their username, by area, setting and name (for the CLI)."""
    query = sa.select(Champion, User.username).join(User, User.id == Champion.user_id)
    order = (Champion.area, Champion.setting, Champion.display_name)
    return [tuple(row) for row in db.session.execute(query.order_by(*order))]


def champion_of(user: User, required: bool = True) -> Champion | None:
    """The person's champion row; NotFound (or None) when they are not a champion."""
    champion = db.session.scalar(sa.select(Champion).where(Champion.user_id == user.id))
    if champion is None and required:
        raise NotFound(NOT_A_CHAMPION)
    return champion


def update(user: User, changes: dict) -> Champion:
    """The champion changes their display name or how colleagues may reach them."""
    champion = champion_of(user)
    values = {}
    if "display_name" in changes:
        values["display_name"] = _checked_text(
            changes["display_name"], "display_name", DISPLAY_NAME_MAX
        )
    if "reach" in changes:
        values["reach"] = _checked_text(changes["reach"], "reach", REACH_MAX)
    for field, value in values.items():  # every check passed: nothing half-written
        setattr(champion, field, value)
    db.session.commit()
    return champion


def _codes(champion: Champion) -> list[JoinCode]:
    query = sa.select(JoinCode).where(JoinCode.champion_id == champion.id)
    return list(db.session.scalars(query.order_by(JoinCode.id)))


def _stop_codes(champion: Champion) -> None:
    for row in _codes(champion):
        row.revoked_at = row.revoked_at or utcnow()


def current_code(champion: Champion) -> JoinCode | None:
    """The champion's code that can still be used, if any."""
    rows = [row for row in _codes(champion) if join_codes.state(row) == "active"]
    return rows[-1] if rows else None


def new_code(user: User) -> str:
    """Make the champion's join code for their service, stopping the old one for new joins;
    returns the code, shown this once. Those who joined with the old one stay joined."""
    champion = champion_of(user)
    _stop_codes(champion)
    label = f"champion {champion.id}"
    # One commit: the old codes stop as the new one starts.
    code, _row = join_codes.issue(champion.area, champion.setting, label=label,
                                  champion_id=champion.id)  # fmt: skip
    return code


def card_for(user: User) -> dict | None:
    """The champion of the code this person joined with, as their Support card, or None."""
    if user.join_code_id is None:
        return None
    query = (
        sa.select(Champion)
        .join(JoinCode, JoinCode.champion_id == Champion.id)
        .where(JoinCode.id == user.join_code_id)
    )
    champion = db.session.scalar(query)
    if champion is None:
        return None
    return {"display_name": champion.display_name, "reach": champion.reach}


def joined_through_champion(user: User) -> bool:
    """Whether the person's vouching came from a champion's code (for the figures only)."""
    return card_for(user) is not None
