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

    def view(self, method, rule, *guards, body=None, query=None, status=200, returns=None, **doc):
        """One route as every view here declares it, read top to bottom as the request meets it.

        `guards` (who may call it, then its limits) run first, in the order given; then the
        JSON `body` or the `query` string is parsed with its schema (422 naming the field);
        the view's return value is sent as `status` through the `returns` schema. Anything
        else (a content type, a description) goes to the response's documentation.
        """

        def decorate(view):
            view = self.response(status, returns, **doc)(view)
            if body is not None:
                view = self.arguments(body)(view)
            if query is not None:
                view = self.arguments(query, location="query")(view)
            for guard in reversed(guards):
                view = guard(view)
            return self.route(rule, methods=[method])(view)

        return decorate
