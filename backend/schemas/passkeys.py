"""Schemas for passkeys and the recovery key."""

from marshmallow import Schema, fields, validate

from .accounts import NEW_PASSWORD, UserSchema

OPTIONAL_PASSWORD = {"load_default": None, "validate": validate.Length(max=1024)}


class PasskeySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.AwareDateTime()
    last_used_at = fields.AwareDateTime(allow_none=True)
    backed_up = fields.Boolean()


class CeremonyOptionsSchema(Schema):
    """What navigator.credentials.create() or .get() takes, as JSON (base64url for bytes)."""

    publicKey = fields.Dict()  # noqa: N815 (the browser's own name for it)


class ConfirmSchema(Schema):
    """A password, needed only when the sign-in is not recent (sessions.RECENT)."""

    password = fields.String(**OPTIONAL_PASSWORD)


class CredentialSchema(Schema):
    credential = fields.Dict(required=True)


class NewPasskeySchema(CredentialSchema):
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class PasskeyNameSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PasskeySettingsSchema(Schema):
    rp_id = fields.String()
    origin = fields.String()


class RecoverSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=40))
    recovery_key = fields.String(required=True, validate=validate.Length(min=1, max=80))
    new_password = fields.String(required=True, validate=NEW_PASSWORD)
    totp = fields.String(validate=validate.Length(max=10))
    recovery_code = fields.String(validate=validate.Length(max=40))


class RecoveryKeySchema(Schema):
    recovery_key = fields.String()


class UserWithKeySchema(UserSchema):
    """The person, with a recovery key shown this once (after sign-up or a recovery)."""

    recovery_key = fields.String()


class WithKey:
    """A person as UserWithKeySchema reads them: their own attributes, and the new key."""

    def __init__(self, user, recovery_key: str):
        self._user = user
        self.recovery_key = recovery_key

    def __getattr__(self, name):
        return getattr(self._user, name)
