"""Schemas for wellbeing champions and the champion network's figures."""

from marshmallow import Schema, fields, validate

from ..models.champions import DISPLAY_NAME_MAX, REACH_MAX

DISPLAY_NAME = validate.Length(
    min=1, max=DISPLAY_NAME_MAX, error=f"Please use 1 to {DISPLAY_NAME_MAX} characters."
)
REACH = validate.Length(min=1, max=REACH_MAX, error=f"Please use 1 to {REACH_MAX} characters.")


class ChampionCardSchema(Schema):
    """What a colleague sees at the top of Support."""

    display_name = fields.String()
    reach = fields.String()


class MyChampionSchema(Schema):
    champion = fields.Nested(ChampionCardSchema, allow_none=True)


class ChampionUpdateSchema(Schema):
    display_name = fields.String(validate=DISPLAY_NAME)
    reach = fields.String(validate=REACH)


class FigureSchema(Schema):
    status = fields.String(metadata={"description": "published | suppressed"})
    people = fields.Integer(allow_none=True)
    margin = fields.Integer(
        allow_none=True,
        metadata={"description": "give or take (90%) of `people`: its noise and rounding"},
    )
    share = fields.Float(allow_none=True)


class AreaFiguresSchema(Schema):
    week = fields.String()
    area = fields.String()
    measures = fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema))


class CodeStateSchema(Schema):
    hint = fields.String(metadata={"description": "the code's last group"})
    created_at = fields.AwareDateTime()


class ChampionSchema(Schema):
    """The champion's own view in Settings: never who joined, nor how many."""

    display_name = fields.String()
    reach = fields.String()
    area = fields.String()
    setting = fields.String()
    code = fields.Nested(CodeStateSchema, allow_none=True)
    figures = fields.Nested(AreaFiguresSchema)


class NewCodeSchema(Schema):
    join_code = fields.String(metadata={"description": "shown this once; only a hash is kept"})


class NetworkQuerySchema(Schema):
    weeks = fields.Integer(
        load_default=8,
        validate=validate.Range(min=1, max=52, error="Ask for 1 to 52 weeks."),
        metadata={"description": "how many recent closed weeks (before this one)"},
    )


class MeasureSchema(Schema):
    all = fields.Nested(FigureSchema)
    regions = fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema))
    areas = fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema))
    settings = fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema))


class NetworkWeekSchema(Schema):
    week = fields.String()
    measures = fields.Dict(keys=fields.String(), values=fields.Nested(MeasureSchema))


class NetworkSchema(Schema):
    from_ = fields.String(data_key="from")
    to = fields.String()
    k = fields.Integer()
    rounding = fields.Integer()
    weeks = fields.List(fields.Nested(NetworkWeekSchema))
