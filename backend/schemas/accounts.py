"""Schemas for accounts and profiles."""

from marshmallow import Schema, fields, validate

from .common import StrictBoolean

PROFILE_CODE = {"allow_none": True, "validate": validate.Length(max=32)}


USERNAME = validate.Regexp(
    r"^[A-Za-z0-9._-]{3,40}$", error="Use 3 to 40 letters, numbers, dots, dashes or underscores."
)
NEW_PASSWORD = validate.Length(min=8, max=128, error="Please use between 8 and 128 characters.")


class RegisterSchema(Schema):
    username = fields.String(required=True, validate=USERNAME)
    password = fields.String(required=True, validate=NEW_PASSWORD)
    research_consent = StrictBoolean(required=True)
    area = fields.String(**PROFILE_CODE)
    role_group = fields.String(**PROFILE_CODE)
    setting = fields.String(**PROFILE_CODE)
    join_code = fields.String(allow_none=True, validate=validate.Length(max=64))


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=40))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    totp = fields.String(validate=validate.Length(max=10))
    recovery_code = fields.String(validate=validate.Length(max=40))


class TotpStartSchema(Schema):
    secret = fields.String()
    otpauth_uri = fields.String()


class TotpCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=6, max=10))


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(fields.String())


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    new_password = fields.String(required=True, validate=NEW_PASSWORD)


class JoinCodeSchema(Schema):
    join_code = fields.String(required=True, validate=validate.Length(min=1, max=64))


class ProfileUpdateSchema(Schema):
    area = fields.String(**PROFILE_CODE)
    role_group = fields.String(**PROFILE_CODE)
    setting = fields.String(**PROFILE_CODE)
    research_consent = StrictBoolean()


class PasswordSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class UserSchema(Schema):
    username = fields.String()
    role = fields.String()
    area = fields.String(allow_none=True)
    role_group = fields.String(allow_none=True)
    setting = fields.String(allow_none=True)
    research_consent = fields.Boolean()
    research_consent_changed_at = fields.AwareDateTime()
    created_at = fields.AwareDateTime()
    second_factor = fields.Boolean(attribute="has_second_factor")
    has_recovery_key = fields.Boolean()
    recovery_key_made_at = fields.AwareDateTime(allow_none=True)
    # True when a hub's join code vouched for the area (it then counts in area figures).
    area_vouched = fields.Boolean()


class ExportQuerySchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class ExportUserSchema(UserSchema):
    # Held about the person, though the app does not show them: when the account came to
    # count in releases, and whether it was made in a burst of sign-ups from one address.
    established_at = fields.AwareDateTime(allow_none=True)
    signup_burst = fields.Boolean()


class ExportSchema(Schema):
    user = fields.Nested(ExportUserSchema)
    entries = fields.List(fields.Dict())
    passkeys = fields.List(fields.Dict())
    hub_requests = fields.List(fields.Dict())
    other = fields.Dict(keys=fields.String(), values=fields.List(fields.Dict()))


register_schema = RegisterSchema()
login_schema = LoginSchema()
user_schema = UserSchema()
