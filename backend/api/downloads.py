"""Answers that a browser saves as a file rather than shows."""

from flask import Response


def attachment(body: str, filename: str, mimetype: str = "text/csv", **headers: str) -> Response:
    """`body` as a download named `filename` (extra headers by name, e.g. a stricter CSP)."""
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body, mimetype=mimetype, headers=headers)
