"""The person's own ONS4 answers (week by week) and onboarding answers."""

from flask_login import current_user

from ..schemas.wellbeing import (
    OnboardingInSchema,
    OnboardingOverviewSchema,
    Ons4AnswerSchema,
    Ons4InSchema,
    Ons4OverviewSchema,
)
from ..services import onboarding, wellbeing
from .access import staff_only
from .blueprint import Blueprint

blp = Blueprint("wellbeing", __name__, url_prefix="/api/v1/me", description="My wellbeing answers")


@blp.record_once
def _load_reference(state) -> None:
    # At start-up, so a mistake in the hub's file stops the app rather than a later request.
    wellbeing.install(state.app)


@blp.view("GET", "/ons4", staff_only, returns=Ons4OverviewSchema)
def ons4():
    """My ONS4 answers, whether this week's are due, the questions and the UK figures."""
    return wellbeing.ons4_overview(current_user)


@blp.view("PUT", "/ons4/<string:week>", staff_only, body=Ons4InSchema, returns=Ons4AnswerSchema)
@blp.alt_response(201, schema=Ons4AnswerSchema, description="Created")
def put_ons4(data, week: str):
    """Give or replace my answers for the week that starts on this Monday."""
    record, created = wellbeing.put_ons4(current_user, wellbeing.parse_week(week), data)
    return record, 201 if created else 200


@blp.view("DELETE", "/ons4/<string:week>", staff_only, status=204)
def delete_ons4(week: str):
    """Delete my answers for that week."""
    wellbeing.delete_ons4(current_user, wellbeing.parse_week(week))


@blp.view("GET", "/onboarding", staff_only, returns=OnboardingOverviewSchema)
def show_onboarding():
    """My latest onboarding answers, when I first gave them, and the questions."""
    return onboarding.overview(current_user)


@blp.view(
    "PUT", "/onboarding", staff_only, body=OnboardingInSchema, returns=OnboardingOverviewSchema
)
def answer_onboarding(data):
    """Answer the onboarding questions (again); any may be skipped."""
    return onboarding.answer(current_user, data)
