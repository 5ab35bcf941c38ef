"""Every screen passes axe-core in light and dark, with real data on it.

Set SAVE_SCREENSHOTS=1 to also write docs/screenshots/<screen>-<scheme>.png (and the
manifest's frontend/screenshots/) from this walk through the app.
"""

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import mood_face, screen_ready

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAVE = bool(os.environ.get("SAVE_SCREENSHOTS"))
# Trends draws a chart for each measure; stress comes last.
STRESS_CHART = 'section.trend-chart[data-measure="stress"] svg.chart'

# Three weeks of check-ins: moods and scales that vary, some factors, needs and a note.
MOODS = [4, 3, 2, 3, 4, 5, 4, 2, 1, 3, 4, 4, 5, 3, 2, 4, 4, 3]
FACTORS = [["my_team"], ["workload"], ["staffing", "workload"], [], ["my_team", "sleep"]]
NEEDS = [[], ["someone_to_talk_to"], ["time_with_team"], [], ["sleep_help"]]


def seed_diary(page):
    """Write check-ins through the API with the page's session, as the app would."""
    now = datetime.now(UTC)
    for day, mood in enumerate(MOODS):
        at = now - timedelta(days=len(MOODS) - 1 - day, hours=2)
        body = {
            "occurred_at": at.isoformat(),
            "mood": mood,
            "energy": max(1, min(5, mood + (day % 3) - 1)),
            "sleep": (day % 5) + 1 if day % 4 else None,
            "stress": 6 - mood,
            "factors": FACTORS[day % 5],
            "needs": NEEDS[day % 5],
            "note": "Long day, but a good chat with Sam at the end."
            if day == len(MOODS) - 1
            else None,
        }
        response = page.request.put(f"/api/v1/entries/{uuid.uuid4()}", data=body)
        assert response.status == 201, response.text()


# Six weeks of the four ONS answers, oldest first.
ONS4 = [(6, 7, 5, 4), (7, 7, 6, 3), (5, 6, 4, 6), (6, 8, 7, 2), (7, 8, 7, 3), (8, 8, 7, 2)]


def seed_ons4(page):
    today = datetime.now(ZoneInfo("Europe/London")).date()
    monday = today - timedelta(days=today.weekday())
    for back, scores in enumerate(reversed(ONS4)):
        week = monday - timedelta(weeks=back + 1)
        body = dict(
            zip(("life_satisfaction", "worthwhile", "happy", "anxious"), scores, strict=True)
        )
        response = page.request.put(f"/api/v1/me/ons4/{week.isoformat()}", data=body)
        assert response.status == 201, response.text()


def open_all(page):
    closed = page.locator("main details:not([open]) > summary")
    while closed.count():
        closed.first.click()


def visit(page, hash_, title, ready=None):
    page.goto(f"/{hash_}")
    screen_ready(page, title)
    if ready:
        page.locator(ready).first.wait_for()


def shoot(page, name, scheme, full_page=False):
    if SAVE:
        page.screenshot(
            path=ROOT / "docs" / "screenshots" / f"{name}-{scheme}.png", full_page=full_page
        )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen_is_accessible(page, scheme, sign_up, assert_accessible):
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")

    signed_out = [
        ("#/welcome", "Your wellbeing diary", "welcome", None),
        ("#/sign-up", "Create your diary", "sign-up", "select[name=area]"),
        ("#/sign-in", "Sign in", "sign-in", None),
        ("#/recover", "Forgotten your password?", "recover", "form"),
        ("#/support", "Support", "support-signed-out", ".need-group"),
    ]
    for hash_, title, name, ready in signed_out:
        visit(page, hash_, title, ready)
        assert_accessible(page)
        shoot(page, name, scheme)

    sign_up(page)
    visit(page, "#/about-you/start", "A few questions to start", "input[name=time_in_job]")
    assert_accessible(page)
    shoot(page, "onboarding", scheme, full_page=True)
    seed_diary(page)
    seed_ons4(page)
    page.goto("/#/history")  # fills the phone's copy
    page.reload()
    screen_ready(page, "Your diary")

    visit(page, "#/check-in", "How are you right now?", ".moods")
    mood_face(page, "Good").click()
    shoot(page, "check-in", scheme)
    page.get_by_text("Add more (optional)").click()
    assert_accessible(page)
    shoot(page, "check-in-more", scheme, full_page=True)
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")
    assert_accessible(page)

    visit(page, "#/history", "Your diary", ".calendar .has-entries")
    assert_accessible(page)
    shoot(page, "history", scheme)
    page.locator(".entry-link", has_text="Good").first.click()
    page.locator(".entry-mood").wait_for()
    assert_accessible(page)
    shoot(page, "entry", scheme)

    for period in ("Week", "Month", "Year"):
        visit(page, "#/trends", "Your trends", "#trend-summary")
        page.get_by_role("button", name=period).click()
        page.locator(".segment[aria-pressed=true]", has_text=period).wait_for()
        page.locator(STRESS_CHART).wait_for()
        page.get_by_text("Show the numbers").click()
        assert_accessible(page)
    page.get_by_role("button", name="Month").click()
    page.locator(STRESS_CHART).wait_for()
    shoot(page, "trends", scheme)
    ons4 = page.locator("section.ons4")
    ons4.locator("figure").first.wait_for()
    open_all(page)
    assert_accessible(page)
    if SAVE:
        ons4.screenshot(path=ROOT / "docs" / "screenshots" / f"ons4-trends-{scheme}.png")

    visit(page, "#/week-questions", "Four questions about your week", ".ons4-question")
    assert_accessible(page)
    shoot(page, "ons4-questions", scheme)

    visit(page, "#/settings", "Settings", "text=Delete my account")
    assert_accessible(page)
    shoot(page, "settings", scheme)

    visit(page, "#/support", "Support", ".need-group")
    shoot(page, "support", scheme)
    open_all(page)
    assert_accessible(page)

    visit(page, "#/talk", "Talk to someone at the hub", "form")
    assert_accessible(page)
    shoot(page, "talk", scheme)

    if SAVE and scheme == "light":
        for hash_, title, name, ready in [
            ("#/check-in", "How are you right now?", "check-in", ".moods"),
            ("#/history", "Your diary", "history", ".calendar .has-entries"),
            ("#/trends", "Your trends", "trends", "svg.chart"),
        ]:
            visit(page, hash_, title, ready)
            page.screenshot(path=ROOT / "frontend" / "screenshots" / f"{name}.png")
