"""Signing out, or deleting the account, leaves nothing of the diary on the phone."""

import pytest

from tests.browser.conftest import (
    eventually,
    mood_face,
    outbox_items,
    queue_in_outbox,
    screen_ready,
)
from tests.browser.test_outbox import check_in_with_a_long_note, save_while_offline
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NOTE = "a private note about a hard visit"

# Everything the page's origin keeps, as text: every IndexedDB record, every Cache Storage
# response (its URL and body) and every localStorage value.
STORED_TEXT = """async () => {
  const found = [];
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(info.name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const name of db.objectStoreNames) {
      const records = await new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      found.push(...records.map((r) => `idb ${info.name}/${name}: ${JSON.stringify(r)}`));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = await (await cache.match(request)).text();
      found.push(`cache ${name} ${new URL(request.url).pathname}: ${body}`);
    }
  }
  for (let i = 0; i < localStorage.length; i += 1) {
    found.push(`localStorage ${localStorage.key(i)}: ${localStorage.getItem(localStorage.key(i))}`);
  }
  return found;
}"""


SHELL_FILES = """async () => {
  let count = 0;
  for (const name of await caches.keys()) count += (await (await caches.open(name)).keys()).length;
  return count;
}"""


def fill_the_phone(page, context, sign_up, check_in, wait_for_service_worker):
    """Sign up and use every screen, so that each local store holds something."""
    username = sign_up(page)
    wait_for_service_worker(page)
    check_in(page, mood="Tough", note=NOTE)
    page.goto("/#/history")
    page.locator(".entry-link", has_text="Tough").wait_for()
    page.goto("/#/trends")
    page.locator("#trend-summary").wait_for()
    page.locator("section.ons4 h2").wait_for()
    page.goto("/#/support")  # the catalogue's copy for offline use
    page.locator(".need-group").first.wait_for()
    context.set_offline(True)  # and one check-in still waiting in the outbox
    page.goto("/#/check-in")
    page.reload()
    screen_ready(page, "How are you right now?")
    mood_face(page, "Okay").click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("It is kept on this phone").wait_for()
    context.set_offline(False)
    page.locator("#connection").filter(has_text="waiting").wait_for(state="detached")

    stored = "\n".join(page.evaluate(STORED_TEXT))
    assert NOTE in stored and username in stored, "the test must start from a phone holding data"
    assert "MoneyHelper" in stored and "life_satisfaction" in stored
    return username


def assert_no_diary_left(page, username):
    stored = page.evaluate(STORED_TEXT)
    cached_paths = [s.split(" ", 2)[2].split(":", 1)[0] for s in stored if s.startswith("cache")]
    assert not [path for path in cached_paths if path.startswith("/api/")]
    leftovers = [s for s in stored if NOTE in s or username in s]
    assert leftovers == []
    assert not [s for s in stored if s.startswith(("idb", "localStorage"))]
    assert page.evaluate("localStorage.length") == 0


def test_signing_out_removes_every_trace_of_the_diary(
    page, context, sign_up, check_in, wait_for_service_worker, api_get
):
    username = fill_the_phone(page, context, sign_up, check_in, wait_for_service_worker)
    shell_files = page.evaluate(SHELL_FILES)

    page.goto("/#/settings")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text(
        "You have signed out. Nothing from your diary is left on this phone."
    ).wait_for()

    assert_no_diary_left(page, username)
    assert page.request.get("/api/v1/auth/me").status == 401
    # The app itself still opens offline: only the shell came back into the cache.
    eventually(page, f"({SHELL_FILES})().then((n) => n === {shell_files})")
    context.set_offline(True)
    page.reload()
    screen_ready(page, "Your wellbeing diary")


