"""Talk to someone at the hub: a person's own requests, and the practitioners' inbox."""

import uuid

from flask import current_app
from flask_login import current_user

from ..schemas.hub import (
    HubAboutSchema,
    HubRequestInSchema,
    HubRequestListSchema,
    HubRequestSchema,
    HubSummaryOutSchema,
    InboxChangeSchema,
    InboxItemSchema,
    InboxListSchema,
)
from ..services import hub
from .access import role_required, staff_only
from .blueprint import Blueprint

blp = Blueprint("hub", __name__, url_prefix="/api/v1", description="Talk to someone at the hub")
practitioner_only = role_required("practitioner")


@blp.view("GET", "/hub-requests/about", staff_only, returns=HubAboutSchema)
def about():
    """The hub's opening hours and how long a closed request is kept."""
    config = current_app.config
    return {
        "opening_hours": config["HUB_OPENING_HOURS"],
        "retention_days": config["REFERRAL_RETENTION_DAYS"],
    }


@blp.view("GET", "/hub-requests/summary", staff_only, returns=HubSummaryOutSchema)
def summary():
    """My last 4 weeks, exactly as they would be sent if I include them."""
    return hub.summary_of(current_user)


@blp.view(
    "PUT",
    "/hub-requests/<uuid:request_id>",
    staff_only,
    body=HubRequestInSchema,
    returns=HubRequestSchema,
)
@blp.alt_response(201, schema=HubRequestSchema, description="Created")
def send(data, request_id: uuid.UUID):
    """Send my request with this id (201 the first time; 200 and the same request after)."""
    record, created = hub.send(current_user, request_id, data)
    return record, 201 if created else 200


@blp.view("GET", "/hub-requests", staff_only, returns=HubRequestListSchema)
def mine():
    """My requests, newest first, with their state and when each was first read."""
    return {"items": hub.mine(current_user)}


@blp.view("GET", "/hub-requests/<uuid:request_id>", staff_only, returns=HubRequestSchema)
def one(request_id: uuid.UUID):
    """One of my requests."""
    return hub.one_of_mine(current_user, request_id)


@blp.view("DELETE", "/hub-requests/<uuid:request_id>", staff_only, status=204)
def withdraw(request_id: uuid.UUID):
    """Withdraw my request: it is erased at once."""
    hub.withdraw(current_user, request_id)


@blp.view("GET", "/hub/inbox", practitioner_only, returns=InboxListSchema)
def inbox():
    """Every request: states and dates only (opening one is audited)."""
    return {"items": hub.waiting(current_user)}


@blp.view("GET", "/hub/inbox/<uuid:request_id>", practitioner_only, returns=InboxItemSchema)
def read(request_id: uuid.UUID):
    """Open a request: what the person chose to send. Written to the audit log."""
    return hub.read(current_user, request_id)


@blp.view(
    "PATCH",
    "/hub/inbox/<uuid:request_id>",
    practitioner_only,
    body=InboxChangeSchema,
    returns=InboxItemSchema,
)
def update(changes, request_id: uuid.UUID):
    """Mark a request seen, contacted or closed, and keep a short private note. Audited."""
    return hub.update(current_user, request_id, changes)
