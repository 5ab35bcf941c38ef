"""Support, "Your wellbeing champion": shown to people who joined with a champion's code,
with leaving the code in one tap. Checked with axe-core at 320 px, light and dark.
"""

import pytest

from backend.services import accounts, champions
from tests.browser.conftest import screen_ready
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def champion_code(live_server) -> str:
    with live_server.app.app_context():
        user = accounts.register("sam.champion", PASSWORD, True, area="QT6", setting="home_care")
        champions.name(user.username, "QT6", "home_care", "Sam", "Ask for me at handover")
        return champions.new_code(user)


def champion_card(page):
    return page.locator("section", has=page.get_by_role("heading", name="Your wellbeing champion"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_champion_card_shows_at_the_top_of_support_and_leaving_is_one_tap(
    new_context, live_server, sign_up, assert_accessible, api_get, scheme
):
    page = new_context(viewport={"width": 320, "height": 700}, color_scheme=scheme).new_page()
    sign_up(page)
    code = champion_code(live_server)
    page.goto("/#/support")
    screen_ready(page, "Support")
    page.get_by_role("heading", name="Urgent help now").wait_for()
    assert champion_card(page).count() == 0  # not joined: no card
    page.goto("/#/settings")
    screen_ready(page, "Settings")
    team = page.locator("section", has=page.get_by_role("heading", name="Your team"))
    team.get_by_label("Join code").fill(code)
    team.get_by_role("button", name="Join").click()
    team.get_by_text("Your hub has confirmed you work in").wait_for()
    page.goto("/#/support")
    screen_ready(page, "Support")
    card = champion_card(page)
    card.get_by_text("Sam", exact=True).wait_for()
    card.get_by_text("How to reach them: Ask for me at handover").wait_for()
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[0] == "Your wellbeing champion"
    assert_accessible(page)
    card.get_by_role("button", name="Leave this code").click()
    page.get_by_text("Done. Your area stays as it is").wait_for()
    assert api_get(page, "/api/v1/me/wellbeing-champion")["champion"] is None
    assert api_get(page, "/api/v1/auth/me")["area_vouched"] is False
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_champion_edits_their_card_and_makes_a_code_in_settings(
    new_context, live_server, sign_up, assert_accessible, api_get, scheme
):
    page = new_context(viewport={"width": 320, "height": 700}, color_scheme=scheme).new_page()
    username = sign_up(page)
    page.goto("/#/settings")
    screen_ready(page, "Settings")
    page.get_by_role("heading", name="Your team").wait_for()
    assert page.get_by_role("heading", name="Being a wellbeing champion").count() == 0
    with live_server.app.app_context():
        champions.name(username, "QT6", "home_care", "Sam", "Ask for me at handover")
    page.reload()
    screen_ready(page, "Settings")
    title = page.get_by_role("heading", name="Being a wellbeing champion")
    section = page.locator("section", has=title)
    section.get_by_text("You have no join code yet.").wait_for()
    assert_accessible(page)
    section.get_by_label("How colleagues can reach you").fill("")
    section.get_by_role("button", name="Save my card").click()
    section.get_by_text("Please use 1 to 200 characters.").wait_for()
    section.get_by_label("How colleagues can reach you").fill("Text 07700 900123")
    section.get_by_role("button", name="Save my card").click()
    section.get_by_text("Saved.").wait_for()
    section.get_by_role("button", name="Make my join code").click()
    shown = section.locator(".join-code")
    shown.wait_for()
    code = shown.inner_text()
    mine = api_get(page, "/api/v1/me/champion")
    assert (mine["reach"], mine["code"]["hint"]) == ("Text 07700 900123", code[-4:])
    assert_accessible(page)
