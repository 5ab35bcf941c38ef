"""Reminders: a person's chosen check-in reminders, sent as web push to their devices.

The one door of the package. Inside: schedule keeps the schedules and sends what is due,
webpush talks to the push services with the app's VAPID key, and devices keeps each
person's push subscriptions.
"""

from .devices import add_device, devices_of, forget_devices, remove_device
from .schedule import (
    EVERY_MINUTE,
    schedule_record,
    send_due,
    send_due_job,
    send_test,
    update_schedule,
)
from .schedule import tally as tally_sends
from .webpush import Sender as PushSender
from .webpush import public_key, vapid_key

__all__ = [
    "EVERY_MINUTE",
    "PushSender",
    "add_device",
    "devices_of",
    "forget_devices",
    "public_key",
    "remove_device",
    "schedule_record",
    "send_due",
    "send_due_job",
    "send_test",
    "tally_sends",
    "update_schedule",
    "vapid_key",
]
