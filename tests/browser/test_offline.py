"""Offline first: the app opens without a network, keeps check-ins, and sends each exactly once."""

import pytest

from tests.browser.conftest import eventually, mood_face, screen_ready

pytestmark = pytest.mark.browser

OUTBOX_COUNT = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("wellbeing-diary");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const count = await new Promise((resolve) => {
    const request = db.transaction("outbox").objectStore("outbox").count();
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  return count;
}"""


def test_offline_check_in_waits_in_the_outbox_then_syncs_once(
    page, context, sign_up, check_in, api_get, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    check_in(page, mood="Good")  # one online, so history has something from the server too

    context.set_offline(True)
    page.reload()
    screen_ready(page, "How are you right now?")
    assert (
        page.evaluate("fetch('/api/v1/auth/me').then(() => 'reached', () => 'failed')") == "failed"
    )
    page.locator("#connection", has_text="You're offline").wait_for()

    mood_face(page, "Tough").click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("kept on this phone and will be sent when you're back online").wait_for()
    assert page.evaluate(OUTBOX_COUNT) == 1

    page.reload()  # still offline: the outbox survives, history shows both
    page.goto("/#/history")
    screen_ready(page, "Your diary")
    waiting = page.locator(".entry-link", has_text="Waiting to sync")
    waiting.wait_for()
    assert "Tough" in waiting.inner_text()
    page.locator(".entry-link", has_text="Good").wait_for()
    page.locator("#connection", has_text="1 check-in is waiting to sync").wait_for()

    context.set_offline(False)
    page.locator("#connection").filter(has_text="waiting to sync").wait_for(state="detached")
    eventually(page, f"({OUTBOX_COUNT})().then((n) => n === 0)")
    # A second replay (another `online`) must not send it again.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()
    screen_ready(page, "Your diary")

    moods = sorted(e["mood"] for e in api_get(page, "/api/v1/entries")["items"])
    assert moods == [2, 4]


def test_a_failed_replay_keeps_the_check_in_and_later_ones_wait_behind_it(
    page, context, sign_up, api_get, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    context.set_offline(True)
    for mood in ("Really tough", "Okay"):
        mood_face(page, mood).click()
        page.get_by_role("button", name="Save check-in").click()
        page.get_by_text("It is kept on this phone").wait_for()
        page.get_by_role("button", name="Check in again").click()
        screen_ready(page, "How are you right now?")
    assert page.evaluate(OUTBOX_COUNT) == 2

    # Back online, but the server fails: nothing is lost and nothing is sent out of order.
    tried = []

    def unavailable(route):
        tried.append(route.request.post_data_json["mood"])
        route.fulfill(status=503, content_type="application/json", body="{}")

    page.route("**/api/v1/entries/*", unavailable)
    context.set_offline(False)
    eventually(page, "navigator.onLine")
    page.locator("#connection", has_text="2 check-ins are waiting to sync").wait_for()
    for _ in range(200):
        if tried:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # time enough for a replay that wrongly carried on
    assert set(tried) == {1}, "the oldest goes first, and a failure stops the replay"
    assert page.evaluate(OUTBOX_COUNT) == 2

    page.unroute("**/api/v1/entries/*")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    eventually(page, f"({OUTBOX_COUNT})().then((n) => n === 0)")
    items = api_get(page, "/api/v1/entries")["items"]
    assert sorted(e["mood"] for e in items) == [1, 3]
    assert items[0]["occurred_at"] >= items[1]["occurred_at"]


def test_history_opens_offline_from_the_copy_on_this_phone(
    page, context, sign_up, check_in, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    check_in(page, mood="Great", note="sunny walk between visits")
    page.goto("/#/history")
    page.locator(".entry-link", has_text="Great").wait_for()

    context.set_offline(True)
    page.reload()
    screen_ready(page, "Your diary")
    page.get_by_text("You're offline: showing what is saved on this phone.").wait_for()
    page.locator(".entry-link", has_text="Great").click()
    page.get_by_text("sunny walk between visits").wait_for()
