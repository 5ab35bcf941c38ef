"""The hub dashboard in real Chromium: sign-in with a second step, the map from published
releases, a live update over Server-Sent Events, and no axe-core violations."""

import pyotp
import pytest

from backend.extensions import db
from backend.services import releases
from tests.test_releases_support import add_people, check_ins

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def seed_and_publish(app, **counts):
    with app.app_context():
        for area, (people, mood) in counts.items():
            check_ins(add_people(people, area=area), mood, needs=["someone_to_talk_to"])
        release = releases.publish()
        db.session.remove()
        return release


@pytest.fixture
def hub_page(live_server, new_context, make_user):
    app = live_server.app
    app.config.update(INSIGHTS_STREAM_SECONDS=20, INSIGHTS_STREAM_POLL_SECONDS=0.2)
    seed_and_publish(app, QJK=(14, 4), QT6=(12, 2), QVV=(3, 1))
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