def test_signing_out_offline_says_it_needs_a_connection_and_keeps_what_waits(
    page, context, sign_up
):
    sign_up(page)
    context.set_offline(True)
    mood_face(page, "Good").click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("It is kept on this phone").wait_for()

    page.goto("/#/settings")
    # The words under "Sign out" are true for a check-in that is not on the server yet.
    page.get_by_text(
        "What has reached the server stays safe there, but 1 check-in on this phone has not "
        "been sent yet and would be lost."
    ).wait_for()
    assert page.get_by_text("It stays safe on the server.").count() == 0
    page.get_by_role("button", name="Sign out").click()
    # Offline the server session cannot be ended, so the app does not pretend to sign out.
    page.get_by_text("Signing out needs a connection.").wait_for()
    screen_ready(page, "Settings")
    assert len(outbox_items(page)) == 1


def test_signing_out_with_check_ins_waiting_offers_to_send_them_first(
    page, context, sign_up, api_get
):
    sign_up(page)
    context.set_offline(True)
    refused = check_in_with_a_long_note()
    queue_in_outbox(page, refused)  # the server will refuse this one
    for mood in ("Good", "Great"):
        save_while_offline(page, mood)

    # Back online, but the diary is busy: the two good ones wait, the long note is refused.
    busy = [True]
    page.route(
        "**/api/v1/entries/*",
        lambda route: (
            route.fulfill(status=503, json={"code": 503})
            if busy[0] and len(route.request.post_data_json.get("note") or "") <= 5000
            else route.continue_()
        ),
    )
    context.set_offline(False)
    page.locator("#connection", has_text="1 check-in needs a look").wait_for()
    page.locator("#connection", has_text="2 check-ins are waiting to sync").wait_for()

    page.goto("/#/settings")
    page.get_by_text("but 3 check-ins on this phone have not been sent yet").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text(
        "3 check-ins are on this phone only and would be lost if you sign out now. "
        "1 of them needs a look before it can be sent."
    ).wait_for()
    anyway = page.get_by_role("button", name="Sign out anyway, losing 3 check-ins")
    anyway.wait_for()
    assert page.evaluate("document.activeElement.textContent").startswith("3 check-ins")

    busy[0] = False
    page.get_by_role("button", name="Send them first").click()
    page.get_by_text(
        "Sent what could be sent. Still on this phone: 1 check-in that needs a look before it "
        "can be sent."
    ).wait_for()
    assert sorted(e["mood"] for e in api_get(page, "/api/v1/entries")["items"]) == [4, 5]
    assert page.get_by_role("button", name="Send them first").is_hidden()
    page.get_by_text("but 1 check-in on this phone has not been sent yet").wait_for()

    page.get_by_role("button", name="Sign out anyway, losing 1 check-in").click()
    page.get_by_text(
        "You have signed out. Nothing from your diary is left on this phone."
    ).wait_for()
    assert page.request.get("/api/v1/auth/me").status == 401


def test_send_them_first_sends_everything_then_signing_out_asks_nothing(
    page, context, sign_up, api_get
):
    sign_up(page)
    context.set_offline(True)
    mood_face(page, "Okay").click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("It is kept on this phone").wait_for()
    page.route("**/api/v1/entries/*", lambda route: route.fulfill(status=503, json={}))
    context.set_offline(False)
    page.locator("#connection", has_text="1 check-in is waiting to sync").wait_for()

    page.goto("/#/settings")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign out anyway, losing 1 check-in").wait_for()
    page.unroute("**/api/v1/entries/*")
    page.get_by_role("button", name="Send them first").click()
    page.get_by_text("All sent: everything is in your diary now. You can sign out.").wait_for()
    assert [e["mood"] for e in api_get(page, "/api/v1/entries")["items"]] == [3]
    page.get_by_text(
        "Signing out removes your diary from this phone. It stays safe on the server."
    ).wait_for()

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_text(
        "You have signed out. Nothing from your diary is left on this phone."
    ).wait_for()


def test_deleting_the_account_erases_it_everywhere(
    page, context, sign_up, check_in, wait_for_service_worker
):
    username = sign_up(page)
    check_in(page, mood="Good", note=NOTE)
    wait_for_service_worker(page)

    page.goto("/#/settings")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    page.locator(".field-error, .notice-error").filter(has_text="password").first.wait_for()
    screen_ready(page, "Settings")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account and diary have been deleted.").wait_for()
    assert_no_diary_left(page, username)

    page.goto("/#/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("don't match").wait_for()
