"""The words and codes the app offers: areas, roles, settings, factors, needs, moods."""

from marshmallow import Schema, fields

from ..services import taxonomy
from .blueprint import Blueprint

blp = Blueprint("taxonomy", __name__, url_prefix="/api/v1", description="Words and codes")


class TaxonomySchema(Schema):
    moods = fields.List(fields.Dict())
    scales = fields.Dict()
    areas = fields.List(fields.Dict())
    regions = fields.List(fields.Dict())
    role_groups = fields.List(fields.Dict())
    settings = fields.List(fields.Dict())
    factors = fields.List(fields.Dict())
    needs = fields.List(fields.Dict())
    hexmap = fields.Dict()


@blp.view("GET", "/taxonomy", returns=TaxonomySchema)
def show():
    """Everything the app needs to label a check-in and a profile."""
    return taxonomy.get_taxonomy()
