"""Request bodies: JSON parsed once per request, never nested deeper than MAX_JSON_DEPTH.

Python's JSON parser recurses once per level of nesting, so a body of 5,000 nested objects
runs it out of stack (a RecursionError, which is not a ValueError and became a 500). Every
request body the app reads goes through `DiaryRequest.get_json`: the guards parse each API
write's body up front, the argument schemas read that same cached result, and the depth is
measured first, by a scan that does not recurse.
"""

import json
import re
from functools import cached_property

import flask
from werkzeug.exceptions import BadRequest

# The deepest body the API takes is two levels ({"keys": {...}} of a push subscription);
# ten leaves room without letting anything near the parser's recursion limit.
MAX_JSON_DEPTH = 10

# What the depth scan looks at: an escaped character (one token, so an escaped quote does not
# end a string), a quote, a bracket. One pass, linear in the length of the body.
_TOKEN = re.compile(r'\\.|["\[\]{}]', re.DOTALL)


def nesting_depth(text: str, stop_after: int = MAX_JSON_DEPTH) -> int:
    """How deep the arrays and objects of this JSON text go (counting stops past `stop_after`).

    Brackets inside strings do not count. Text that is not JSON gets some number: the parser
    refuses it afterwards anyway.
    """
    depth = deepest = 0
    in_string = False
    for token in _TOKEN.finditer(text):
        char = token.group()
        if char == '"':
            in_string = not in_string
        elif in_string or len(char) == 2:
            continue
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_after:
                break
        else:
            depth -= 1
    return deepest


class DiaryRequest(flask.Request):
    """Flask's request, measuring a JSON body's depth before parsing it, refusing in plain words."""

    @cached_property
    def json_depth(self) -> int:
        """How deeply the body nests (counted up to MAX_JSON_DEPTH + 1)."""
        data = self.get_data(cache=True)
        try:
            return nesting_depth(data.decode(json.detect_encoding(data), "surrogatepass"))
        except UnicodeDecodeError:
            return 0  # not text: the parser refuses it as JSON that cannot be read

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        if (force or self.is_json) and self.json_depth > MAX_JSON_DEPTH:
            if silent:
                return None
            raise BadRequest(
                f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            )
        return super().get_json(force=force, silent=silent, cache=cache)

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:  # not application/json: Flask's own 415
            return super().on_json_loading_failed(e)
        raise BadRequest("The request body is not valid JSON.")


def register_body_parsing(app: flask.Flask) -> None:
    app.request_class = DiaryRequest
