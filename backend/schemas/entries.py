"""Schemas for check-ins and the person's own summary."""

from marshmallow import Schema, fields, validate

from ..services.dates import YEAR_AHEAD
from .common import SensibleDateTime, validate_time_zone

SCALE = {"allow_none": True, "strict": True, "validate": validate.Range(min=1, max=5)}
CODES = {"validate": validate.Length(max=20)}


class EntryInSchema(Schema):
    occurred_at = SensibleDateTime(required=True)
    mood = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    energy = fields.Integer(**SCALE)
    sleep = fields.Integer(**SCALE)
    stress = fields.Integer(**SCALE)
    factors = fields.List(fields.String(validate=validate.Length(max=32)), **CODES)
    needs = fields.List(fields.String(validate=validate.Length(max=32)), **CODES)
    note = fields.String(allow_none=True, validate=validate.Length(max=5000))


class EntrySchema(Schema):
    id = fields.UUID()
    occurred_at = fields.AwareDateTime()
    mood = fields.Integer()
    energy = fields.Integer(allow_none=True)
    sleep = fields.Integer(allow_none=True)
    stress = fields.Integer(allow_none=True)
    factors = fields.List(fields.String())
    needs = fields.List(fields.String())
    note = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    role_group = fields.String(allow_none=True)
    setting = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class EntryListQuerySchema(Schema):
    from_ = SensibleDateTime(data_key="from", ahead=YEAR_AHEAD)
    to = SensibleDateTime(ahead=YEAR_AHEAD)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(validate=validate.Length(max=200))


class EntryPageSchema(Schema):
    items = fields.List(fields.Nested(EntrySchema))
    next_cursor = fields.String(allow_none=True)


class SummaryQuerySchema(Schema):
    period = fields.String(load_default="week", validate=validate.OneOf(["week", "month", "year"]))
    tz = fields.String(
        load_default="Europe/London",
        validate=[validate.Length(max=64), validate_time_zone],
    )


class MeansSchema(Schema):
    count = fields.Integer()
    mood = fields.Float(allow_none=True)
    energy = fields.Float(allow_none=True)
    sleep = fields.Float(allow_none=True)
    stress = fields.Float(allow_none=True)


class DayMeansSchema(MeansSchema):
    date = fields.String()


class WeekMeansSchema(MeansSchema):
    week_start = fields.String()


class FactorLinkSchema(Schema):
    code = fields.String()
    label = fields.String()
    with_mood = fields.Float()
    without_mood = fields.Float()
    days = fields.Integer()


class FactorLinksSchema(Schema):
    better = fields.List(fields.Nested(FactorLinkSchema))
    worse = fields.List(fields.Nested(FactorLinkSchema))


class PatternsSchema(Schema):
    days_needed = fields.Integer(metadata={"description": "days of check-ins a pattern needs"})
    factor_days_needed = fields.Integer(
        metadata={"description": "days a factor must come up on to be named"}
    )
    days = fields.Integer(metadata={"description": "days with a check-in in the period"})
    days_with_factors = fields.Integer(
        metadata={"description": "of those, days with something picked as affecting the person"}
    )


class SummarySchema(Schema):
    period = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    count = fields.Integer()
    days = fields.List(fields.Nested(DayMeansSchema))
    weeks = fields.List(fields.Nested(WeekMeansSchema))
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer())
    factors = fields.Nested(FactorLinksSchema)
    patterns = fields.Nested(PatternsSchema)
