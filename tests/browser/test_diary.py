"""The diary as a carer uses it: sign up, check in, and find it again in history and trends."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pyotp
import pytest

from backend.extensions import db
from backend.models import User
from backend.services.accounts import second_factor
from tests.browser.conftest import mood_face, screen_ready
from tests.conftest import PASSWORD, wrong_code

pytestmark = pytest.mark.browser


def test_sign_up_check_in_then_see_it_in_history_and_trends(page, sign_up, check_in, api_get):
    sign_up(page)

    check_in(page, mood="Good")

    page.get_by_role("link", name="History").click()
    screen_ready(page, "Your diary")
    today = page.locator(".day-group", has_text="Today")
    today.get_by_text("Good").wait_for()
    calendar_day = page.locator(".calendar button.has-entries")
    assert calendar_day.count() == 1
    assert "Good, 1 check-in" in calendar_day.inner_text()

    page.get_by_role("link", name="Trends").click()
    screen_ready(page, "Your trends")
    summary = page.locator("#trend-summary")
    summary.wait_for()
    assert "checked in 1 time on 1 day" in summary.inner_text()
    assert page.locator("svg.chart .series-mood").count() >= 1

    saved = api_get(page, "/api/v1/entries")["items"]
    assert [e["mood"] for e in saved] == [4]


def test_a_check_in_takes_two_taps_from_opening_the_app(page, sign_up, api_get):
    sign_up(page)
    page.goto("/")
    screen_ready(page, "How are you right now?")

    page.locator("label.mood-3").tap()  # the "Okay" face
    page.get_by_role("button", name="Save check-in").tap()

    screen_ready(page, "Saved. Thank you for checking in.")
    assert [e["mood"] for e in api_get(page, "/api/v1/entries")["items"]] == [3]


def test_a_fuller_check_in_keeps_every_answer(page, sign_up, api_get):
    sign_up(page)
    mood_face(page, "Tough").click()
    page.get_by_text("Add more (optional)").click()
    page.get_by_role("group", name="Energy").get_by_role("radio", name="Low").click()
    page.get_by_role("group", name="Stress").get_by_role("radio", name="A lot").click()
    page.get_by_role("checkbox", name="Staffing").click()
    page.get_by_role("checkbox", name="Someone to talk to").click()
    page.get_by_label("A note, just for you").fill("Short-staffed again.\nTeam was kind.")
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")
    # A hard day that asked for someone to talk to gets support for that, not an alarm.
    page.get_by_role("heading", name="Some support that might help").wait_for()

    [entry] = api_get(page, "/api/v1/entries")["items"]
    assert (entry["mood"], entry["energy"], entry["sleep"], entry["stress"]) == (2, 2, None, 4)
    assert entry["factors"] == ["staffing"]
    assert entry["needs"] == ["someone_to_talk_to"]
    assert entry["note"] == "Short-staffed again.\nTeam was kind."


def test_the_check_in_tab_starts_a_fresh_check_in_after_saving(page, sign_up, check_in):
    sign_up(page)
    check_in(page, mood="Good")
    page.get_by_role("link", name="Check in", exact=True).click()
    screen_ready(page, "How are you right now?")
    assert not mood_face(page, "Good").is_checked()


def test_a_check_in_can_be_backdated(page, sign_up, api_get):
    sign_up(page)
    yesterday = datetime.now() - timedelta(days=1)
    mood_face(page, "Great").click()
    page.get_by_role("button", name="Change the time").click()
    page.get_by_label("When was this?").fill(yesterday.strftime("%Y-%m-%dT18:30"))
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")

    [entry] = api_get(page, "/api/v1/entries")["items"]
    assert entry["occurred_at"].startswith(yesterday.strftime("%Y-%m-%d"))

    page.goto("/#/history")
    if yesterday.month != date.today().month:
        page.get_by_role("button", name="Previous month").click()
    page.locator(".day-group", has_text="Yesterday").get_by_text("Great").wait_for()


def test_a_check_in_can_be_opened_changed_and_deleted(page, sign_up, check_in, api_get):
    sign_up(page)
    check_in(page, mood="Okay", note="first thoughts")
    [entry] = api_get(page, "/api/v1/entries")["items"]

    page.goto("/#/history")
    page.locator(".entry-link", has_text="Okay").click()
    page.get_by_text("first thoughts").wait_for()
    page.get_by_role("link", name="Change").click()
    screen_ready(page, "Change this check-in")
    mood_face(page, "Good").click()
    page.get_by_label("A note, just for you").fill("second thoughts")
    page.get_by_role("button", name="Save changes").click()
    screen_ready(page, "Saved. Thank you for checking in.")

    [changed] = api_get(page, "/api/v1/entries")["items"]
    assert changed["id"] == entry["id"]
    assert (changed["mood"], changed["note"]) == (4, "second thoughts")
    assert changed["occurred_at"] == entry["occurred_at"]

    page.goto(f"/#/entry/{entry['id']}")
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, delete it").click()
    screen_ready(page, "Your diary")
    page.get_by_text("The check-in was deleted.").wait_for()
    page.get_by_text("No check-ins this month.").wait_for()
    assert api_get(page, "/api/v1/entries")["items"] == []


def test_a_note_with_markup_is_shown_as_text_and_runs_nothing(page, sign_up, check_in, api_get):
    attack = "<img src=x onerror=window.__pwned=1>"
    sign_up(page)
    check_in(page, mood="Okay", note=attack)
    [entry] = api_get(page, "/api/v1/entries")["items"]

    page.goto(f"/#/entry/{entry['id']}")
    note = page.locator("dd.note")
    note.wait_for()
    assert note.inner_text() == attack
    assert page.locator("main img").count() == 0
    page.goto("/#/history")
    page.locator(".entry-link").first.wait_for()
    page.goto(f"/#/check-in/{entry['id']}")
    page.get_by_label("A note, just for you").wait_for()
    assert page.get_by_label("A note, just for you").input_value() == attack
    assert page.evaluate("window.__pwned") is None


def test_signing_in_again_opens_the_same_diary(page, new_context, sign_up, check_in):
    username = sign_up(page)
    check_in(page, mood="Great")

    other = new_context().new_page()
    other.goto("/#/sign-in")
    other.get_by_label("Username").fill(username)
    other.get_by_label("Password").fill("not the password")
    other.get_by_role("button", name="Sign in").click()
    other.get_by_text("don't match").wait_for()
    assert other.get_by_label("Username").input_value() == username

    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    screen_ready(other, "How are you right now?")
    other.goto("/#/history")
    other.locator(".entry-link", has_text="Great").wait_for()


def test_staff_with_an_authenticator_app_are_asked_for_its_code(page, live_server, make_user):
    # Staff may turn on an authenticator app (POST/PUT /auth/totp); the diary's sign-in then
    # asks for its code, and only then.
    person = make_user()
    with live_server.app.app_context():
        secret = second_factor.enrol_now(db.session.get(User, person.id))["secret"]
    page.goto("/#/sign-in")
    code = page.get_by_label("Code from your authenticator app")
    assert code.is_hidden()
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Please enter the 6-digit code from your authenticator app.").wait_for()
    assert code.is_visible() and code.evaluate("el => el === document.activeElement")
    code.fill(wrong_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("That code did not match").wait_for()
    code.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    screen_ready(page, "How are you right now?")


def put_check_ins(page, days, last=1):
    """One check-in a day, the last one `last` days ago: (mood, energy, sleep, stress, factors)."""
    now = datetime.now(UTC)
    for back, (mood, energy, sleep, stress, factors) in enumerate(reversed(days)):
        body = {
            "occurred_at": (now - timedelta(days=back + last)).isoformat(),
            "mood": mood,
            "energy": energy,
            "sleep": sleep,
            "stress": stress,
            "factors": factors,
        }
        response = page.request.put(f"/api/v1/entries/{uuid.uuid4()}", data=body)
        assert response.status == 201, response.text()


def axis_words(chart):
    """The words on a chart's value axis, top to bottom (as drawn, wrapped lines joined)."""
    return chart.locator("svg.chart text.axis-word").evaluate_all(
        """(texts) => texts
             .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
             .map((t) => t.textContent)"""
    )


