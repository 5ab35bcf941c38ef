"""Small screens and large text: no sideways scrolling at 320 px, and targets big enough to tap."""

import pytest

from tests.browser.conftest import screen_ready

pytestmark = pytest.mark.browser

SCREENS = [
    ("#/history", "Your diary", ".calendar .has-entries"),
    ("#/check-in", "How are you right now?", ".moods"),
    ("#/trends", "Your trends", "svg.chart"),
    ("#/settings", "Settings", "text=Delete my account"),
    ("#/support", "Support", ".need-group"),
    ("#/week-questions", "Four questions about your week", ".ons4-question"),
    ("#/about-you", "About you and support", "input[name=time_in_job]"),
]

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Every control a thumb aims at, with its size; links inside running text are exempt (WCAG
# 2.5.8), and a checkbox or radio counts through the label row that surrounds it.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, a.button, .tab-bar a, .support-link, .brand, .entry-link, summary, select, ' +
    'input:not([type=radio]):not([type=checkbox]):not([type=hidden]), textarea, ' +
    'label.mood, label.chip, label.scale-option, label.choice, .switch-row')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({ name: (el.textContent || el.name || el.className).trim().slice(0, 40),
                  rect: el.getBoundingClientRect() }))
  .filter(({ rect }) => rect.width < 44 || rect.height < 44)
  .map(({ name, rect }) => `${name}: ${Math.round(rect.width)}x${Math.round(rect.height)}`)"""


def open_every_part(page):
    """Open what is folded away, so its contents are measured too."""
    for summary in page.locator("main summary").all():
        summary.click()


def walk(page, check):
    for hash_, title, ready in SCREENS:
        page.goto(f"/{hash_}")
        screen_ready(page, title)
        page.locator(ready).first.wait_for()
        open_every_part(page)
        check(hash_)


def one_check_in(page, check_in):
    check_in(page, mood="Good", note="a note long enough to wrap " * 8)


@pytest.mark.parametrize("width", [320, 390])
def test_no_screen_scrolls_sideways_and_every_target_is_44px(new_context, sign_up, check_in, width):
    page = new_context(viewport={"width": width, "height": 700}).new_page()
    for hash_, title in [("#/welcome", "Your wellbeing diary"), ("#/sign-up", "Create your diary")]:
        page.goto(f"/{hash_}")
        screen_ready(page, title)
        assert page.evaluate(SIDEWAYS) == 0, hash_
        assert page.evaluate(SMALL_TARGETS) == [], hash_
    sign_up(page)
    one_check_in(page, check_in)

    def check(hash_):
        assert page.evaluate(SIDEWAYS) == 0, hash_
        assert page.evaluate(SMALL_TARGETS) == [], hash_

    walk(page, check)


def test_text_at_twice_the_size_still_fits_a_320px_screen(new_context, sign_up, check_in):
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    sign_up(page)
    one_check_in(page, check_in)

    def check(hash_):
        # The phone's "large text" setting: every size is in rem, so this scales the whole app.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate(SIDEWAYS) == 0, hash_
        page.evaluate("document.documentElement.style.fontSize = ''")

    walk(page, check)
