"""Insights for hub researchers: published releases only, never a check-in."""

import json
import time

from flask import Response, current_app, request, stream_with_context

from ..extensions import db
from ..schemas.insights import (
    AlertListSchema,
    NeedsMapQuerySchema,
    NeedsMapSchema,
    RangeQuerySchema,
    ReleaseListSchema,
    SignupBurstsSchema,
    TakeUpQuerySchema,
    TakeUpSchema,
    TrendsQuerySchema,
    TrendsSchema,
)

# `releases` is this module's first view, so the package's door goes by `figures` here.
from ..services import releases as figures
from ..services.releases import current_week
from .access import role_required
from .blueprint import Blueprint
from .downloads import also_csv, attachment

blp = Blueprint(
    "insights", __name__, url_prefix="/api/v1/insights", description="Anonymised insights"
)
researcher_only = role_required("researcher")
MAX_EVENT_ID = 2**31 - 1


@blp.view("GET", "/releases", researcher_only, returns=ReleaseListSchema)
def releases():
    """The latest releases, and the privacy settings they were made with."""
    config = current_app.config
    return {
        "items": [figures.release_summary(r) for r in figures.recent_releases()],
        "privacy": {
            "k": figures.privacy_k(),
            "rounding": 5,
            "interval_minutes": config["RELEASE_INTERVAL_MINUTES"],
            "open_weeks": config.get("RELEASE_OPEN_WEEKS", 2),
            "differential_privacy": figures.dp_budget(current_week().year, config),
        },
    }


@blp.view("GET", "/trends", researcher_only, query=TrendsQuerySchema, returns=TrendsSchema)
def trends(query):
    """Week-by-week published values for one level (area, region, role group, setting, all)."""
    return figures.trends(query["level"], query.get("from_"), query.get("to"), query.get("key"))


@blp.view("GET", "/needs-map", researcher_only, query=NeedsMapQuerySchema, returns=NeedsMapSchema)
def needs_map(query):
    """Every area, region and the total for one week (default: the latest released)."""
    return figures.needs_map(query.get("week"))


@blp.view("GET", "/alerts", researcher_only, query=RangeQuerySchema, returns=AlertListSchema)
def alert_list(query):
    """Areas whose published whole weeks moved away from their own usual level."""
    return figures.area_alerts(query.get("from_"), query.get("to"))


@blp.view(
    "GET",
    "/export.csv",
    researcher_only,
    query=RangeQuerySchema,
    content_type="text/csv",
    description="Published cells as CSV",
)
def export(query):
    """Every published cell of the weeks asked for (default: the last twelve), as CSV."""
    body = figures.export_csv(query.get("from_"), query.get("to"))
    return attachment(body, "wellbeing-insights.csv")


@blp.view("GET", "/take-up", researcher_only, query=TakeUpQuerySchema, returns=TakeUpSchema)
@blp.doc(**also_csv("Take-up, as JSON or CSV", TakeUpSchema))
def take_up_counts(query):
    """Opens per resource in all, by region and by area, for recent closed weeks."""
    if query["format"] == "csv":
        return attachment(figures.take_up_csv(query["weeks"]), "resource-take-up.csv")
    return figures.take_up(query["weeks"])


@blp.view("GET", "/sign-up-bursts", researcher_only, returns=SignupBurstsSchema)
def sign_up_bursts():
    """Accounts made in bursts from one address: nationally, per closed week, from k."""
    return figures.signup_figures()


def _last_event_id() -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.args.get("last")
    if raw is None or not raw.isdigit() or len(raw) > 10:
        return None
    return min(int(raw), MAX_EVENT_ID)


def _event(release) -> str:
    data = figures.release_summary(release)
    data["published_at"] = release.published_at.isoformat()
    return f"id: {release.id}\nevent: release\ndata: {json.dumps(data)}\n\n"


@blp.view(
    "GET",
    "/stream",
    researcher_only,
    content_type="text/event-stream",
    description="Server-Sent Events",
)
def stream():
    """An event each time a release is published; closes after a few minutes (reconnect)."""
    config = current_app.config
    # Under tests a stream answers once and closes unless a test asks for longer.
    seconds = float(config.get("INSIGHTS_STREAM_SECONDS", 0 if current_app.testing else 300))
    poll = float(config.get("INSIGHTS_STREAM_POLL_SECONDS", 5))
    last = _last_event_id()

    def events():
        nonlocal last
        deadline = time.monotonic() + seconds
        yield "retry: 3000\n\n"
        if last is None:
            newest = figures.recent_releases(1)
            last = newest[0].id - 1 if newest else 0
        while True:
            for release in figures.releases_after(last):
                last = release.id
                yield _event(release)
            # End the read transaction and give the connection back while waiting.
            db.session.close()
            if time.monotonic() >= deadline:
                return
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))
            yield ": still here\n\n"

    return Response(
        stream_with_context(events()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
