"""The outbox never loses a check-in and never blocks: a refused one is kept, shown and fixable."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import (
    eventually,
    mood_face,
    outbox_items,
    queue_in_outbox,
    screen_ready,
)
from tests.browser.test_layout import SIDEWAYS, SMALL_TARGETS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ENTRY_PUT = "**/api/v1/entries/*"


def answers_of(page):
    """(check-in id, status) of every PUT of a check-in that had an answer, in order."""
    answers = []

    def seen(response):
        request = response.request
        if request.method == "PUT" and "/api/v1/entries/" in request.url:
            answers.append((request.url.rsplit("/", 1)[1], response.status))

    page.on("response", seen)
    return answers


def save_while_offline(page, mood):
    mood_face(page, mood).click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text(
        "It is kept on this phone and will be sent when you're back online."
    ).wait_for()
    page.get_by_role("button", name="Check in again").click()
    screen_ready(page, "How are you right now?")


def check_in_with_a_long_note(minutes_ago=30, length=6000):
    """A check-in the server refuses: a note past its 5,000 characters."""
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return {
        "id": str(uuid.uuid4()),
        "occurred_at": at.isoformat(),
        "mood": 3,
        "energy": None,
        "sleep": None,
        "stress": None,
        "factors": [],
        "needs": [],
        "note": "a" * length,
    }


def test_a_refused_check_in_does_not_hold_back_the_others_and_can_be_fixed(
    page, context, sign_up, check_in, api_get, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    answers = answers_of(page)
    context.set_offline(True)
    save_while_offline(page, "Good")
    refused = check_in_with_a_long_note()
    queue_in_outbox(page, refused)
    save_while_offline(page, "Great")
    assert len(outbox_items(page)) == 3

    context.set_offline(False)
    eventually(page, "import('/js/outbox.js').then((o) => o.counts()).then((c) => c.waiting === 0)")
    # In order, each once: the refused one in the middle held nothing back.
    assert [status for _, status in answers] == [201, 422, 201]
    first, middle, third = (id_ for id_, _ in answers)
    assert middle == refused["id"]
    saved = api_get(page, "/api/v1/entries")["items"]
    assert sorted(e["id"] for e in saved) == sorted([first, third])
    assert sorted(e["mood"] for e in saved) == [4, 5]
    [kept] = outbox_items(page)
    assert kept["id"] == refused["id"] and kept["refused"]["status"] == 422
    assert "note" in kept["refused"]["fields"]

    banner = page.locator("#connection")
    banner.get_by_text("1 check-in needs a look before it can be sent.").wait_for()
    assert "waiting to sync" not in banner.inner_text()

    # Not tried again by itself: a new check-in goes past it, and it is not sent again.
    page.reload()
    screen_ready(page, "How are you right now?")
    check_in(page, mood="Okay")
    page.get_by_text("It is in your diary now.").wait_for()
    assert [status for id_, status in answers if id_ == refused["id"]] == [422]
    assert len(api_get(page, "/api/v1/entries")["items"]) == 3

    page.locator("#connection").get_by_role("link", name="Have a look").click()
    card = page.locator("section.refused")
    card.get_by_role("heading", name="The diary could not take this check-in as it is").wait_for()
    card.get_by_text(
        "The note is too long: it can have at most 5,000 characters, and this one has 6,000."
    ).wait_for()
    page.goto("/#/history")
    screen_ready(page, "Your diary")
    page.get_by_role("heading", name="A check-in needs a look").wait_for()
    page.locator(".entry-link", has_text="Needs a look").first.click()

    page.get_by_role("link", name="Change it").click()
    screen_ready(page, "Change this check-in")
    page.get_by_text("The diary could not take this check-in as it was:").wait_for()
    note = page.get_by_label("A note, just for you")
    assert len(note.input_value()) == 6000  # all of it, not cut to the limit
    page.locator(".note-room", has_text="1,000 characters too many").wait_for()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("alert").get_by_text("The note is 1,000 characters too long").wait_for()
    assert len(answers) == 4, "nothing is sent while the note is too long"

    note.fill("Shorter now.")
    page.get_by_role("button", name="Save changes").click()
    screen_ready(page, "Saved. Thank you for checking in.")
    page.get_by_text("It is in your diary now.").wait_for()
    assert [status for id_, status in answers if id_ == refused["id"]] == [422, 201]
    fixed = api_get(page, f"/api/v1/entries/{refused['id']}")
    assert (fixed["note"], fixed["mood"]) == ("Shorter now.", 3)
    assert len(api_get(page, "/api/v1/entries")["items"]) == 4
    assert outbox_items(page) == []
    page.locator("#connection").filter(has_text="needs a look").wait_for(state="detached")


def offer_a_factor_the_server_does_not_know(page):
    """The phone's list of factors has one the server no longer has (an older taxonomy)."""

    def older_taxonomy(route):
        taxonomy = route.fetch().json()
        taxonomy["factors"].append({"code": "night_shifts", "label": "Night shifts"})
        route.fulfill(json=taxonomy)

    page.route("**/api/v1/taxonomy", older_taxonomy)


