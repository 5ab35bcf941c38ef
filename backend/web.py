"""Serves the app shell (frontend/) from the site root, with the service worker versioned."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
CACHE_VERSION_MARK = "__CACHE_VERSION__"

bp = Blueprint("web", __name__)


@lru_cache(maxsize=1)
def cache_version() -> str:
    """A hash of every front-end file: a change to any of them makes a new service worker."""
    digest = hashlib.sha256()
    for path in sorted(p for p in FRONTEND.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(FRONTEND)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@bp.route("/")
def shell():
    """The diary app."""
    return _static("index.html")


@bp.route("/hub/")
def hub():
    """The hub dashboard."""
    return _static("hub/index.html")


@bp.route("/sw.js")
def service_worker():
    """The service worker (its listeners), never cached by HTTP so updates are found at once."""
    return _worker("sw.js")


@bp.route("/sw/<name>.js")
def worker_file(name: str):
    """A file the service worker imports (its shell list, caching strategies, reminders).

    Every file of the worker has the cache version filled in and is never cached by HTTP,
    so the browser's update check sees any change at once.
    """
    return _worker(f"sw/{name}.js")


@bp.route("/<path:filename>")
def static_file(filename: str):
    """Any other file of the front end."""
    if filename.startswith("api/"):
        abort(404)
    return _static(filename)


def _worker(filename: str):
    path = FRONTEND / filename
    if not path.is_file():
        abort(404)
    source = path.read_text().replace(CACHE_VERSION_MARK, cache_version())
    return Response(
        source,
        mimetype="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


def _static(filename: str):
    response = send_from_directory(FRONTEND, filename, max_age=0)
    if filename.endswith(".webmanifest"):
        response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response
