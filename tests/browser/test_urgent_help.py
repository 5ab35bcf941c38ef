"""After a check-in at mood 1 or 2, urgent help is on the thanks screen itself, as buttons
(beside any suggestion); and the screens that changed pass axe-core at 320 px, light and dark."""

import pytest

from tests.browser.conftest import mood_face, screen_ready
from tests.browser.test_layout import SIDEWAYS, SMALL_TARGETS
from tests.browser.test_support import open_support

pytestmark = pytest.mark.browser

HARD_TIME = "section.hard-time"
BUTTONS = [
    ("Call Samaritans on 116 123", "tel:116123"),
    ("Text SHOUT to 85258", "sms:85258?&body=SHOUT"),
    ("Call 999 in an emergency", "tel:999"),
]


def save(page, mood, needs=()):
    mood_face(page, mood).click()
    if needs:
        page.get_by_text("Add more (optional)").click()
        for need in needs:
            page.get_by_role("checkbox", name=need, exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")


@pytest.mark.parametrize("mood", ["Really tough", "Tough"])
def test_a_hard_check_in_shows_urgent_help_as_buttons(page, sign_up, mood):
    sign_up(page)
    save(page, mood)
    help_ = page.locator(HARD_TIME)
    help_.wait_for()
    assert "Sorry it's a hard time." in help_.inner_text()
    for name, href in BUTTONS:
        button = help_.get_by_role("link", name=name, exact=True)
        assert button.get_attribute("href") == href
        assert "button" in button.get_attribute("class").split()
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 200
    assert help_.get_by_role("link", name="Support screen").count() == 1


def test_the_buttons_stand_beside_a_suggestion(page, sign_up):
    sign_up(page)
    save(page, "Really tough", needs=["Money advice"])
    page.locator('[data-offer="offer-support"]').wait_for()
    help_ = page.locator(HARD_TIME)
    assert help_.get_by_role("link", name="Call Samaritans on 116 123").is_visible()
    # The card does not send people to Support for what is on this screen already.
    card = page.locator('[data-offer="offer-support"]')
    assert card.get_by_role("link", name="Support screen").count() == 0


def test_no_urgent_buttons_after_a_good_check_in(page, sign_up):
    sign_up(page)
    save(page, "Good")
    page.get_by_role("link", name="See your diary").wait_for()
    assert page.locator(HARD_TIME).count() == 0
    assert page.get_by_role("link", name="Call Samaritans on 116 123").count() == 0


def test_a_tap_on_an_urgent_button_is_counted_like_one_on_support(page, sign_up, live_server):
    sign_up(page)
    save(page, "Tough")
    button = page.locator(HARD_TIME).get_by_role("link", name="Call Samaritans on 116 123")
    # Keep the tel: link from leaving the page; the app's own click handler still runs.
    button.evaluate("(a) => a.addEventListener('click', (e) => e.preventDefault())")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        button.click()
    assert sent.value.url == f"{live_server.url}/api/v1/resources/samaritans/open"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_thanks_and_support_pass_axe_at_320px(new_context, sign_up, assert_accessible, scheme):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    sign_up(page)  # in this test: a saved storage state would not carry the session
    save(page, "Really tough", needs=["Someone to talk to"])
    page.locator('[data-offer="offer-support"]').wait_for()
    page.locator(HARD_TIME).wait_for()
    assert_accessible(page)
    assert page.evaluate(SIDEWAYS) == 0
    assert page.evaluate(SMALL_TARGETS) == []

    open_support(page)
    for summary in page.locator(".need-group > summary").all():
        summary.click()
    page.locator(".placeholder-note").first.wait_for()
    assert_accessible(page)
    assert page.evaluate(SIDEWAYS) == 0
    assert page.evaluate(SMALL_TARGETS) == []
