"""Reminders in real Chromium: the service worker's notification, and the Settings section.

Chromium's pushManager.subscribe needs Google's push service, which is not reachable here,
so the Settings tests give the page a subscription made in Python (keys as a browser makes
them) at the push-service double; everything after that is real: the app's API, pywebpush's
encryption and VAPID signature, and the double decrypting what arrives.
"""

import json

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models.reminders import PushSubscription
from backend.services.reminders.schedule import REMINDER_PAYLOAD, TEST_PAYLOAD
from tests.browser.conftest import eventually, screen_ready
from tests.pushservice import PushService

pytestmark = pytest.mark.browser

NOTIFICATIONS = """navigator.serviceWorker.ready
  .then((r) => r.getNotifications())
  .then((list) => list.map((n) => [n.title, n.body]))"""

# The page's push manager hands out the given subscription instead of asking Google's service;
# requestPermission is counted, to show it is asked only after a tap.
FAKE_PUSH = """(subscription) => {
  let current = null;
  window.__permissionAsked = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => { window.__permissionAsked += 1; return ask(); };
  const wrap = (json) => ({ endpoint: json.endpoint, toJSON: () => json,
    unsubscribe: async () => { current = null; return true; } });
  PushManager.prototype.getSubscription = async () => current;
  PushManager.prototype.subscribe = async () => { current = wrap(subscription); return current; };
}"""


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUSH_ALLOW_LOOPBACK_HTTP": True, "PUSH_RETRY_BACKOFF_SECONDS": 0.01}


def registration_id(context, page) -> str:
    cdp = context.new_cdp_session(page)
    found = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if found:
            return cdp, found[0]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError("no service worker registration seen over CDP")


def test_a_push_shows_the_fixed_generic_reminder(
    context, page, sign_up, wait_for_service_worker, live_server
):
    context.grant_permissions(["notifications"])
    sign_up(page)
    wait_for_service_worker(page)
    cdp, registration = registration_id(context, page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration, "data": REMINDER_PAYLOAD},
    )
    shown = eventually(page, NOTIFICATIONS)
    assert shown == [["Wellbeing Diary", "A moment for your check-in?"]]


@pytest.fixture
def settings_with_push(context, page, sign_up, wait_for_service_worker):
    """A signed-up person on Settings, notifications allowed, the page's push manager handing
    out a subscription at the double; yields (push double, device, the reminders switch)."""
    context.grant_permissions(["notifications"])
    with PushService() as push:
        device = push.new_device()
        page.add_init_script(f"({FAKE_PUSH})({json.dumps(device.subscription_json())})")
        sign_up(page)
        wait_for_service_worker(page)
        page.goto("/#/settings")
        screen_ready(page, "Settings")
        switch = page.get_by_label("Send me gentle reminders to check in")
        switch.wait_for()
        yield push, device, switch
    assert push.refusals == []


def test_turning_reminders_on_saving_testing_and_off(
    page, settings_with_push, api_get, assert_accessible
):
    push, device, switch = settings_with_push
    assert page.evaluate("window.__permissionAsked") == 0  # never on load

    switch.check()
    page.get_by_text("Reminders are on.").wait_for()
    assert page.evaluate("window.__permissionAsked") == 1
    settings = api_get(page, "/api/v1/reminders")
    assert settings["enabled"] is True and settings["devices"] == 1
    assert_accessible(page)

    page.get_by_label("Reminder time 1").fill("08:15")
    page.locator("label.chip", has_text="Sun").click()
    page.get_by_role("button", name="Save reminder settings").click()
    page.get_by_text("Saved.").wait_for()
    settings = api_get(page, "/api/v1/reminders")
    assert settings["times"] == ["08:15"]
    assert "sun" not in settings["weekdays"] and len(settings["weekdays"]) == 6
    assert page.locator("[data-next-reminder]").inner_text().startswith("Next reminder:")

    page.get_by_role("button", name="Send me a test").click()
    page.get_by_text("Sent. It should arrive in a moment.").wait_for()
    (delivery,) = push.delivered_to(device)
    assert delivery.plaintext.decode() == TEST_PAYLOAD

    switch.uncheck()
    page.get_by_text("Reminders are off on this device.").wait_for()
    settings = api_get(page, "/api/v1/reminders")
    assert settings["devices"] == 0 and settings["enabled"] is False


def test_no_days_chosen_is_explained_next_to_the_days(page, settings_with_push):
    _, _, switch = settings_with_push
    switch.check()
    page.get_by_text("Reminders are on.").wait_for()
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        page.locator("label.chip", has_text=day).click()
    page.get_by_role("button", name="Save reminder settings").click()
    error = page.locator("[data-error-for=weekdays]")
    error.wait_for()
    assert "at least one day" in error.inner_text()


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    "overrides, script, words",
    [
        ({}, "delete window.PushManager", "This browser cannot show reminders."),
        (
            {},
            "Object.defineProperty(Notification, 'permission', {get: () => 'denied'})",
            "Notifications are blocked for the diary in your browser settings.",
        ),
        ({"user_agent": IPHONE}, "", "Add to Home Screen"),
    ],
    ids=["not-supported", "blocked", "iphone-in-safari"],
)
def test_clear_words_when_reminders_cannot_work(new_context, sign_up, overrides, script, words):
    page = new_context(**overrides).new_page()
    if script:
        page.add_init_script(script)
    sign_up(page)
    page.goto("/#/settings")
    state = page.locator("[data-reminders-state]")
    state.wait_for()
    assert words in state.inner_text()
    assert page.get_by_label("Send me gentle reminders to check in").count() == 0


def test_reminders_on_another_device_are_mentioned(page, settings_with_push):
    push, _, _ = settings_with_push
    other_phone = push.new_device().subscription_json()
    assert page.request.post("/api/v1/push/subscriptions", data=other_phone).status == 204
    assert page.request.put("/api/v1/reminders", data={"enabled": True}).ok
    page.reload()
    page.get_by_text("Reminders are on for another of your devices.").wait_for()
    assert not page.get_by_label("Send me gentle reminders to check in").is_checked()


def test_signing_out_removes_this_devices_subscription(page, settings_with_push, live_server):
    push, device, switch = settings_with_push
    switch.check()
    page.get_by_text("Reminders are on.").wait_for()
    endpoints = """() => navigator.serviceWorker.getRegistration()
      .then((r) => r.pushManager.getSubscription()).then((s) => s && s.endpoint)"""
    assert page.evaluate(endpoints) == device.subscription_json()["endpoint"]

    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()
    assert page.evaluate(endpoints) is None  # the browser unsubscribed
    with live_server.app.app_context():
        held = db.session.scalars(sa.select(PushSubscription.endpoint)).all()
        db.session.remove()
    assert held == []  # and the server forgot it before the session ended