def test_the_thanks_screen_says_plainly_when_the_diary_cannot_take_a_check_in(
    page, sign_up, api_get
):
    offer_a_factor_the_server_does_not_know(page)
    sign_up(page)
    mood_face(page, "Okay").click()
    page.get_by_text("Add more (optional)").click()
    page.get_by_role("checkbox", name="Night shifts").click()
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")

    card = page.locator("section.refused")
    card.get_by_text(
        "One of the things you chose under “What is affecting you?” is no longer on the list."
    ).wait_for()
    assert "back online" not in page.locator("main").inner_text()
    page.locator("#connection").get_by_text("1 check-in needs a look").wait_for()
    assert api_get(page, "/api/v1/entries")["items"] == []

    card.get_by_role("button", name="Remove it").click()
    page.get_by_text("Remove this check-in? It is only on this phone").wait_for()
    page.get_by_role("button", name="No, keep it").click()
    assert len(outbox_items(page)) == 1
    card.get_by_role("button", name="Remove it").click()
    page.get_by_role("button", name="Yes, remove it").click()
    page.get_by_text("It has been removed.").wait_for()
    assert outbox_items(page) == []
    page.locator("#connection").filter(has_text="needs a look").wait_for(state="detached")
    assert api_get(page, "/api/v1/entries")["items"] == []


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"status": 503, "json": {"code": 503}}, "The diary is busy just now"),
        (
            {"status": 429, "json": {"code": 429}, "headers": {"Retry-After": "1"}},
            "The diary is busy just now",
        ),
        ("unreachable", "The diary could not be reached just now"),
    ],
    ids=["503", "429-retry-after", "unreachable"],
)
def test_a_busy_or_unreachable_diary_is_tried_again_by_itself(
    page, sign_up, api_get, answer, words
):
    sign_up(page)
    answers = answers_of(page)
    answered = []

    def busy_once(route):
        if answered:
            return route.continue_()
        answered.append(route.request.url)
        if answer == "unreachable":
            return route.abort("connectionrefused")
        return route.fulfill(**answer)

    page.route(ENTRY_PUT, busy_once)
    mood_face(page, "Good").click()
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")
    page.get_by_text(f"{words}, so it is kept on this phone.").wait_for()
    assert "back online" not in page.locator("main").inner_text()

    # No `online` event, no reload: the back-off's own timer sends it.
    eventually(page, "import('/js/outbox.js').then((o) => o.waiting()).then((w) => !w.length)")
    [saved] = api_get(page, "/api/v1/entries")["items"]
    assert saved["mood"] == 4
    statuses = [status for id_, status in answers if id_ == saved["id"]]
    assert statuses == ([] if answer == "unreachable" else [answer["status"]]) + [201]
    assert len(answers) == len(statuses)
    page.locator("#connection").filter(has_text="waiting to sync").wait_for(state="detached")


