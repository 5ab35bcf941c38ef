"""Schemas for the support catalogue."""

from marshmallow import Schema, fields


class ReachSchema(Schema):
    kind = fields.String(metadata={"enum": ["phone", "text", "web"]})
    label = fields.String()
    value = fields.String()
    href = fields.String()


class ResourceSchema(Schema):
    id = fields.String()
    title = fields.String()
    summary = fields.String()
    reach = fields.List(fields.Nested(ReachSchema))
    hours = fields.String(allow_none=True)
    needs = fields.List(fields.String())
    factors = fields.List(fields.String())
    audience = fields.String(metadata={"enum": ["frontline", "managers", "everyone"]})
    urgent = fields.Boolean()
    placeholder = fields.Boolean()
    # For a placeholder: the id of a resource that reaches someone meanwhile (else null).
    meanwhile = fields.String(allow_none=True)


class ResourceListSchema(Schema):
    resources = fields.List(fields.Nested(ResourceSchema))
