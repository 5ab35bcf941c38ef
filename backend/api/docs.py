"""Interactive API docs at /api/docs: Swagger UI from the swagger-ui-bundle package.

Served from our own origin (no CDN), with the start-up script in a file of its own so
the strict Content-Security-Policy holds.
"""

from flask import Blueprint, Response, send_from_directory
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("docs", __name__, url_prefix="/api/docs")

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Wellbeing Diary API</title>
  <link rel="stylesheet" href="/api/docs/static/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/static/swagger-ui-bundle.js"></script>
  <script src="/api/docs/start.js"></script>
</body>
</html>
"""

START = """window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui"});\n"""


@bp.route("")
def page():
    """The docs page."""
    response = Response(PAGE, mimetype="text/html")
    # Swagger UI sets inline styles as it renders; only this page allows them.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return response


@bp.route("/start.js")
def start():
    return Response(START, mimetype="text/javascript")


@bp.route("/static/<path:filename>")
def asset(filename: str):
    return send_from_directory(str(swagger_ui_path), filename, max_age=3600)
