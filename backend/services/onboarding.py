"""The optional onboarding questions: asked once, skippable, answerable again later.

The first answers a person gives are their baseline; answering again on a later day adds a
row, so how awareness of support changes can be seen against that baseline. Answering twice
on one day (Europe/London) replaces that day's answers.
"""

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from ..models.wellbeing import OnboardingAnswer
from . import releases, taxonomy
from .problems import Invalid

YES_NO_NOT_SURE = (("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure"))
# field -> (question, choices as (code, label), more than one may be chosen)
QUESTIONS = {
    "time_in_job": (
        "How long have you been in this job?",
        (
            ("under_6_months", "Less than 6 months"),
            ("6_to_12_months", "6 to 12 months"),
            ("1_to_2_years", "1 to 2 years"),
            ("2_to_5_years", "2 to 5 years"),
            ("over_5_years", "More than 5 years"),
        ),
        False,
    ),
    "career_conversation": (
        "Has anyone offered you a conversation about your career?",
        YES_NO_NOT_SURE,
        False,
    ),
    "knows_training": (
        "Do you know about training or apprenticeships you could do?",
        YES_NO_NOT_SURE,
        False,
    ),
    "knows_how_to_reach": (
        "Which of these would you know how to reach?",
        (
            ("wellbeing_hub", "The Staff Wellbeing Hub"),
            ("staff_discounts", "Staff discounts"),
            ("recovery_college", "A wellbeing and recovery college"),
            ("menopause_support", "Menopause support"),
        ),
        True,
    ),
    # The choices are the taxonomy's needs, which a hub may change.
    "would_like": ("What support would you like to hear about?", None, True),
}


def _choices(field: str) -> list[tuple[str, str]]:
    choices = QUESTIONS[field][1]
    if choices is None:
        return list(taxonomy.labels("needs").items())
    return list(choices)


def questions() -> dict:
    """Each question with its plain words and the choices it offers."""
    return {
        field: {
            "text": text,
            "multiple": multiple,
            "choices": [{"code": c, "label": label} for c, label in _choices(field)],
        }
        for field, (text, _, multiple) in QUESTIONS.items()
    }


def _checked(data: dict) -> dict:
    """The answers in stored form: a question left out or null is skipped."""
    values = {}
    for field, (_, _, multiple) in QUESTIONS.items():
        order = [code for code, _ in _choices(field)]
        given = data.get(field)
        chosen = set(given or []) if multiple else ({given} if given is not None else set())
        unknown = sorted(chosen - set(order))
        if unknown:
            raise Invalid(f"Not one of the listed options: {', '.join(unknown)}.", field)
        ordered = [code for code in order if code in chosen]
        values[field] = ordered if multiple else (ordered[0] if ordered else None)
    return values


def _record(row: OnboardingAnswer) -> dict:
    return {"answered_on": row.answered_on, **{f: getattr(row, f) for f in QUESTIONS}}


def overview(user: User) -> dict:
    """The person's latest answers, the day of their baseline, and the questions."""
    rows = sa.select(OnboardingAnswer).where(OnboardingAnswer.user_id == user.id)
    latest = db.session.scalar(
        rows.order_by(OnboardingAnswer.answered_on.desc(), OnboardingAnswer.id.desc()).limit(1)
    )
    baseline_on = db.session.scalar(
        sa.select(sa.func.min(OnboardingAnswer.answered_on)).where(
            OnboardingAnswer.user_id == user.id
        )
    )
    return {
        "latest": _record(latest) if latest else None,
        "baseline_on": baseline_on,
        "questions": questions(),
    }


def answer(user: User, data: dict) -> dict:
    """Keep today's answers (replacing any given earlier today); returns the overview.

    Skipping every question keeps nothing for today, so the baseline is always the first
    day something was answered.
    """
    values = _checked(data)
    # Hold the person's row until commit, so two saves at once cannot make two rows for a day.
    db.session.execute(
        sa.update(User).where(User.id == user.id).values(id=User.id),
        execution_options={"synchronize_session": False},
    )
    today = releases.today()
    row = db.session.scalar(
        sa.select(OnboardingAnswer).where(
            OnboardingAnswer.user_id == user.id, OnboardingAnswer.answered_on == today
        )
    )
    if not any(values.values()):
        # Nothing answered is no answer: it must not become the baseline (or today's answers).
        if row is not None:
            db.session.delete(row)
    else:
        if row is None:
            row = OnboardingAnswer(user_id=user.id, answered_on=today)
            db.session.add(row)
        for field, value in values.items():
            setattr(row, field, value)
    db.session.commit()
    return overview(user)
