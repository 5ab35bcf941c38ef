"""Schemas for the person's ONS4 answers and onboarding answers."""

from marshmallow import Schema, fields, validate

ONS4_SCORE = {"required": True, "strict": True, "validate": validate.Range(min=0, max=10)}
CHOICE = {"allow_none": True, "validate": validate.Length(max=32)}
CHOICES = {"allow_none": True, "validate": validate.Length(max=20)}


class Ons4InSchema(Schema):
    """All four answers, each a whole number from 0 to 10."""

    life_satisfaction = fields.Integer(**ONS4_SCORE)
    worthwhile = fields.Integer(**ONS4_SCORE)
    happy = fields.Integer(**ONS4_SCORE)
    anxious = fields.Integer(**ONS4_SCORE)


class Ons4AnswerSchema(Schema):
    week = fields.Date()
    life_satisfaction = fields.Integer()
    worthwhile = fields.Integer()
    happy = fields.Integer()
    anxious = fields.Integer()


class Ons4OverviewSchema(Schema):
    answers = fields.List(fields.Nested(Ons4AnswerSchema))
    due = fields.Boolean()
    questions = fields.List(fields.Dict())
    reference = fields.Dict()


class OnboardingInSchema(Schema):
    """Every question may be left out, null or empty: that question is skipped."""

    time_in_job = fields.String(**CHOICE)
    career_conversation = fields.String(**CHOICE)
    knows_training = fields.String(**CHOICE)
    knows_how_to_reach = fields.List(fields.String(validate=validate.Length(max=32)), **CHOICES)
    would_like = fields.List(fields.String(validate=validate.Length(max=32)), **CHOICES)


class OnboardingAnswerSchema(Schema):
    answered_on = fields.Date()
    time_in_job = fields.String(allow_none=True)
    career_conversation = fields.String(allow_none=True)
    knows_training = fields.String(allow_none=True)
    knows_how_to_reach = fields.List(fields.String())
    would_like = fields.List(fields.String())


class OnboardingOverviewSchema(Schema):
    latest = fields.Nested(OnboardingAnswerSchema, allow_none=True)
    baseline_on = fields.Date(allow_none=True)
    questions = fields.Dict()
