"""flask-smorest's Blueprint, as every API module here uses it."""

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class Parser(FlaskParser):
    """webargs' parser, reading a JSON body as the request itself parses it.

    webargs would otherwise call json.loads on the raw body: a second parse, without the
    depth limit of bodies.py. `request.get_json()` keeps one parse (cached) for the request.
    """

    def _raw_load_json(self, req):
        if not is_json_request(req) or not req.get_data(cache=True):
            return core.missing
        return req.get_json()


class Blueprint(flask_smorest.Blueprint):
    """Argument schemas are made once, when a route is declared.

    webargs makes a new instance of a schema class on every request it parses (and building
    a marshmallow schema is not cheap), so a class given to `arguments` is made into its one
    instance here. A schema instance keeps no state between loads.
    """

    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema, *args, **kwargs):
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
