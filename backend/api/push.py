"""Reminders: the VAPID key, the person's devices, their reminder settings and a test send."""

from flask import current_app
from flask_login import current_user

from ..extensions import limiter
from ..schemas.reminders import (
    ReminderSettingsInSchema,
    ReminderSettingsSchema,
    SubscriptionInSchema,
    SubscriptionOutSchema,
    TestSendSchema,
    VapidKeySchema,
)
from ..services import reminders
from .access import role_required, staff_only
from .blueprint import Blueprint

blp = Blueprint("push", __name__, url_prefix="/api/v1", description="Opt-in reminders")
# Practitioners let a device subscribe to hear of new requests ("A new request is waiting").
with_devices = role_required("staff", "practitioner")


@blp.view("GET", "/push/vapid-public-key", with_devices, returns=VapidKeySchema)
def vapid_public_key():
    """The application server key for pushManager.subscribe."""
    return {"public_key": reminders.public_key(current_app)}


@blp.view("POST", "/push/subscriptions", with_devices, body=SubscriptionInSchema, status=204)
def subscribe(data):
    """Keep this device's push subscription (sent again whenever the browser renews it)."""
    keys = data["keys"]
    reminders.add_device(current_user, data["endpoint"], keys["p256dh"], keys["auth"])


@blp.view("DELETE", "/push/subscriptions", with_devices, body=SubscriptionOutSchema, status=204)
def unsubscribe(data):
    """Forget this device: it gets no more reminders."""
    reminders.remove_device(current_user, data["endpoint"])


@blp.view("POST", "/push/test", staff_only, limiter.limit("5 per minute"), returns=TestSendSchema)
def send_test():
    """Send the test message to each of my devices now."""
    return reminders.send_test(current_app, current_user)


@blp.view("GET", "/reminders", staff_only, returns=ReminderSettingsSchema)
def show():
    """My reminder settings."""
    return reminders.schedule_record(current_user)


@blp.view(
    "PUT", "/reminders", staff_only, body=ReminderSettingsInSchema, returns=ReminderSettingsSchema
)
def update(data):
    """Change my reminder settings (those left out stay as they are)."""
    return reminders.update_schedule(current_user, data)
