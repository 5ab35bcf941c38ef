"""Gentle suggestions: worked out on the phone only, shown once, "Not now" respected, and
nothing about them ever sent to the server (only an opened resource's anonymous count)."""

import json
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import mood_face, screen_ready

pytestmark = pytest.mark.browser

SUGGESTION = '[data-offer="offer-support"]'
# What this phone remembers having offered (IndexedDB, deleted on sign-out).
REMEMBERED = """() => new Promise((resolve) => {
  const open = indexedDB.open("wellbeing-diary");
  open.onsuccess = () => {
    const get = open.result.transaction("meta").objectStore("meta").get("suggested");
    get.onsuccess = () => {
      open.result.close();
      resolve(Object.keys((get.result || {}).value || {}));
    };
  };
})"""


def record_requests(page):
    seen = []
    page.on("request", lambda r: seen.append(f"{r.method} {urlsplit(r.url).path}"))
    return seen


def save(page, mood, needs=(), factors=()):
    """Save a check-in, ticking these needs and factors (by their words on the screen)."""
    mood_face(page, mood).click()
    if needs or factors:
        page.get_by_text("Add more (optional)").click()
        for word in (*factors, *needs):
            page.get_by_role("checkbox", name=word, exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")


def again(page):
    page.get_by_role("button", name="Check in again").click()
    screen_ready(page, "How are you right now?")
    page.locator(".moods").wait_for()


def test_a_chosen_need_brings_its_support_once_and_asks_the_server_nothing(
    page, sign_up, api_get, assert_accessible
):
    sign_up(page)
    page.locator(".moods").wait_for()
    page.wait_for_load_state("networkidle")
    seen = record_requests(page)
    save(page, "Good", needs=["Money advice"])
    card = page.locator(SUGGESTION)
    card.wait_for()
    assert "You chose “Money advice”." in card.inner_text()
    # Staff discounts serves money advice too, but is still a placeholder: never suggested.
    assert card.locator(".resource-title").all_inner_texts() == ["MoneyHelper"]
    assert (
        card.get_by_role("link", name="Call MoneyHelper").get_attribute("href").startswith("tel:")
    )
    assert_accessible(page)
    page.wait_for_timeout(300)
    [saved] = seen
    assert saved.startswith("PUT /api/v1/entries/")

    card.get_by_role("button", name="Not now").click()
    card.wait_for(state="detached")
    page.wait_for_timeout(300)
    assert seen == [saved]
    assert page.evaluate(REMEMBERED) == ["money_advice"]

    again(page)
    save(page, "Good", needs=["Money advice"])
    page.wait_for_timeout(300)
    assert page.locator(SUGGESTION).count() == 0  # not again for a while

    export = json.dumps(api_get(page, "/api/v1/me/export")).lower()
    assert "suggest" not in export and "offer" not in export


def test_mostly_tough_days_offer_the_hub_a_champion_and_someone_to_talk_to(
    page, context, sign_up, live_server, example_resources
):
    context.route("https://**/*", lambda route: route.fulfill(body="elsewhere"))
    sign_up(page)
    for mood in ("Tough", "Good", "Really tough"):
        save(page, mood)
        assert page.locator(SUGGESTION).count() == 0
        again(page)
    save(page, "Tough")  # 3 of the last 4 at "Tough" or below
    card = page.locator(SUGGESTION)
    card.wait_for()
    assert "The last few check-ins sound hard" in card.inner_text()
    titles = card.locator(".resource-title").all_inner_texts()
    assert titles == ["Your Staff Wellbeing Hub", "Wellbeing champions"]
    # At mood 2 the urgent lines are buttons on the screen itself, beside the card.
    urgent = page.locator("section.hard-time")
    assert urgent.get_by_role("link", name="Call Samaritans on 116 123").is_visible()
    # And a way to a person: asking the hub for a conversation.
    talk = card.get_by_role("link", name="Talk to someone at the hub")
    assert talk.get_attribute("href") == "#/talk"

    seen = record_requests(page)
    with context.expect_page() as opened:
        card.get_by_role("link", name="Hub website (example details)").click()
    opened.value.close()
    page.wait_for_timeout(300)
    assert seen == ["POST /api/v1/resources/staff-wellbeing-hub/open"]

    card.get_by_role("button", name="Not now").click()
    again(page)
    save(page, "Really tough")
    page.wait_for_timeout(300)
    assert page.locator(SUGGESTION).count() == 0


def titles_offered(page):
    card = page.locator(SUGGESTION)
    card.wait_for()
    return card.locator(".resource-title").all_inner_texts()


def test_what_is_offered_matches_what_the_person_said(page, sign_up, example_resources):
    sign_up(page)
    save(page, "Okay", needs=["Someone to talk to"], factors=["Workload"])
    titles = titles_offered(page)
    assert titles == ["Your Staff Wellbeing Hub", "Wellbeing champions", "Time together as a team"]
    assert "Cruse Bereavement Support" not in page.locator("main").inner_text()
    again(page)
    save(page, "Okay", needs=["A wellbeing champion"], factors=["A death at work"])
    titles = titles_offered(page)
    assert titles == [
        "Wellbeing champions",
        "Your Staff Wellbeing Hub",
        "Cruse Bereavement Support",
    ]


def test_placeholders_are_never_suggested(page, sign_up):
    sign_up(page)
    save(page, "Okay", needs=["Someone to talk to"], factors=["My team"])
    # The hub, the champions and team time would match, but have no details yet: what is
    # offered reaches someone today.
    assert titles_offered(page) == ["Samaritans", "NHS 111, option 2", "Shout"]