def test_each_measure_is_drawn_on_its_own_scale_with_its_own_words(page, sign_up):
    sign_up(page)
    put_check_ins(page, [(2, 1, 2, 5, []), (3, 3, 3, 3, []), (4, 5, 5, 1, [])])
    page.goto("/#/trends")
    screen_ready(page, "Your trends")
    charts = page.locator("section.trend-chart")
    charts.first.wait_for()
    assert charts.evaluate_all("(cs) => cs.map((c) => c.dataset.measure)") == [
        "mood",
        "energy",
        "sleep",
        "stress",
    ]
    words = {
        "mood": ["Great", "Okay", "Really tough"],
        "energy": ["Full of beans", "Okay", "Running on empty"],
        "sleep": ["Really well", "Okay", "Hardly slept"],
        "stress": ["Overwhelming", "Some", "Calm"],
    }
    for measure, expected in words.items():
        chart = page.locator(f'section.trend-chart[data-measure="{measure}"]')
        assert axis_words(chart) == expected, measure
        assert chart.locator(".series-" + measure).count() >= 1
        # Its words for a screen reader: the chart is labelled by them.
        svg = chart.locator("svg.chart")
        caption = page.locator(f"#{svg.get_attribute('aria-labelledby')}")
        assert caption.text_content().startswith(
            f"{chart.locator('h2').inner_text()} in the last week, from 1"
        )
    stress = page.locator('section.trend-chart[data-measure="stress"]')
    assert "Higher on this chart means more stress" in stress.locator(".direction").inner_text()
    for measure in ("mood", "energy", "sleep"):
        assert (
            page.locator(f'section.trend-chart[data-measure="{measure}"] .direction').count() == 0
        )
    # A long word wraps beside the axis, and stays inside the chart.
    energy = page.locator('section.trend-chart[data-measure="energy"] svg.chart')
    left = energy.evaluate(
        """(chart) => Math.min(...[...chart.querySelectorAll("text.axis")]
             .map((t) => t.getBoundingClientRect().left)) - chart.getBoundingClientRect().left"""
    )
    assert left >= 0


