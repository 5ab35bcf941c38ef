"""flask-smorest's Blueprint, as every API module here uses it."""

import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    """Argument schemas are made once, when a route is declared.

    webargs makes a new instance of a schema class on every request it parses (and building
    a marshmallow schema is not cheap), so a class given to `arguments` is made into its one
    instance here. A schema instance keeps no state between loads.
    """

    def arguments(self, schema, *args, **kwargs):
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
