"""Schemas for reminders: settings, the devices' push subscriptions and the VAPID key."""

from marshmallow import Schema, fields, validate

from ..models.reminders import WEEKDAYS
from ..services.dates import YEAR_AHEAD
from .common import SensibleDate, StrictBoolean, validate_time_zone

TIME_OF_DAY = validate.Regexp(
    r"^([01]\d|2[0-3]):[0-5]\d$", error="Use a time of day from 00:00 to 23:59, such as 07:30."
)


class VapidKeySchema(Schema):
    public_key = fields.String()


class SubscriptionKeysSchema(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(min=1, max=128))
    auth = fields.String(required=True, validate=validate.Length(min=1, max=64))


class SubscriptionInSchema(Schema):
    """The JSON of a browser's PushSubscription (subscription.toJSON())."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2048))
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    # Sent by browsers, not used: push services report expiry with 404/410 anyway.
    expiration_time = fields.Integer(data_key="expirationTime", allow_none=True, load_only=True)


class SubscriptionOutSchema(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2048))


class ReminderSettingsInSchema(Schema):
    """Any of the settings; those left out keep their current values."""

    enabled = StrictBoolean()
    times = fields.List(fields.String(validate=TIME_OF_DAY), validate=validate.Length(max=3))
    weekdays = fields.List(
        fields.String(validate=validate.OneOf(WEEKDAYS, error="Use mon, tue, wed ... sun.")),
        validate=validate.Length(max=7),
    )
    time_zone = fields.String(validate=[validate.Length(max=64), validate_time_zone])
    only_if_not_checked_in = StrictBoolean()
    paused_until = SensibleDate(allow_none=True, ahead=YEAR_AHEAD)


class ReminderSettingsSchema(Schema):
    enabled = fields.Boolean()
    times = fields.List(fields.String())
    weekdays = fields.List(fields.String())
    time_zone = fields.String()
    only_if_not_checked_in = fields.Boolean()
    paused_until = fields.Date(allow_none=True)
    next_due_at = fields.AwareDateTime(allow_none=True)
    devices = fields.Integer()


class TestSendSchema(Schema):
    sent = fields.Integer()
    failed = fields.Integer()
    removed = fields.Integer()
