"""Request bodies: JSON parsed once per request, never nested deeper than MAX_JSON_DEPTH,
and only with text that both databases can store.

Python's JSON parser recurses once per level of nesting, so a body of 5,000 nested objects
runs it out of stack (a RecursionError, which is not a ValueError and became a 500). Every
request body the app reads goes through `DiaryRequest.get_json`: the guards parse each API
write's body up front, the argument schemas read that same cached result, and the depth is
measured first, by a scan that does not recurse.

JSON can also carry half of a UTF-16 surrogate pair ("\\ud800"), which Python reads into a
string that cannot be written as UTF-8 (hashing such a password or sealing such a note was a
500), and a NUL ("\\u0000"), which PostgreSQL text cannot hold (a 500 there). A body with
either is refused as a whole, here, before anything uses it; guards.py does the same for
the path and the query string.
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


UNSTORABLE = "The request has characters that cannot be stored (a NUL, or half a surrogate pair)."


def is_storable_text(value) -> bool:
    """Every string in this parsed JSON (keys too) is Unicode text both databases can store:
    no lone surrogate (UTF-8 cannot encode it) and no NUL (PostgreSQL text cannot hold it)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return False
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return False
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return True


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
            return self._refuse(
                silent, f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            )
        body = super().get_json(force=force, silent=silent, cache=cache)
        if body is not None and not is_storable_text(body):
            return self._refuse(silent, UNSTORABLE)
        return body

    @staticmethod
    def _refuse(silent: bool, message: str) -> None:
        if not silent:
            raise BadRequest(message)

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:  # not application/json: Flask's own 415
            return super().on_json_loading_failed(e)
        raise BadRequest("The request body is not valid JSON.")


def register_body_parsing(app: flask.Flask) -> None:
    app.request_class = DiaryRequest
