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
from ..services import devices, reminders, webpush
from .access import role_required, staff_only
from .blueprint import Blueprint

blp = Blueprint("push", __name__, url_prefix="/api/v1", description="Opt-in reminders")
# Practitioners let a device subscribe to hear of new requests ("A new request is waiting").
with_devices = role_required("staff", "practitioner")


@blp.route("/push/vapid-public-key", methods=["GET"])
@with_devices
@blp.response(200, VapidKeySchema)
def vapid_public_key():
    """The application server key for pushManager.subscribe."""
    return {"public_key": webpush.public_key(current_app)}


@blp.route("/push/subscriptions", methods=["POST"])
@with_devices
@blp.arguments(SubscriptionInSchema)
@blp.response(204)
def subscribe(data):
    """Keep this device's push subscription (sent again whenever the browser renews it)."""
    keys = data["keys"]
    devices.add_device(current_user, data["endpoint"], keys["p256dh"], keys["auth"])


@blp.route("/push/subscriptions", methods=["DELETE"])
@with_devices
@blp.arguments(SubscriptionOutSchema)
@blp.response(204)
def unsubscribe(data):
    """Forget this device: it gets no more reminders."""
    devices.remove_device(current_user, data["endpoint"])


@blp.route("/push/test", methods=["POST"])
@staff_only
@limiter.limit("5 per minute")
@blp.response(200, TestSendSchema)
def send_test():
    """Send the test message to each of my devices now."""
    return reminders.send_test(current_app, current_user)


@blp.route("/reminders", methods=["GET"])
@staff_only
@blp.response(200, ReminderSettingsSchema)
def show():
    """My reminder settings."""
    return reminders.schedule_record(current_user)


@blp.route("/reminders", methods=["PUT"])
@staff_only
@blp.arguments(ReminderSettingsInSchema)
@blp.response(200, ReminderSettingsSchema)
def update(data):
    """Change my reminder settings (those left out stay as they are)."""
    return reminders.update_schedule(current_user, data)