def test_before_patterns_can_show_it_says_how_many_days_they_need(page, sign_up):
    sign_up(page)
    put_check_ins(page, [(2, None, None, None, ["staffing"])], last=3)
    page.goto("/#/trends")
    screen_ready(page, "Your trends")
    patterns = page.locator("section.patterns")
    assert patterns.inner_text().endswith(
        "Patterns show up once you have checked in on at least 3 different days in the last "
        'week and said what is affecting you (under "Add more"). So far: 1 day.'
    )
    # Two days more, the third day of check-ins: staffing on two of them, one day without.
    put_check_ins(page, [(2, None, None, None, ["staffing"]), (4, None, None, None, [])])
    page.reload()
    screen_ready(page, "Your trends")
    page.locator("h2", has_text="Often on your harder days").wait_for()
    assert (
        "Staffing"
        in page.locator("section.card", has_text="Often on your harder days").inner_text()
    )


@pytest.mark.parametrize(
    "view",
    [{"viewport": {"width": 320, "height": 700}}, {"color_scheme": "dark"}],
    ids=["320px", "dark"],
)
def test_trends_are_accessible_narrow_and_dark(new_context, sign_up, assert_accessible, view):
    # No colour transitions while axe reads the colours (as test_accessibility does).
    page = new_context(**view, reduced_motion="reduce").new_page()
    sign_up(page)
    put_check_ins(page, [(2, 1, 2, 5, ["staffing"]), (3, 3, None, 3, []), (4, 5, 5, 1, [])])
    for period in ("Week", "Year"):
        page.goto("/#/trends")
        screen_ready(page, "Your trends")
        page.get_by_role("button", name=period).click()
        page.locator(".segment[aria-pressed=true]", has_text=period).wait_for()
        page.locator('section.trend-chart[data-measure="stress"]').wait_for()
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
