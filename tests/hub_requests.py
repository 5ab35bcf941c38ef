"""Helpers for the tests of requests to the hub: a valid body and sending one."""

import uuid


def request_body(**overrides) -> dict:
    """A valid request to talk to someone at the hub."""
    body = {
        "call_me": "Sam",
        "phone": "07700 900123",
        "email": None,
        "good_times": "Weekday mornings",
        "on_my_mind": "Work has been a lot lately.",
        "summary": None,
    }
    body.update(overrides)
    return body


def send_request(client, request_id=None, **overrides):
    """PUT a request with a new (or given) client-made id; returns (id, response)."""
    request_id = request_id or str(uuid.uuid4())
    response = client.put(f"/api/v1/hub-requests/{request_id}", json=request_body(**overrides))
    return request_id, response
