"""The hub dashboard in real Chromium: sign-in with a second step, the map from published
releases, a live update over Server-Sent Events, and no axe-core violations."""

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from backend.extensions import db
from backend.models.signposting import ResourceOpen
from backend.services import contributions, releases
from tests.test_releases_support import add_people, answer_ons4, check_ins

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def seed_and_publish(app, ons4=(), **counts):
    """Check-ins per area (people, mood); in the areas named in `ons4`, ONS4 answers too."""
    with app.app_context():
        for area, (people, mood) in counts.items():
            ids = add_people(people, area=area)
            check_ins(ids, mood, needs=["someone_to_talk_to"])
            for person in ids if area in ons4 else ():
                answer_ons4(person, (7, 8, 7, 3))
        release = releases.publish()
        db.session.remove()
        return release


@pytest.fixture
def hub_page(live_server, new_context, make_user):
    app = live_server.app
    app.config.update(INSIGHTS_STREAM_SECONDS=20, INSIGHTS_STREAM_POLL_SECONDS=0.2)
    seed_and_publish(app, ons4=("QJK",), QJK=(14, 4), QT6=(12, 2), QVV=(3, 1))
    with app.app_context():
        last_week = contributions.current_week() - timedelta(weeks=1)
        db.session.add_all(
            [
                ResourceOpen(resource="money-advice", area="QJK", week=last_week, opens=23),
                ResourceOpen(resource="money-advice", area="QT6", week=last_week, opens=3),
            ]
        )
        db.session.commit()
        db.session.remove()
    researcher = make_user(role="researcher")
    page = new_context(**DESKTOP).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/hub/")
    page.get_by_label("Username").fill(researcher.username)
    page.get_by_label("Password").fill(researcher.password)
    page.get_by_label("Code from your authenticator app").fill(
        pyotp.TOTP(researcher.totp_secret).now()
    )
    page.get_by_role("button", name="Sign in").click()
    page.locator('#map g.hex[data-area="QJK"]').wait_for()
    yield page
    assert not errors, f"the page threw: {errors}"


def test_map_shows_published_and_suppressed_areas(hub_page):
    devon = hub_page.locator('#map g.hex[data-area="QJK"]')
    assert devon.get_attribute("data-status") == "published"
    assert "about 15 people" in devon.get_attribute("aria-label")
    dorset = hub_page.locator('#map g.hex[data-area="QVV"]')
    assert dorset.get_attribute("data-status") == "suppressed"
    assert dorset.locator("path").get_attribute("fill") == "url(#suppressed)"
    assert "Suppressed: fewer than 10 people" in hub_page.locator("#legend").inner_text()
    row = hub_page.locator('#table tr[data-area="QVV"]')
    assert "Suppressed" in row.inner_text()
    assert row.locator("td.number").count() == 0  # never shown as a zero
    assert hub_page.locator("#updated").inner_text().startswith("Updated at")


def test_choosing_an_area_shows_its_trend_and_needs(hub_page):
    hub_page.locator('#map g.hex[data-area="QJK"]').click()
    hub_page.locator("#detail h2", has_text="NHS Devon").wait_for()
    assert "Someone to talk to 100%" in hub_page.locator("#detail").inner_text()
    hub_page.get_by_label("Colour areas by").select_option(label="Share having a tough week")
    assert "Share having a tough week" in hub_page.locator("#legend").inner_text()


def test_a_new_release_arrives_live(hub_page, live_server):
    before = hub_page.locator("#updated").inner_text()
    assert "(release 1)" in before
    seed_and_publish(live_server.app, QVV=(10, 3))
    hub_page.locator("#updated", has_text="(release 2)").wait_for(timeout=15_000)
    dorset = hub_page.locator('#map g.hex[data-area="QVV"]')
    assert dorset.get_attribute("data-status") == "published"


def test_dashboard_is_accessible(hub_page, assert_accessible):
    hub_page.locator('#map g.hex[data-area="QJK"]').click()
    hub_page.locator("#detail h2", has_text="NHS Devon").wait_for()
    assert_accessible(hub_page)


def test_sign_in_screen_is_accessible(page, assert_accessible):
    page.goto("/hub/")
    page.get_by_role("button", name="Sign in").wait_for()
    assert_accessible(page)


def test_ons4_means_take_up_and_the_evaluation_report(hub_page, assert_accessible):
    hub_page.get_by_label("Colour areas by").select_option(
        label="ONS4 mean: Life satisfaction (0 to 10)"
    )
    devon = hub_page.locator('#map g.hex[data-area="QJK"]')
    assert "Life satisfaction (0 to 10) 7.0" in devon.get_attribute("aria-label")
    row = hub_page.locator('#table tr[data-area="QJK"]').inner_text()
    assert "Life satisfaction 7.0; Feeling things done are worthwhile 8.0" in row
    assert "Anxiety yesterday 3.0" in row

    # Take-up of support, by resource and then by area for one resource.
    table = hub_page.locator("#take-up-table table")
    table.wait_for()
    first = table.locator("tbody tr", has_text="MoneyHelper")
    assert first.locator("td").last.inner_text() == "25"  # 26 opens in all, nearest 5
    hub_page.get_by_label("Show", exact=True).select_option(label="One resource by area")
    hub_page.get_by_label("Resource").select_option(label="MoneyHelper")
    assert "Opens of MoneyHelper, by area" in table.locator("caption").inner_text()
    devon = table.locator("tbody tr", has_text="NHS Devon")
    cornwall = table.locator("tbody tr", has_text="Cornwall")
    data = hub_page.request.get("/api/v1/insights/take-up").json()
    money = next(r for r in data["weeks"][-1]["resources"] if r["resource"] == "money-advice")
    expected = money["areas"]["QJK"]
    assert devon.locator("td").last.inner_text() == (
        str(expected["opens"]) if expected["status"] == "published" else "suppressed"
    )
    assert cornwall.locator("td").last.inner_text() == "suppressed"  # 3 opens
    assert_accessible(hub_page)

    # The evaluation report, for 6 and 12 months.
    for months in (6, 12):
        with hub_page.expect_download() as download:
            hub_page.get_by_role(
                "link", name=f"Download evaluation report ({months} months)"
            ).click()
        assert download.value.suggested_filename.endswith(".html")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert text.lower().startswith("<!doctype html")
