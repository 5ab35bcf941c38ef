"""Answers that a browser saves as a file rather than shows."""

from flask import Response


def also_csv(description: str, schema) -> dict:
    """blp.doc(**also_csv(...)) for a 200 that is JSON (this schema) or, when asked, CSV.

    flask-smorest's alt_response for the same status keeps only one content type in the
    spec; this documents both, so clients (and Schemathesis) know of the CSV.
    """
    content = {"application/json": {"schema": schema}, "text/csv": {"schema": {"type": "string"}}}
    return {"responses": {"200": {"description": description, "content": content}}}


def attachment(body: str, filename: str, mimetype: str = "text/csv", **headers: str) -> Response:
    """`body` as a download named `filename` (extra headers by name, e.g. a stricter CSP)."""
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body, mimetype=mimetype, headers=headers)
