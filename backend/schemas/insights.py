"""Schemas for the researchers' insights: published cells only, field by field.

Each output schema names its fields, so an internal column (an exact count, a reason for
suppression, a user id) can never reach a response by accident.
"""

from marshmallow import Schema, fields, validate

from ..services.dates import YEAR_AHEAD
from .common import SensibleDate

LEVELS = ["area", "region", "role_group", "setting", "all"]
SHARES = fields.Dict(keys=fields.String(), values=fields.Float())
ONS4_MEAN = fields.Float(
    allow_none=True,
    metadata={"description": "ONS4 mean, 0 to 10; null unless at least k answered"},
)


class MarginsSchema(Schema):
    """Give or take: half-widths of 90% intervals of a cell's noisy figures."""

    contributors = fields.Integer(metadata={"description": "people, noise and rounding"})
    shares = fields.Float(metadata={"description": "every share of the cell, 0 to 1"})
    mood = fields.Float()
    energy = fields.Float()
    sleep = fields.Float()
    stress = fields.Float()
    life_satisfaction = fields.Float()
    worthwhile = fields.Float()
    happy = fields.Float()
    anxious = fields.Float()


class CellSchema(Schema):
    week = fields.String()
    level = fields.String()
    key = fields.String()
    label = fields.String()
    region = fields.String()
    status = fields.String(metadata={"description": "published, or suppressed (no values)"})
    contributors = fields.Integer(allow_none=True, metadata={"description": "nearest 5"})
    mood = fields.Float(allow_none=True)
    tough_share = fields.Float(allow_none=True)
    energy = fields.Float(allow_none=True)
    sleep = fields.Float(allow_none=True)
    stress = fields.Float(allow_none=True)
    needs = SHARES
    factors = SHARES
    life_satisfaction = ONS4_MEAN
    worthwhile = ONS4_MEAN
    happy = ONS4_MEAN
    anxious = ONS4_MEAN
    margins = fields.Nested(
        MarginsSchema,
        allow_none=True,
        metadata={"description": "90% give-or-take of each figure; null when DP is off"},
    )


class ReleaseSchema(Schema):
    id = fields.Integer()
    published_at = fields.AwareDateTime()
    k = fields.Integer()
    rounding = fields.Integer()
    epsilon = fields.Float(allow_none=True)
    weeks = fields.List(fields.String())
    fresh_cells = fields.Integer()


class BudgetSchema(Schema):
    year = fields.Integer()
    epsilon_per_release = fields.Float(metadata={"description": "the most one release spends"})
    figure_epsilon = fields.Float(metadata={"description": "each figure of a mean, each look"})
    share_epsilon = fields.Float(metadata={"description": "each count of a share, each look"})
    refreshes = fields.Integer(metadata={"description": "full looks per cell and week"})
    yearly = fields.Float()
    spent = fields.Float()
    remaining = fields.Float()


class PrivacySchema(Schema):
    k = fields.Integer()
    rounding = fields.Integer()
    interval_minutes = fields.Integer()
    open_weeks = fields.Integer()
    differential_privacy = fields.Nested(BudgetSchema, allow_none=True)


class ReleaseListSchema(Schema):
    items = fields.List(fields.Nested(ReleaseSchema))
    privacy = fields.Nested(PrivacySchema)


class RangeQuerySchema(Schema):
    from_ = SensibleDate(data_key="from", ahead=YEAR_AHEAD)
    to = SensibleDate(ahead=YEAR_AHEAD)


class TrendsQuerySchema(RangeQuerySchema):
    level = fields.String(load_default="area", validate=validate.OneOf(LEVELS))
    key = fields.String(validate=validate.Length(max=32))


class SeriesSchema(Schema):
    key = fields.String()
    label = fields.String()
    points = fields.List(fields.Nested(CellSchema))


class TrendsSchema(Schema):
    level = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    series = fields.List(fields.Nested(SeriesSchema))


class NeedsMapQuerySchema(Schema):
    week = SensibleDate()


class NeedsMapSchema(Schema):
    week = fields.String()
    release = fields.Nested(ReleaseSchema, allow_none=True)
    weeks = fields.List(fields.String())
    areas = fields.List(fields.Nested(CellSchema))
    regions = fields.List(fields.Nested(CellSchema))
    all = fields.Nested(CellSchema, allow_none=True)


class AlertSchema(Schema):
    level = fields.String()
    key = fields.String()
    label = fields.String()
    week = fields.String(metadata={"description": "the latest whole week looked at"})
    measure = fields.String()
    kind = fields.String(metadata={"description": "mood, tough_share or need"})
    how = fields.String(metadata={"description": "sustained (over recent weeks) or sudden"})
    baseline = fields.Float(metadata={"description": "the area's usual level"})
    latest = fields.Float(metadata={"description": "the value in the latest whole week"})
    recent = fields.Float(metadata={"description": "the weighted average of recent weeks"})
    change = fields.Float(metadata={"description": "the move that raised the alert"})
    message = fields.String()


class AreaNameSchema(Schema):
    key = fields.String()
    label = fields.String()


class NotJudgedSchema(Schema):
    reason = fields.String(metadata={"description": "latest_not_shown or few_weeks"})
    message = fields.String()
    areas = fields.List(fields.Nested(AreaNameSchema))


class AlertListSchema(Schema):
    items = fields.List(fields.Nested(AlertSchema))
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    in_progress = fields.String(metadata={"description": "the week left out until it is over"})
    about = fields.String(metadata={"description": "what the alerts compared, in words"})
    not_judged = fields.List(fields.Nested(NotJudgedSchema))


class TakeUpQuerySchema(Schema):
    weeks = fields.Integer(
        load_default=8,
        validate=validate.Range(min=1, max=52, error="Ask for 1 to 52 weeks."),
        metadata={"description": "how many recent closed weeks (before this one)"},
    )
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class PeopleSchema(Schema):
    status = fields.String(metadata={"description": "published, or suppressed (no count)"})
    people = fields.Integer(
        allow_none=True,
        metadata={"description": "different people who opened it that week, nearest 5"},
    )
    margin = fields.Integer(
        allow_none=True,
        metadata={"description": "give or take (90%): its noise and rounding; null if none"},
    )


class ResourceTakeUpSchema(Schema):
    resource = fields.String(metadata={"description": "a resource id (titles: /api/v1/resources)"})
    all = fields.Nested(PeopleSchema)
    regions = fields.Dict(keys=fields.String(), values=fields.Nested(PeopleSchema))
    areas = fields.Dict(keys=fields.String(), values=fields.Nested(PeopleSchema))


class TakeUpWeekSchema(Schema):
    week = fields.String()
    resources = fields.List(fields.Nested(ResourceTakeUpSchema))


class TakeUpSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    k = fields.Integer()
    rounding = fields.Integer()
    resources_per_week = fields.Integer(
        metadata={"description": "resources one person counts in each week (the first opened)"}
    )
    weeks = fields.List(fields.Nested(TakeUpWeekSchema))


class BurstWeekSchema(Schema):
    week = fields.String()
    sign_ups = fields.Integer(
        allow_none=True,
        metadata={"description": "accounts made in a burst, nearest 5; null below k"},
    )


class SignupBurstsSchema(Schema):
    k = fields.Integer()
    rounding = fields.Integer()
    size = fields.Integer(metadata={"description": "sign-ups from one address that make a burst"})
    window_minutes = fields.Integer()
    weeks = fields.List(fields.Nested(BurstWeekSchema))
    contributors = fields.Integer(
        allow_none=True,
        metadata={"description": "established, consenting accounts made in a burst, nearest 5"},
    )
