"""Schemas for requests to talk to someone at the hub, and the practitioners' inbox."""

from marshmallow import Schema, fields, validate

from ..models.hub import STATES
from .common import SensibleDate

PHONE = validate.Regexp(
    r"^\+?[0-9 ()-]{6,24}$", error="Please give a phone number, such as 07700 900123."
)
NEED = fields.String(required=True, validate=validate.Length(min=1, max=32))


class HubSummaryWeekSchema(Schema):
    week_start = SensibleDate(required=True)
    check_ins = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=200))
    mood = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=5))


class HubSummaryNeedSchema(Schema):
    need = NEED
    times = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=200))


class HubSummarySchema(Schema):
    """The last 4 weeks as shown to the person: numbers and the taxonomy's codes, no words."""

    weeks = fields.List(fields.Nested(HubSummaryWeekSchema), required=True,
                        validate=validate.Length(max=4))  # fmt: skip
    needs = fields.List(fields.Nested(HubSummaryNeedSchema), required=True,
                        validate=validate.Length(max=30))  # fmt: skip


class HubSummaryWeekOutSchema(Schema):
    # A plain string: the summary is kept as the JSON that was sent (YYYY-MM-DD).
    week_start = fields.String()
    check_ins = fields.Integer()
    mood = fields.Integer(allow_none=True)


class HubSummaryOutSchema(Schema):
    weeks = fields.List(fields.Nested(HubSummaryWeekOutSchema))
    needs = fields.List(fields.Nested(HubSummaryNeedSchema))


class HubRequestInSchema(Schema):
    call_me = fields.String(required=True, validate=validate.Length(min=1, max=60))
    phone = fields.String(allow_none=True, validate=[validate.Length(max=24), PHONE])
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    good_times = fields.String(allow_none=True, validate=validate.Length(max=200))
    on_my_mind = fields.String(allow_none=True, validate=validate.Length(max=2000))
    summary = fields.Nested(HubSummarySchema, allow_none=True)


class HubRequestStatusSchema(Schema):
    id = fields.UUID()
    state = fields.String()
    created_at = fields.AwareDateTime()
    first_read_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)


class HubRequestSchema(HubRequestStatusSchema):
    """A request with what the person sent (to the person, and to a practitioner)."""

    call_me = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    good_times = fields.String(allow_none=True)
    on_my_mind = fields.String(allow_none=True)
    summary = fields.Nested(HubSummaryOutSchema, allow_none=True)


class HubRequestListSchema(Schema):
    items = fields.List(fields.Nested(HubRequestSchema))


class InboxItemSchema(HubRequestSchema):
    note = fields.String(allow_none=True)


class InboxListSchema(Schema):
    items = fields.List(fields.Nested(HubRequestStatusSchema))


class InboxChangeSchema(Schema):
    state = fields.String(validate=validate.OneOf([s for s in STATES if s != "sent"]))
    note = fields.String(allow_none=True, validate=validate.Length(max=500))


class HubAboutSchema(Schema):
    opening_hours = fields.String()
    retention_days = fields.Integer()
