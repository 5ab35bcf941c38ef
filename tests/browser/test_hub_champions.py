"""The hub's "Champion network" card in real Chromium: published and suppressed figures,
by region and by area, axe-core clean on a desktop and at 320 px in dark mode."""

import pytest

from tests.browser.test_hub import DESKTOP, sign_in
from tests.champion_helpers import join_people, make_champion

pytestmark = pytest.mark.browser
NARROW_DARK = {"viewport": {"width": 320, "height": 800}, "color_scheme": "dark"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CHAMPION_EPSILON": 0}


@pytest.mark.parametrize("view", [DESKTOP, NARROW_DARK], ids=["desktop", "narrow-dark"])
def test_the_network_card_shows_only_what_the_rules_publish(
    live_server, new_context, make_user, assert_accessible, view
):
    app = live_server.app
    _, _, code = make_champion(app, make_user)
    join_people(app, make_user, code, 12)
    join_people(app, make_user, None, 12)
    join_people(app, make_user, None, 12, area="QJK")
    page = new_context(**view).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, make_user(role="researcher"))
    table = page.locator("#champions-table table")
    table.wait_for()
    everywhere = table.locator("tbody tr", has_text="All areas").locator("td")
    # One champion: too few to show; 12 joined: 10; the rest (24 and the champion): 25.
    assert everywhere.all_inner_texts()[:3] == ["suppressed", "suppressed", "10"]
    assert everywhere.all_inner_texts()[4] == "25"
    assert_accessible(page)
    page.get_by_label("Show the network").select_option(label="By area")
    assert "by area" in table.locator("caption").inner_text()
    cornwall = table.locator("tbody tr", has_text="Cornwall").locator("td")
    assert cornwall.all_inner_texts()[2] == "10"
    devon = table.locator("tbody tr", has_text="NHS Devon").locator("td")
    assert devon.all_inner_texts()[2] == "suppressed"  # nobody joined: shown with the rest, or not
    assert devon.all_inner_texts()[4] == "suppressed"
    assert_accessible(page)
    assert not errors, errors
