"""The person's own ONS4 answers and onboarding answers, and the UK figures to set them beside.

The four ONS personal wellbeing questions are fixed here, word for word as ONS asks them:
changing the wording would make the answers no longer comparable with the UK figures.
Those figures are data (backend/data/ons4-reference.json) with their source, so a hub can
bring them up to date: instance/ons4-reference.json replaces the shipped file whole, since
figures and the source they come from belong together. It is checked when the app starts.
"""

import json
import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..models.types import utcnow
from ..models.wellbeing import ONS4_ITEMS, Ons4Answer
from . import dates, releases
from .problems import Invalid, NotFound

DATA = Path(__file__).resolve().parent.parent / "data"
REFERENCE = "ons4-reference.json"
EXTENSION_KEY = "ons4_reference"

SCALE = {"min": 0, "max": 10, "min_label": "Not at all", "max_label": "Completely"}
QUESTIONS = (
    {
        "item": "life_satisfaction",
        "text": "Overall, how satisfied are you with your life nowadays?",
        "scale": SCALE,
    },
    {
        "item": "worthwhile",
        "text": "Overall, to what extent do you feel that the things you do in your life are "
        "worthwhile?",
        "scale": SCALE,
    },
    {"item": "happy", "text": "Overall, how happy did you feel yesterday?", "scale": SCALE},
    {
        "item": "anxious",
        "text": 'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", '
        "overall, how anxious did you feel yesterday?",
        "scale": {**SCALE, "min_label": "Not at all anxious", "max_label": "Completely anxious"},
    },
)
WEEK = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReferenceDataError(ValueError):
    """The ONS4 reference file cannot be used as it stands; the message says why."""


def _bands_problem(bands) -> str | None:
    if not isinstance(bands, list) or not bands:
        return "must be a list of bands"
    expected = 0
    for band in bands:
        if not isinstance(band, dict) or set(band) != {"code", "label", "from", "to"}:
            return "each band needs exactly code, label, from and to"
        if band["from"] != expected or not isinstance(band["to"], int) or band["to"] < expected:
            return "must cover 0 to 10 in order, without gaps or overlaps"
        expected = band["to"] + 1
    return None if expected == 11 else "must cover 0 to 10 in order, without gaps or overlaps"


def load_reference(instance_path: str) -> dict:
    """The UK figures in force (the hub's file, or the shipped one), checked."""
    override = Path(instance_path) / REFERENCE
    path = override if override.exists() else DATA / REFERENCE
    try:
        reference = json.loads(path.read_text())
        source, means, bands = reference["source"], reference["means"], reference["bands"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(f"{path}: expected source, means and bands ({exc})") from None
    for field in ("publisher", "title", "edition", "url"):
        if not isinstance(source, dict) or not isinstance(source.get(field), str):
            raise ReferenceDataError(f"{path}: source.{field} is missing")
    if not source["url"].startswith("https://"):
        raise ReferenceDataError(f"{path}: source.url must be an https:// address")
    for item in ONS4_ITEMS:
        mean = means.get(item) if isinstance(means, dict) else None
        if isinstance(mean, bool) or not isinstance(mean, int | float) or not 0 <= mean <= 10:
            raise ReferenceDataError(f"{path}: means.{item} must be a number from 0 to 10")
        problem = _bands_problem(bands.get(item) if isinstance(bands, dict) else None)
        if problem:
            raise ReferenceDataError(f"{path}: bands.{item} {problem}")
    return {"source": source, "means": means, "bands": bands}


def install(app: Flask) -> None:
    """Load and check the reference figures as the app starts."""
    app.extensions[EXTENSION_KEY] = load_reference(app.instance_path)


def reference() -> dict:
    """The UK figures in force, with their source."""
    return current_app.extensions[EXTENSION_KEY]


def parse_week(text: str) -> date:
    """A week named by its Monday, as YYYY-MM-DD, that has already begun."""
    example = releases.current_week().isoformat()
    try:
        week = date.fromisoformat(text) if WEEK.match(text) else None
    except ValueError:
        week = None
    if week is None or week.weekday() != 0:
        raise Invalid(f"Name the week by its Monday, such as {example}.", "week", "path")
    dates.check(week, "week", "path")
    if week > releases.current_week():
        raise Invalid("That week has not started yet.", "week", "path")
    return week


def _ons4_record(answer: Ons4Answer) -> dict:
    return {"week": answer.week, **{item: getattr(answer, item) for item in ONS4_ITEMS}}


def _ons4_answer(user: User, week: date) -> Ons4Answer | None:
    return db.session.scalar(
        sa.select(Ons4Answer).where(Ons4Answer.user_id == user.id, Ons4Answer.week == week)
    )


def ons4_overview(user: User) -> dict:
    """The person's answers (newest first), whether this week's is due, and what to ask."""
    answers = db.session.scalars(
        sa.select(Ons4Answer).where(Ons4Answer.user_id == user.id).order_by(Ons4Answer.week.desc())
    ).all()
    this_week = releases.current_week()
    return {
        "answers": [_ons4_record(a) for a in answers],
        "due": not any(a.week == this_week for a in answers),
        "questions": list(QUESTIONS),
        "reference": reference(),
    }


def put_ons4(user: User, week: date, data: dict) -> tuple[dict, bool]:
    """Create or replace the person's answers for a week; returns (answers, created)."""
    answer = _ons4_answer(user, week)
    created = answer is None
    if created:
        answer = Ons4Answer(user_id=user.id, week=week)
        db.session.add(answer)
    if any(getattr(answer, item) != data[item] for item in ONS4_ITEMS):
        for item in ONS4_ITEMS:
            setattr(answer, item, data[item])
        answer.updated_at = utcnow()
        releases.answers_changed(user.id, week)
    try:
        db.session.commit()
    except IntegrityError:
        # Two first answers for one week raced: the other won, so this one is a replace.
        db.session.rollback()
        if not created:
            raise
        record, _ = put_ons4(user, week, data)
        return record, False
    return _ons4_record(answer), created


def delete_ons4(user: User, week: date) -> None:
    answer = _ons4_answer(user, week)
    if answer is None:
        raise NotFound("There are no answers for that week.")
    releases.answers_changed(user.id, week)
    db.session.delete(answer)
    db.session.commit()