def test_a_check_in_waits_for_sign_in_when_the_session_has_ended(
    page, context, sign_up, api_get, wait_for_service_worker
):
    username = sign_up(page)
    wait_for_service_worker(page)
    context.set_offline(True)
    save_while_offline(page, "Tough")
    # The session ends elsewhere (signed out on another phone): the server now answers 401.
    assert page.request.post("/api/v1/auth/logout", data={}).ok

    context.set_offline(False)
    screen_ready(page, "Sign in")
    page.get_by_text("Please sign in again to send the check-ins saved on this phone.").wait_for()
    [waiting] = outbox_items(page)
    assert waiting["refused"] is None and waiting["entry"]["mood"] == 2

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    screen_ready(page, "How are you right now?")
    eventually(page, "import('/js/outbox.js').then((o) => o.waiting()).then((w) => !w.length)")
    [saved] = api_get(page, "/api/v1/entries")["items"]
    assert (saved["id"], saved["mood"]) == (waiting["id"], 2)


def test_the_new_states_are_accessible_at_320px_in_dark_mode(
    new_context, sign_up, assert_accessible
):
    page = new_context(viewport={"width": 320, "height": 720}, color_scheme="dark").new_page()
    offer_a_factor_the_server_does_not_know(page)
    sign_up(page)  # signed in within the test: a saved storage state has no session

    def check(what):
        assert_accessible(page)
        assert page.evaluate(SIDEWAYS) == 0, what
        assert page.evaluate(SMALL_TARGETS) == [], what

    # The thanks screen of a refused check-in, its second step open.
    mood_face(page, "Okay").click()
    page.get_by_text("Add more (optional)").click()
    page.get_by_role("checkbox", name="Night shifts").click()
    page.get_by_role("button", name="Save check-in").click()
    page.locator("section.refused").wait_for()
    page.get_by_role("button", name="Remove it").click()
    page.get_by_role("button", name="Yes, remove it").wait_for()
    check("thanks, refused")

    # A second refused one and one waiting behind a busy diary: the banner says both.
    queue_in_outbox(page, check_in_with_a_long_note())
    page.route(
        ENTRY_PUT,
        lambda route: (
            route.continue_()
            if len(route.request.post_data_json.get("note") or "") > 5000
            else route.fulfill(status=503, json={})
        ),
    )
    page.get_by_role("button", name="Check in again").click()
    screen_ready(page, "How are you right now?")
    mood_face(page, "Good").click()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("The diary is busy just now").wait_for()
    page.locator(
        "#connection", has_text="2 check-ins need a look before they can be sent."
    ).wait_for()
    page.locator("#connection", has_text="1 check-in is waiting to sync.").wait_for()
    check("thanks, busy, with the banner")

    page.locator("#connection").get_by_role("link", name="See them").click()
    page.get_by_role("heading", name="Check-ins that need a look").wait_for()
    check("history with check-ins that need a look")

    page.locator(".entry-link", has_text="Needs a look").first.click()
    page.locator("section.refused").wait_for()
    check("a refused check-in")

    page.get_by_role("link", name="Change it").click()
    screen_ready(page, "Change this check-in")
    page.get_by_text("The diary could not take this check-in as it was:").wait_for()
    note = page.get_by_label("A note, just for you")
    note.fill("c" * 5100)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("alert").get_by_text("too long").wait_for()
    check("the form, the note past the limit")
    note.fill("c" * 4800)
    page.locator(".note-room", has_text="200 characters left").wait_for()
    check("the form, the note near the limit")

    page.goto("/#/settings")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Send them first").click()
    page.get_by_text("Sent what could be sent. Still on this phone:").wait_for()
    check("settings, signing out with check-ins waiting")
