"""Your team: a hub's join code entered at sign-up or in Settings, and leaving in one tap.

Checked with axe-core at 320 px, light and dark.
"""

import pytest

from backend.services import join_codes
from tests.browser.conftest import screen_ready
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def issue(live_server, area="QWO") -> str:
    with live_server.app.app_context():
        code, _row = join_codes.issue(area)
    return code


def team_card(page):
    return page.locator("section", has=page.get_by_role("heading", name="Your team"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_settings_takes_a_code_refuses_a_wrong_one_and_leaves(
    new_context, live_server, sign_up, assert_accessible, api_get, scheme
):
    page = new_context(viewport={"width": 320, "height": 700}, color_scheme=scheme).new_page()
    sign_up(page)
    code = issue(live_server)
    page.goto("/#/settings")
    screen_ready(page, "Settings")
    card = team_card(page)
    card.get_by_label("Join code").fill("WRONG-CODE")
    card.get_by_role("button", name="Join").click()
    card.get_by_text("We do not recognise that join code").wait_for()
    assert_accessible(page)
    assert api_get(page, "/api/v1/auth/me")["area_vouched"] is False
    card.get_by_label("Join code").fill(code.lower().replace("-", " "))
    card.get_by_role("button", name="Join").click()
    card.get_by_text("Your hub has confirmed you work in").wait_for()
    me = api_get(page, "/api/v1/auth/me")
    assert (me["area"], me["area_vouched"]) == ("QWO", True)
    assert_accessible(page)
    card.get_by_role("button", name="Leave the team").click()
    card.get_by_text("Your area stays as it is").wait_for()
    me = api_get(page, "/api/v1/auth/me")
    assert (me["area"], me["area_vouched"]) == ("QWO", False)
    card.get_by_label("Join code").wait_for()
    assert_accessible(page)


def test_sign_up_with_a_code(page, live_server, api_get):
    code = issue(live_server, "QJK")
    page.goto("/#/sign-up")
    screen_ready(page, "Create your diary")
    page.get_by_label("Username").fill("new.starter")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_text("Yes, count them").click()
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Create my diary").click()
    screen_ready(page, "Keep your way back in")  # the recovery key, shown once
    page.get_by_role("button", name="Continue").click()
    screen_ready(page, "A few questions to start")
    me = api_get(page, "/api/v1/auth/me")
    assert (me["area"], me["area_vouched"]) == ("QJK", True)


def test_changing_area_by_hand_ends_the_vouching_on_screen(page, live_server, sign_up, api_get):
    sign_up(page)
    code = issue(live_server)
    page.goto("/#/settings")
    screen_ready(page, "Settings")
    card = team_card(page)
    card.get_by_label("Join code").fill(code)
    card.get_by_role("button", name="Join").click()
    card.get_by_text("Your hub has confirmed you work in").wait_for()
    page.get_by_label("Area").select_option("QJK")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("your hub's join code no longer applies").wait_for()
    card.get_by_label("Join code").wait_for()
    me = api_get(page, "/api/v1/auth/me")
    assert (me["area"], me["area_vouched"]) == ("QJK", False)
